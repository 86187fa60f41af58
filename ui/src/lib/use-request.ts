import { useEffect, useState } from 'preact/hooks';

export type RequestState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: T }
  | { readonly status: 'error'; readonly error: Error };

/**
 * Runs `load` whenever `key` changes and keeps the latest answer. An older request still
 * in flight is aborted, so a slow answer never overwrites a newer one.
 */
export function useRequest<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>({ status: 'loading' });
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => (s.status === 'ok' ? s : { status: 'loading' }));
    load(ac.signal).then(
      (data) => {
        if (!ac.signal.aborted) setState({ status: 'ok', data });
      },
      (error: unknown) => {
        if (!ac.signal.aborted) {
          setState({
            status: 'error',
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      },
    );
    return () => ac.abort();
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key]);
  return state;
}
