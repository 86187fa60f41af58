import { useEffect, useRef, useState } from 'preact/hooks';
import type { StoredAlert } from '../api/types.ts';

export type LiveStatus = 'off' | 'connecting' | 'live';

/** A minimal check of an SSE message before it is shown (the server is ours, but be strict). */
function asAlert(data: string): StoredAlert | undefined {
  try {
    const a = JSON.parse(data) as Partial<StoredAlert> | null;
    if (a === null || typeof a !== 'object') return undefined;
    if (typeof a.id !== 'string' || typeof a.rule !== 'string' || typeof a.time !== 'string') {
      return undefined;
    }
    return a as StoredAlert;
  } catch {
    return undefined;
  }
}

/**
 * New alerts from the API's server-sent events while `url` is set. EventSource reconnects
 * by itself after a network error; a refused stream (401, 4xx) ends it and the status
 * says "off".
 */
export function useLiveAlerts(
  url: string | undefined,
  onAlert: (a: StoredAlert) => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('off');
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    if (url === undefined) {
      setStatus('off');
      return;
    }
    setStatus('connecting');
    const es = new EventSource(url, { withCredentials: true });
    es.onopen = () => setStatus('live');
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'off' : 'connecting');
    es.addEventListener('alert', (e) => {
      const a = asAlert((e as MessageEvent<string>).data);
      if (a !== undefined) handler.current(a);
    });
    return () => es.close();
  }, [url]);
  return status;
}
