// Light or dark: the system's choice (prefers-color-scheme) until the user picks one
// with the toggle; the pick is kept in localStorage and set as <html data-theme>.

export type Theme = 'light' | 'dark';

const KEY = 'kaudit-theme';

export function storedTheme(): Theme | undefined {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : undefined;
  } catch {
    // Storage can be disabled (privacy settings): the system theme applies.
    return undefined;
  }
}

export function effectiveTheme(): Theme {
  const set = document.documentElement.dataset.theme;
  if (set === 'light' || set === 'dark') return set;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies the stored choice; runs from a blocking <head> script so the page never flashes. */
export function applyStoredTheme(): void {
  const t = storedTheme();
  if (t !== undefined) document.documentElement.dataset.theme = t;
}

export function setTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  try {
    window.localStorage.setItem(KEY, t);
  } catch {
    // Not remembered; still applied for this page.
  }
  window.dispatchEvent(new CustomEvent('kaudit-theme'));
}
