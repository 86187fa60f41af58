import { escapeCell as escapeControls, formatTable } from '../outputs/index.ts';
import {
  isSuspicious,
  type Timeline,
  type TimelineEntry,
  type TimelineMark,
} from './build-timeline.ts';
import type { TimelineEvent } from './timeline-event.ts';

const MARK_WORDS: Readonly<Record<TimelineMark['kind'], string>> = {
  'new-source-ip': 'NEW SOURCE IP',
  'new-user-agent': 'NEW USER AGENT',
  'new-namespace': 'first in namespace',
  denied: 'DENIED',
  alert: 'ALERT',
};

/** `2026-03-02T10:20:00.012Z` → `2026-03-02 10:20:00.012` (UTC). */
function utc(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 23);
}

function seconds(ns: bigint): string {
  const s = Number(ns / 1_000_000_000n);
  if (s < 120) return `${s} s`;
  return s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

function requestText(e: TimelineEvent): string {
  const what = e.subresource === '' ? e.resource : `${e.resource}/${e.subresource}`;
  const obj = [e.namespace, e.name].filter((s) => s !== '').join('/');
  return [e.verb, what, obj].filter((s) => s !== '').join(' ');
}

/** `!!`: a new address and a new agent at once (a token used elsewhere); `!`: any mark. */
function flag(marks: readonly TimelineMark[]): string {
  if (isSuspicious(marks)) return '!!';
  return marks.length > 0 ? '!' : '';
}

function entryRow(x: TimelineEntry): string[] {
  const e = x.first;
  const times =
    x.count > 1
      ? `${utc(e.timeNs).slice(11)} (${x.count}x to ${utc(x.lastNs).slice(11)})`
      : utc(e.timeNs).slice(11);
  return [
    flag(x.marks),
    times,
    requestText(e),
    e.code === undefined ? '' : String(e.code),
    e.sourceIp,
    x.marks.map((m) => `${MARK_WORDS[m.kind]} ${m.value}`).join('; '),
  ];
}

/**
 * The timeline as a terminal reads it: a summary line, then each session with its time
 * span, client and agent, and one row per request (repeats folded, marks last). Event
 * text is escaped (formatTable escapes control characters; the headings use
 * escapeControls).
 */
export function formatTimelineTable(identity: string, t: Timeline): string {
  const out: string[] = [];
  const sessions = `${t.sessions.length} session${t.sessions.length === 1 ? '' : 's'}`;
  const flagged =
    t.suspicious === 0
      ? ''
      : `; ${t.suspicious} marked !! (first use of a new source IP and user agent together)`;
  out.push(
    `Timeline of ${escapeControls(identity)}: ${t.requests} requests in ${sessions}${flagged}`,
  );
  for (const [i, s] of t.sessions.entries()) {
    const first = s.entries[0]?.first;
    out.push('');
    out.push(
      `Session ${i + 1}: ${utc(s.startNs)} to ${utc(s.endNs).slice(11)} UTC (${seconds(s.endNs - s.startNs)}), ` +
        `${s.requests} request${s.requests === 1 ? '' : 's'}, from ${escapeControls(first?.sourceIp ?? '')}, ${escapeControls(first?.userAgent ?? '')}`,
    );
    out.push(
      formatTable(['', 'TIME', 'REQUEST', 'CODE', 'FROM', 'MARKS'], s.entries.map(entryRow)),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The timeline as one JSON document for tools (times as RFC 3339 UTC and nanoseconds). */
export function formatTimelineJson(identity: string, t: Timeline): string {
  const iso = (ns: bigint): string => `${utc(ns).replace(' ', 'T')}Z`;
  const doc = {
    identity,
    requests: t.requests,
    suspicious: t.suspicious,
    sessions: t.sessions.map((s) => ({
      start: iso(s.startNs),
      end: iso(s.endNs),
      requests: s.requests,
      entries: s.entries.map((x) => ({
        time: iso(x.first.timeNs),
        timeNs: x.first.timeNs.toString(),
        lastTimeNs: x.lastNs.toString(),
        count: x.count,
        auditID: x.first.auditId,
        verb: x.first.verb,
        resource: x.first.resource,
        subresource: x.first.subresource,
        namespace: x.first.namespace,
        name: x.first.name,
        code: x.first.code ?? null,
        sourceIP: x.first.sourceIp,
        userAgent: x.first.userAgent,
        marks: x.marks,
      })),
    })),
  };
  return `${JSON.stringify(doc)}\n`;
}
