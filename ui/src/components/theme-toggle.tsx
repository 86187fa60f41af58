import { useEffect, useState } from 'preact/hooks';
import { effectiveTheme, setTheme, type Theme } from '../lib/theme.ts';

/** Current theme, following the system until the user picks one. */
export function useTheme(): Theme {
  const [theme, set] = useState<Theme>(effectiveTheme);
  useEffect(() => {
    const update = () => set(effectiveTheme());
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', update);
    window.addEventListener('kaudit-theme', update);
    return () => {
      mq.removeEventListener('change', update);
      window.removeEventListener('kaudit-theme', update);
    };
  }, []);
  return theme;
}

export function ThemeToggle() {
  const theme = useTheme();
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      class="icon-button"
      onClick={() => setTheme(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
