// A brute-force reference for CORRELATION_CORPUS_RULES (tests/helpers/correlation-corpus.ts):
// each rule's meaning written out directly over the whole corpus sorted by event time,
// with no reorder buffer, group table, expiry, eviction, threads or stored state. The
// differential tests compare the engine's alerts with these, as canonical strings.

type Event = Record<string, unknown>;

interface Timed {
  readonly e: Event;
  /** Event time, µs since the epoch. */
  readonly t: number;
  readonly timeNs: string;
  readonly id: string;
  readonly user: string;
  readonly verb: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name: string | undefined;
  readonly code: number;
}

/** One alert as the differential tests compare them. */
export interface CanonicalAlert {
  readonly rule: string;
  readonly timeNs: string;
  /** Correlated or summary alerts: the count; plain alerts: undefined. */
  readonly count?: number;
  readonly auditIds?: readonly string[];
  readonly summary?: boolean;
}

/** The comparable text of an alert (auditIDs sorted: their order is not the claim). */
export function canonical(a: CanonicalAlert): string {
  const ids = a.auditIds === undefined ? '' : [...a.auditIds].sort().join(',');
  return `${a.rule}|${a.timeNs}|${a.count ?? ''}|${ids}|${a.summary === true ? 'S' : ''}`;
}

function timed(e: Event): Timed {
  const stamp = e.stageTimestamp as string;
  const secs = Date.parse(`${stamp.slice(0, 19)}Z`) / 1000;
  const micros = stamp.slice(20, 26);
  const ref = e.objectRef as Record<string, string>;
  return {
    e,
    t: secs * 1e6 + Number(micros),
    timeNs: `${secs}${micros}000`,
    id: e.auditID as string,
    user: (e.user as { username: string }).username,
    verb: e.verb as string,
    resource: ref.resource as string,
    namespace: ref.namespace as string,
    name: ref.name,
    code: (e.responseStatus as { code: number }).code,
  };
}

/** Sorted by event time, then arrival: the order the engine correlates in. */
function byTime(events: readonly Event[]): Timed[] {
  return events
    .map((e, i) => ({ x: timed(e), i }))
    .sort((a, b) => a.x.t - b.x.t || a.i - b.i)
    .map((p) => p.x);
}

const S = 1e6;

/** threshold: N matching events of a group within W, counting only events after its last alert. */
function threshold(
  evs: readonly Timed[],
  rule: string,
  n: number,
  w: number,
  match: (x: Timed) => boolean,
  key: (x: Timed) => string,
): CanonicalAlert[] {
  const out: CanonicalAlert[] = [];
  const lastFire = new Map<string, number>();
  evs.forEach((x, i) => {
    if (!match(x)) return;
    const k = key(x);
    const from = lastFire.get(k) ?? -1;
    const inWindow = evs.filter(
      (y, j) => j > from && j <= i && match(y) && key(y) === k && y.t >= x.t - w,
    );
    if (inWindow.length >= n) {
      out.push({
        rule,
        timeNs: x.timeNs,
        count: inWindow.length,
        auditIds: inWindow.map((y) => y.id),
      });
      lastFire.set(k, i);
    }
  });
  return out;
}

/** distinct: N distinct values in a group within W (a value's newest event counts). */
function distinct(
  evs: readonly Timed[],
  rule: string,
  n: number,
  w: number,
  match: (x: Timed) => boolean,
  key: (x: Timed) => string,
  value: (x: Timed) => string,
): CanonicalAlert[] {
  const out: CanonicalAlert[] = [];
  const lastFire = new Map<string, number>();
  evs.forEach((x, i) => {
    if (!match(x)) return;
    const k = key(x);
    const from = lastFire.get(k) ?? -1;
    const newest = new Map<string, Timed>();
    evs.forEach((y, j) => {
      if (j > from && j <= i && match(y) && key(y) === k && y.t >= x.t - w) newest.set(value(y), y);
    });
    if (newest.size >= n) {
      out.push({
        rule,
        timeNs: x.timeNs,
        count: newest.size,
        auditIds: [...newest.values()].map((y) => y.id),
      });
      lastFire.set(k, i);
    }
  });
  return out;
}

/**
 * sequence: per group, the newest first step waits; each later step takes over the
 * partial sequence of the step before it when it lies within W of the sequence's first
 * event (else that partial is dropped); the last step fires.
 */
function sequence(
  evs: readonly Timed[],
  rule: string,
  w: number,
  steps: readonly { match: (x: Timed) => boolean; key: (x: Timed) => string }[],
): CanonicalAlert[] {
  const out: CanonicalAlert[] = [];
  const waiting = new Map<string, (Timed[] | null)[]>();
  for (const x of evs) {
    for (let s = steps.length - 1; s >= 0; s--) {
      const step = steps[s] as (typeof steps)[number];
      if (!step.match(x)) continue;
      const k = step.key(x);
      const partials = waiting.get(k) ?? steps.map(() => null);
      waiting.set(k, partials);
      if (s === 0) {
        partials[0] = [x];
        continue;
      }
      const before = partials[s - 1];
      if (before == null) continue;
      partials[s - 1] = null;
      if (x.t - (before[0] as Timed).t > w) continue;
      const next = [...before, x];
      if (s === steps.length - 1) {
        out.push({ rule, timeNs: x.timeNs, count: next.length, auditIds: next.map((y) => y.id) });
      } else partials[s] = next;
    }
  }
  return out;
}

/** unordered: every step's newest match of a group within W of the event that completes them. */
function unordered(
  evs: readonly Timed[],
  rule: string,
  w: number,
  key: (x: Timed) => string,
  steps: readonly ((x: Timed) => boolean)[],
): CanonicalAlert[] {
  const out: CanonicalAlert[] = [];
  const lastFire = new Map<string, number>();
  evs.forEach((x, i) => {
    if (!steps.some((m) => m(x))) return;
    const k = key(x);
    const from = lastFire.get(k) ?? -1;
    const newest = steps.map((m) => {
      let found: Timed | undefined;
      evs.forEach((y, j) => {
        if (j > from && j <= i && m(y) && key(y) === k && y.t >= x.t - w) found = y;
      });
      return found;
    });
    if (newest.every((y) => y !== undefined)) {
      out.push({
        rule,
        timeNs: x.timeNs,
        count: steps.length,
        auditIds: newest.map((y) => (y as Timed).id),
      });
      lastFire.set(k, i);
    }
  });
  return out;
}

/**
 * suppress: per key, an alert opens a window of W and is kept; the key's alerts up to W
 * after it are held back; a window that held any back ends with a summary: the last one
 * held back, with their number and auditIDs.
 */
function suppress(
  alerts: readonly { a: CanonicalAlert; t: number; key: string; id: string }[],
  w: number,
): CanonicalAlert[] {
  const out: CanonicalAlert[] = [];
  const open = new Map<string, { start: number; held: { a: CanonicalAlert; id: string }[] }>();
  const close = (win: { held: { a: CanonicalAlert; id: string }[] }) => {
    const last = win.held.at(-1);
    if (last === undefined) return;
    out.push({
      rule: last.a.rule,
      timeNs: last.a.timeNs,
      count: win.held.length,
      auditIds: win.held.map((h) => h.id),
      summary: true,
    });
  };
  for (const x of [...alerts].sort((p, q) => p.t - q.t)) {
    const win = open.get(x.key);
    if (win !== undefined && x.t <= win.start + w) {
      win.held.push({ a: x.a, id: x.id });
      continue;
    }
    if (win !== undefined) close(win);
    open.set(x.key, { start: x.t, held: [] });
    out.push(x.a);
  }
  for (const win of open.values()) close(win);
  return out;
}

/** The alerts CORRELATION_CORPUS_RULES give on `events` (in arrival order), canonical. */
export function referenceAlerts(events: readonly Event[]): string[] {
  const evs = byTime(events);
  const user = (x: Timed) => x.user;
  const out: CanonicalAlert[] = [];
  out.push(...threshold(evs, 'Forbidden Burst', 3, 30 * S, (x) => x.code === 403, user));
  out.push(
    ...distinct(
      evs,
      'Namespaces Touched',
      3,
      60 * S,
      (x) => x.resource === 'secrets' && (x.verb === 'get' || x.verb === 'list'),
      user,
      (x) => x.namespace,
    ),
  );
  out.push(
    ...sequence(evs, 'Created Then Used', 120 * S, [
      {
        match: (x) => x.verb === 'create' && x.resource === 'serviceaccounts' && x.code === 201,
        key: (x) => `system:serviceaccount:${x.namespace}:${x.name ?? ''}`,
      },
      { match: (x) => x.verb === 'list', key: user },
      { match: (x) => x.verb === 'delete', key: user },
    ]),
  );
  const churn = unordered(
    evs,
    'Delete And Create',
    60 * S,
    (x) => `${x.user}\u0000${x.namespace}`,
    [
      (x) => x.verb === 'delete' && x.resource === 'pods',
      (x) => x.verb === 'create' && x.resource === 'pods',
    ],
  );
  const completing = new Map(evs.map((x) => [x.timeNs, x]));
  out.push(
    ...suppress(
      churn.map((a) => {
        const x = completing.get(a.timeNs) as Timed;
        return { a, t: x.t, key: x.user, id: x.id };
      }),
      180 * S,
    ),
  );
  const cm = evs.filter((x) => x.verb === 'delete' && x.resource === 'configmaps');
  out.push(
    ...suppress(
      cm.map((x) => ({
        a: { rule: 'Configmap Deleted', timeNs: x.timeNs },
        t: x.t,
        key: x.user,
        id: x.id,
      })),
      120 * S,
    ),
  );
  for (const x of evs) {
    if (x.verb === 'list' && x.resource === 'pods' && x.code === 200) {
      out.push({ rule: 'Pod Listed', timeNs: x.timeNs });
    }
  }
  return out.map(canonical).sort();
}
