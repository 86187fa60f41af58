import type { TimelineEvent } from './timeline-event.ts';

/** Why a timeline line matters. */
export type MarkKind = 'new-source-ip' | 'new-user-agent' | 'new-namespace' | 'denied' | 'alert';

export interface TimelineMark {
  readonly kind: MarkKind;
  /** The new address, agent or namespace, the status code, or the rule's name. */
  readonly value: string;
}

/** One line: an event, or a run of identical requests folded into one (`count`). */
export interface TimelineEntry {
  readonly first: TimelineEvent;
  readonly lastNs: bigint;
  readonly count: number;
  readonly marks: readonly TimelineMark[];
}

/** Events with no gap longer than the session gap between them. */
export interface TimelineSession {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly requests: number;
  readonly entries: readonly TimelineEntry[];
}

export interface Timeline {
  readonly requests: number;
  readonly sessions: readonly TimelineSession[];
  /** Lines with a first use of both a new address and a new agent: a token used elsewhere. */
  readonly suspicious: number;
}

export interface TimelineOptions {
  /** A pause longer than this starts a new session (default 10 minutes). */
  readonly gapNs?: bigint;
  /** Rule names that fired on each request, by auditID. */
  readonly alerts?: ReadonlyMap<string, readonly string[]>;
}

const DEFAULT_GAP_NS = 600_000_000_000n;

/** Same request again (polling, retries): folded into one line when nothing new is marked. */
function sameRequest(a: TimelineEvent, b: TimelineEvent): boolean {
  return (
    a.verb === b.verb &&
    a.resource === b.resource &&
    a.subresource === b.subresource &&
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.code === b.code &&
    a.sourceIp === b.sourceIp &&
    a.userAgent === b.userAgent
  );
}

function isDenied(e: TimelineEvent): boolean {
  return e.code === 401 || e.code === 403 || e.decision === 'forbid';
}

/** What the identity used before the event at hand. */
interface Seen {
  readonly ips: Set<string>;
  readonly agents: Set<string>;
  readonly namespaces: Set<string>;
}

/** The event's marks; first uses only against what was `seen` (none for the first event). */
function markEvent(
  e: TimelineEvent,
  seen: Seen | undefined,
  alerts: ReadonlyMap<string, readonly string[]> | undefined,
): TimelineMark[] {
  const marks: TimelineMark[] = [];
  if (seen !== undefined) {
    if (e.sourceIp !== '' && !seen.ips.has(e.sourceIp)) {
      marks.push({ kind: 'new-source-ip', value: e.sourceIp });
    }
    if (e.userAgent !== '' && !seen.agents.has(e.userAgent)) {
      marks.push({ kind: 'new-user-agent', value: e.userAgent });
    }
    if (e.namespace !== '' && !seen.namespaces.has(e.namespace)) {
      marks.push({ kind: 'new-namespace', value: e.namespace });
    }
  }
  if (isDenied(e)) marks.push({ kind: 'denied', value: String(e.code ?? e.decision) });
  for (const rule of alerts?.get(e.auditId) ?? []) marks.push({ kind: 'alert', value: rule });
  return marks;
}

/** A new address and a new agent at once: the identity's token on another machine. */
export function isSuspicious(marks: readonly TimelineMark[]): boolean {
  return (
    marks.some((m) => m.kind === 'new-source-ip') && marks.some((m) => m.kind === 'new-user-agent')
  );
}

/**
 * Folds one identity's events (in time order, one per request) into sessions and marks
 * what an incident responder looks for: the first use of a source IP or user agent after
 * the identity's first request (the first request sets what is usual), the first access
 * to each namespace after it, denials, and the rules that fired on the request. A line
 * with both a new address and a new agent is counted in `suspicious`: that is how a token
 * used from someone else's machine looks.
 */
export function buildTimeline(
  events: readonly TimelineEvent[],
  opts: TimelineOptions = {},
): Timeline {
  const gap = opts.gapNs ?? DEFAULT_GAP_NS;
  const seen: Seen = { ips: new Set(), agents: new Set(), namespaces: new Set() };
  const sessions: TimelineSession[] = [];
  let entries: { first: TimelineEvent; lastNs: bigint; count: number; marks: TimelineMark[] }[] =
    [];
  let startNs = 0n;
  let lastNs = 0n;
  let requests = 0;
  let suspicious = 0;
  const close = (): void => {
    if (entries.length > 0) sessions.push({ startNs, endNs: lastNs, requests, entries });
    entries = [];
    requests = 0;
  };
  for (const [i, e] of events.entries()) {
    if (entries.length > 0 && e.timeNs - lastNs > gap) close();
    if (entries.length === 0) startNs = e.timeNs;
    const marks = markEvent(e, i > 0 ? seen : undefined, opts.alerts);
    if (isSuspicious(marks)) suspicious++;
    seen.ips.add(e.sourceIp);
    seen.agents.add(e.userAgent);
    seen.namespaces.add(e.namespace);
    const prev = entries.at(-1);
    if (
      prev !== undefined &&
      marks.length === 0 &&
      prev.marks.length === 0 &&
      sameRequest(prev.first, e)
    ) {
      prev.count++;
      prev.lastNs = e.timeNs;
    } else {
      entries.push({ first: e, lastNs: e.timeNs, count: 1, marks });
    }
    lastNs = e.timeNs;
    requests++;
  }
  close();
  return { requests: events.length, sessions, suspicious };
}
