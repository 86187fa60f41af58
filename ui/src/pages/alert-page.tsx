import { getJson } from '../api/client.ts';
import type { StoredAlertWithEvent } from '../api/types.ts';
import { AlertDetails } from '../components/alert-details.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { Link } from '../components/link.tsx';
import { useKeys } from '../lib/keys.ts';
import { lastListPath, navigate } from '../lib/router.ts';
import { useRequest } from '../lib/use-request.ts';

/** One alert with its event, fetched by id. */
export function AlertPage({ id }: { readonly id: string }) {
  const state = useRequest<StoredAlertWithEvent>(id, (signal) =>
    getJson<StoredAlertWithEvent>(`alerts/${encodeURIComponent(id)}`, {}, signal),
  );
  const back = lastListPath();
  useKeys({ Escape: () => navigate(back) });
  return (
    <section class="page alert-page">
      <p class="back">
        <Link to={back}>
          <span aria-hidden="true">← </span>Alerts
        </Link>
      </p>
      {state.status === 'loading' ? (
        <p class="muted" aria-live="polite">
          Loading…
        </p>
      ) : state.status === 'error' ? (
        <>
          <h1>Alert</h1>
          <ErrorNote error={state.error} />
        </>
      ) : (
        <AlertDetails alert={state.data} />
      )}
    </section>
  );
}
