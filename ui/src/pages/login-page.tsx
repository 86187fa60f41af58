import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, postForm, UnauthorizedError } from '../api/client.ts';
import type { WhoAmI } from '../api/types.ts';
import { ThemeToggle } from '../components/theme-toggle.tsx';
import { isOwnPath, navigate } from '../lib/router.ts';

interface LoginPageProps {
  readonly search: string;
  readonly onSignedIn: (role: string) => void;
}

/** Where to go after signing in: the page that asked, if it is one of ours. */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next !== null && isOwnPath(next) && !next.startsWith('/login') ? next : '/';
}

export function LoginPage({ search, onSignedIn }: LoginPageProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  // The server sends a bad `/?token=` here with ?error=invalid_token.
  const [error, setError] = useState<string | undefined>(() =>
    new URLSearchParams(search).get('error') === 'invalid_token'
      ? 'The token in the address was not accepted.'
      : undefined,
  );
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (token.trim() === '') {
      setError('Enter a token.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // The server sets the session cookie; whoami then says whether the token was good.
      await postForm('/login', { token: token.trim() });
      const who = await getJson<WhoAmI>('whoami');
      setToken('');
      onSignedIn(who.role);
      navigate(nextPath(search), { replace: true });
    } catch (err) {
      setError(
        err instanceof UnauthorizedError
          ? 'That token was not accepted.'
          : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`,
      );
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <div class="login-theme">
        <ThemeToggle />
      </div>
      <form class="login-card" onSubmit={submit} aria-describedby="login-help">
        <h1>
          <span aria-hidden="true">◈</span> kaudit
        </h1>
        <p id="login-help" class="muted">
          Paste an API token, or open the address that <code>kaudit serve</code> printed (it carries
          the token once).
        </p>
        <label for="token">API token</label>
        <input
          ref={input}
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-invalid={error !== undefined}
          aria-errormessage={error !== undefined ? 'login-error' : undefined}
        />
        {error !== undefined ? (
          <p id="login-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
