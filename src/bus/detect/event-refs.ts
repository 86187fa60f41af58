import type { Alert, StepMatch } from '../../engine/index.ts';
import { decodeBatch } from '../batch-message.ts';
import type { Bus } from '../connect.ts';

/** The origin a routed match carries instead of its event: the batch's stream sequence. */
const REF = 'bus-batch:';
/** Batches kept decoded for resolving: alerts of one partition message come from few. */
const CACHE = 32;

/**
 * A step match as it travels to its partition: without its event's text, which is most
 * of its size (and of the correlation state it becomes), but with the stream sequence of
 * the batch that holds the event and the event's line in it. The partition puts the text
 * back only on the alerts that fire (resolveEvents), a small fraction of the matches.
 */
export function withEventRef(m: StepMatch, batchSeq: number): StepMatch {
  const a = m.alert;
  if (a.eventText === undefined || a.line === undefined) return m;
  const { eventText: _t, ...rest } = a;
  return { ...m, alert: { ...rest, origin: `${REF}${batchSeq}` } };
}

/**
 * Puts the event text back on alerts whose match travelled by reference, reading the
 * batch from the stream (kept while the stream keeps it: `maxAgeMs`, 24 h by default,
 * longer than any correlation window). A batch gone by then leaves the alert without its
 * event, as an alert of an event too large to keep would be.
 */
export function createEventResolver(bus: Bus): (alerts: readonly Alert[]) => Promise<Alert[]> {
  const cache = new Map<number, readonly string[]>();
  const eventsOf = async (seq: number): Promise<readonly string[] | undefined> => {
    const hit = cache.get(seq);
    if (hit !== undefined) return hit;
    const m = await bus.jsm.streams.getMessage(bus.options.stream, { seq }).catch(() => null);
    if (m === null) return undefined;
    const events = decodeBatch({ data: m.data, headers: m.header, seq }).events;
    if (cache.size >= CACHE) cache.delete(cache.keys().next().value as number);
    cache.set(seq, events);
    return events;
  };
  return async (alerts) => {
    const out: Alert[] = [];
    for (const a of alerts) {
      if (a.eventText !== undefined || a.origin?.startsWith(REF) !== true || a.line === undefined) {
        out.push(a);
        continue;
      }
      const events = await eventsOf(Number(a.origin.slice(REF.length)));
      const text = events?.[a.line - 1];
      out.push({ ...a, origin: 'bus', ...(text !== undefined ? { eventText: text } : {}) });
    }
    return out;
  };
}
