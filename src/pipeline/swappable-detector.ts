import type { Correlator } from '../engine/index.ts';
import type { Detector } from './detector.ts';

/** A detector whose rules can be replaced while events flow (`kaudit serve` reloads). */
export interface SwappableDetector extends Detector {
  /** Replaces the detector; the next event is judged by the new one. */
  swap(next: Detector): void;
  readonly current: Detector;
}

/**
 * Wraps a detector so that a rules reload can build a new engine aside and switch to it
 * in one assignment: an event is judged entirely by the old rules or entirely by the new
 * ones, never by a mix. The correlation state moves to the new detector: rules whose
 * correlation is unchanged keep their groups and waiting matches, the others start over.
 */
export function createSwappableDetector(initial: Detector): SwappableDetector {
  let current = initial;
  // The prefilter follows the current detector; a detector without one skips nothing.
  const skipLine = (line: string): boolean => current.skipLine?.(line) ?? false;
  return {
    get engine() {
      return current.engine;
    },
    get current() {
      return current;
    },
    get correlator(): Correlator | undefined {
      return current.correlator;
    },
    skipLine,
    process: (rec) => current.process(rec),
    finish: () => current.finish(),
    resetClock: () => current.resetClock(),
    swap(next) {
      const from = current.correlator;
      if (from !== undefined && next.correlator !== undefined) {
        next.correlator.restore(from.snapshot(), true);
      }
      current = next;
    },
  };
}
