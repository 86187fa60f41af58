import { useEffect, useState } from 'preact/hooks';
import { getJson, onUnauthorized, UnauthorizedError } from './api/client.ts';
import type { WhoAmI } from './api/types.ts';
import { HelpOverlay } from './components/help-overlay.tsx';
import { TopBar } from './components/top-bar.tsx';
import { useKeys } from './lib/keys.ts';
import { currentPlace, matchRoute, navigate, usePlace } from './lib/router.ts';
import { AlertPage } from './pages/alert-page.tsx';
import { AlertsPage } from './pages/alerts-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';

type Session = { readonly state: 'checking' } | { readonly state: 'in'; readonly role: string };

/** Sends the browser to the login page, remembering where it was. */
function goToLogin(): void {
  const here = currentPlace();
  if (here.path === '/login') return;
  const next = `${here.path}${here.search}`;
  navigate(`/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, { replace: true });
}

export function App() {
  const place = usePlace();
  const route = matchRoute(place.path);
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [help, setHelp] = useState(false);

  useEffect(() => onUnauthorized(goToLogin), []);

  // Who we are: decides between the login page and the rest. Re-asked after a login.
  useEffect(() => {
    if (route.page === 'login') return;
    if (session.state === 'in') return;
    const ac = new AbortController();
    getJson<WhoAmI>('whoami', {}, ac.signal).then(
      (w) => setSession({ state: 'in', role: w.role }),
      (e: unknown) => {
        if (!(e instanceof UnauthorizedError) && !ac.signal.aborted) {
          // The API is unreachable or broken: show the page, whose own requests say so.
          setSession({ state: 'in', role: 'unknown' });
        }
      },
    );
    return () => ac.abort();
  }, [route.page, session.state]);

  useKeys({ '?': () => setHelp((h) => !h) });

  useEffect(() => {
    const titles: Record<string, string> = {
      dashboard: 'Dashboard',
      alerts: 'Alerts',
      alert: 'Alert',
      login: 'Sign in',
      'not-found': 'Not found',
    };
    document.title = `${titles[route.page] ?? ''} · kaudit`;
  }, [route.page]);

  if (route.page === 'login') {
    return (
      <LoginPage search={place.search} onSignedIn={(role) => setSession({ state: 'in', role })} />
    );
  }
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar
        page={route.page}
        role={session.state === 'in' ? session.role : undefined}
        onHelp={() => setHelp(true)}
        onSignedOut={() => setSession({ state: 'checking' })}
      />
      <main id="main" tabIndex={-1}>
        {session.state === 'checking' ? (
          <p class="muted" aria-live="polite">
            Loading…
          </p>
        ) : route.page === 'dashboard' ? (
          <DashboardPage search={place.search} />
        ) : route.page === 'alerts' ? (
          <AlertsPage search={place.search} />
        ) : route.page === 'alert' ? (
          <AlertPage id={route.id} />
        ) : (
          <NotFoundPage />
        )}
      </main>
      <HelpOverlay open={help} onClose={() => setHelp(false)} />
    </>
  );
}
