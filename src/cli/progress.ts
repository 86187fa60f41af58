import type { DecodeStats } from '../events/index.ts';

/**
 * A one-line progress report on stderr, refreshed twice a second, only when stderr is
 * a terminal (never in pipes, files or CI logs).
 */
export function startProgress(stderr: NodeJS.WritableStream, stats: DecodeStats): { stop(): void } {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  if (!tty) return { stop() {} };
  const started = Date.now();
  const timer = setInterval(() => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(stats.events / secs) : 0;
    const mb = (stats.bytes / (1024 * 1024)).toFixed(0);
    stderr.write(`\r\x1b[K${stats.events} events, ${mb} MiB, ${rate} events/s`);
  }, 500);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      stderr.write('\r\x1b[K');
    },
  };
}
