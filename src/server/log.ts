import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The server's structured log: JSON lines on stderr (or the given stream), one line per
 * thing an operator cares about (start, reloads, refused requests by kind, output
 * failures, shutdown), never one per event.
 */
export function createServerLog(level: string, stream?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'kaudit' }, timestamp: pino.stdTimeFunctions.isoTime },
    stream ?? pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * Logs each kind of problem at most once per interval, with how many were suppressed:
 * a flood of bad requests must not become a flood of log lines.
 */
export function createThrottledLog(log: Logger, intervalMs = 60_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, detail: Record<string, unknown>): void => {
    const now = Date.now();
    const seen = last.get(kind);
    if (seen !== undefined && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    last.set(kind, { at: now, suppressed: 0 });
    log.warn(
      { kind, ...detail, ...(suppressed > 0 ? { suppressedSinceLast: suppressed } : {}) },
      `webhook: ${kind}`,
    );
  };
}
