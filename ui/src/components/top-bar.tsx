import { postForm } from '../api/client.ts';
import { navigate } from '../lib/router.ts';
import { Link } from './link.tsx';
import { ThemeToggle } from './theme-toggle.tsx';

interface TopBarProps {
  readonly page: string;
  readonly role: string | undefined;
  readonly onHelp: () => void;
  readonly onSignedOut: () => void;
}

export function TopBar({ page, role, onHelp, onSignedOut }: TopBarProps) {
  const signOut = async () => {
    try {
      await postForm('/logout', {});
    } finally {
      onSignedOut();
      navigate('/login', { replace: true });
    }
  };
  return (
    <header class="top-bar">
      <Link to="/" class="brand" aria-label="kaudit home">
        <span aria-hidden="true">◈</span>
        <span class="brand-name"> kaudit</span>
      </Link>
      <nav aria-label="Main">
        <Link to="/" aria-current={page === 'dashboard' ? 'page' : undefined}>
          Dashboard
        </Link>
        <Link
          to="/alerts"
          aria-current={page === 'alerts' || page === 'alert' ? 'page' : undefined}
        >
          Alerts
        </Link>
      </nav>
      <div class="top-tools">
        {role !== undefined && role !== 'unknown' ? (
          <span class="role" title="Your token's role">
            {role}
          </span>
        ) : null}
        <ThemeToggle />
        <button type="button" class="icon-button" onClick={onHelp} aria-label="Keyboard shortcuts">
          ?
        </button>
        <button type="button" class="text-button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
