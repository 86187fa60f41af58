import type { CorrelationStats } from '../../engine/index.ts';
import type { CorrelationProgress } from './messages.ts';

const NONE: CorrelationStats = {
  groups: 0,
  buffered: 0,
  evicted: 0,
  late: 0,
  suppressed: 0,
  forced: 0,
};

/**
 * Turns the current correlator's counters (which count since it was created, and start
 * over when a rules reload builds a new one) into gauges and increments for Prometheus.
 */
export function createCorrelationProgress(
  current: () => CorrelationStats | undefined,
): () => CorrelationProgress {
  let last = NONE;
  const since = (now: number, before: number): number => (now >= before ? now - before : now);
  return () => {
    const s = current() ?? NONE;
    const out: CorrelationProgress = {
      groups: s.groups,
      buffered: s.buffered,
      evicted: since(s.evicted, last.evicted),
      late: since(s.late, last.late),
      suppressed: since(s.suppressed, last.suppressed),
    };
    last = { ...s };
    return out;
  };
}
