import { formatDuration, type SuppressSpec } from '../../rules/correlation.ts';
import type { Alert } from '../alert.ts';
import { GroupTable, type TableLimits } from './group-table.ts';
import { MAX_ALERT_AUDIT_IDS } from './kind.ts';

/** A suppression window: opened by an alert that fired, counting the ones it held back. */
interface Window {
  readonly start: number;
  /** The key's values, in the order of the rule's `by`. */
  readonly v: readonly string[];
  n: number;
  ids: string[];
  /** The newest alert held back (without its event): the summary repeats it. */
  last?: Alert;
}

/** The suppression of one rule (`suppress:`), per key. */
export interface Suppression {
  /** An alert of the rule at `tUs`: returns what to emit (it, or nothing, or a summary first). */
  offer(
    key: string,
    values: readonly string[],
    alert: Alert,
    tUs: number,
    auditId: string | undefined,
  ): Alert[];
  /** Closes the windows that ended before `nowUs`; summaries of those that held any back. */
  close(nowUs: number, out: Alert[]): void;
  /** Closes every window (end of input). */
  closeAll(out: Alert[]): void;
  readonly table: GroupTable<unknown>;
  /** Windows as stored (JSON-able as they are). */
  readonly weightOf: (state: unknown) => number;
  /** Alerts held back, since creation. */
  readonly suppressed: number;
}

function withoutEvent(a: Alert): Alert {
  const { event: _e, eventText: _t, ...rest } = a;
  return rest;
}

/**
 * `suppress:` (any rule): the first alert of a key opens a window of `within`; the key's
 * alerts inside it are counted, not emitted; when the window closes (event time passes
 * its end, or it is evicted), an alert that held any back is followed by a summary: the
 * last one held back, saying how many there were.
 */
export function createSuppression(
  spec: SuppressSpec,
  limits: TableLimits,
  durable: boolean,
): Suppression {
  const windowUs = spec.windowMs * 1000;
  const window = formatDuration(spec.windowMs);
  const table = new GroupTable<Window>(limits, durable);
  let suppressed = 0;
  const summary = (w: Window, out: Alert[]): void => {
    if (w.n === 0 || w.last === undefined) return;
    const group: Record<string, string> = {};
    spec.by.forEach((t, i) => {
      group[t.label] = w.v[i] ?? '';
    });
    const last = w.last;
    out.push({
      ...last,
      message: `${last.message} (${w.n} similar alert${w.n === 1 ? '' : 's'} suppressed within ${window})`,
      outputFields: { ...last.outputFields, 'correlation.suppressed': String(w.n) },
      correlation: { count: w.n, windowMs: spec.windowMs, group, auditIds: [...w.ids] },
      suppressed: w.n,
    });
  };
  return {
    table: table as GroupTable<unknown>,
    weightOf: () => 1,
    get suppressed() {
      return suppressed;
    },
    offer(key, values, alert, tUs, auditId) {
      const out: Alert[] = [];
      let w = table.get(key);
      if (w !== undefined && tUs > w.start + windowUs) {
        table.delete(key);
        summary(w, out);
        w = undefined;
      }
      if (w === undefined) {
        const opened: Window = { start: tUs, v: values, n: 0, ids: [] };
        table.set(key, opened, tUs, 1, (_k, old) => summary(old, out));
        out.push(alert);
        return out;
      }
      suppressed++;
      w.n++;
      if (auditId !== undefined) {
        w.ids.push(auditId);
        if (w.ids.length > MAX_ALERT_AUDIT_IDS) w.ids.shift();
      }
      w.last = withoutEvent(alert);
      table.update(key, w, 1);
      return out;
    },
    close(nowUs, out) {
      table.expireBefore(nowUs - windowUs, (_key, w) => summary(w, out));
    },
    closeAll(out) {
      for (const [key, w] of [...table.entries()]) {
        table.delete(key);
        summary(w, out);
      }
    },
  };
}
