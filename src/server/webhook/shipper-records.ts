import { parseJsonText } from '../../events/parse-json.ts';
import { isObject } from '../../events/validate.ts';

/**
 * The keys under which log shippers put a log line they did not parse: Fluent Bit's
 * tail input (`log`), Vector's file and kubernetes_logs sources (`message`).
 */
const LINE_KEYS = ['log', 'message'] as const;

/** One element of a shipper's batch, turned into what the webhook stores. */
export interface ShipperElement {
  /** The audit event (or the element itself when it holds no event). */
  readonly value: unknown;
  /** The event's own text when it came as a string inside the record. */
  readonly text?: string;
}

/**
 * An audit event as a log shipper forwards it. Fluent Bit's and Vector's HTTP outputs
 * send either the parsed event with the shipper's own keys beside it (Fluent Bit's
 * `date`, Vector's `timestamp`, `file`, `host`): that is an Event as it is, the extra
 * keys are not read; or a record holding the log line as a string (`log`, `message`):
 * then that string is the event. Anything else is returned unchanged, for the usual
 * checks to refuse. `maxDepth` bounds the nesting of the inner text.
 */
export function unwrapShipperRecord(v: unknown, maxDepth: number): ShipperElement {
  if (!isObject(v) || v.kind === 'Event') return { value: v };
  for (const key of LINE_KEYS) {
    const line = v[key];
    if (typeof line !== 'string') continue;
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    const parsed = parseJsonText(text, maxDepth);
    if (parsed.ok && isObject(parsed.value) && parsed.value.kind === 'Event') {
      return { value: parsed.value, text };
    }
  }
  return { value: v };
}
