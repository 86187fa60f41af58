/** Event time (ns since the epoch, decimal text) in whole µs: exact for audit timestamps. */
export function timeNsToUs(ns: string): number {
  return ns.length > 3 ? Number(ns.slice(0, -3)) : 0;
}

/**
 * Event time in whole seconds: the correlation clock moves when it grows. A scanning
 * thread reports the events where its own maximum grows, a superset of where the whole
 * run's does, so that the thread correlating sees the clock move at the same events.
 */
export function timeNsToSeconds(ns: string): number {
  return ns.length > 9 ? Number(ns.slice(0, -9)) : 0;
}
