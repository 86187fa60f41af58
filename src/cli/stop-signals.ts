/** The signals that end a followed scan cleanly (Ctrl-C, `kill`, a container stop). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `work` with an AbortSignal that SIGINT or SIGTERM aborts, so that a run that
 * never ends by itself (`--follow`) stops reading, flushes, prints its summary and exits
 * with its usual code, as Falco does on these signals. A second signal exits at once
 * (130 for SIGINT, 143 for SIGTERM), for a run that does not stop.
 */
export async function withStopSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) process.exit(sig === 'SIGINT' ? 130 : 143);
    ac.abort();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    return await work(ac.signal);
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
