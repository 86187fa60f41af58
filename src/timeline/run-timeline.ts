import type { Decoder } from '../events/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import { compileCondition, type Expr } from '../lang/index.ts';
import type { RunStats } from '../outputs/index.ts';
import { createDetector, narrowCondition, streamRecords } from '../pipeline/index.ts';
import type { LoadedRule } from '../rules/index.ts';
import type { InputError, Source } from '../sources/index.ts';
import { buildTimeline, type Timeline } from './build-timeline.ts';
import { type TimelineEvent, toTimelineEvent } from './timeline-event.ts';

/** A timeline run: whose events (identityCondition), from where, with which rules. */
export interface TimelineRunOptions {
  readonly source: Source;
  readonly decoder: Decoder;
  readonly identity: Expr;
  readonly rules: readonly LoadedRule[];
  readonly gapNs?: bigint;
  /** At most this many requests are held (default 200,000, some 200 MB). */
  readonly maxRequests?: number;
  readonly onInputError?: (err: InputError) => void;
}

export interface TimelineRun extends RunStats {
  readonly timeline: Timeline;
  /** More requests than maxRequests: the first ones read are shown. */
  readonly truncated: boolean;
}

const MAX_REQUESTS = 200_000;

/**
 * Reads the source for one identity's events: each request's last stage (as
 * `query --final`) becomes a timeline line, and the rules run on every stage of its
 * requests, their alerts marked on the request's line. The lines are sorted by time
 * (equal times keep input order) and folded by buildTimeline.
 */
export async function runTimeline(opts: TimelineRunOptions): Promise<TimelineRun> {
  const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };
  const isIdentity = compileCondition(opts.identity, env).fn;
  const isFinal = compileCondition(narrowCondition(opts.identity, { final: true }), env).fn;
  const detector = createDetector(opts.rules, {
    ruleMatching: 'all',
    hostname: 'kaudit',
    fastpath: false,
  });
  const max = opts.maxRequests ?? MAX_REQUESTS;
  const events: TimelineEvent[] = [];
  const alerts = new Map<string, string[]>();
  let truncated = false;
  const run = await streamRecords({
    source: opts.source,
    decoder: opts.decoder,
    ...(opts.onInputError !== undefined ? { onInputError: opts.onInputError } : {}),
    onRecord: (rec) => {
      if (rec.source !== 'k8s_audit' || !isIdentity(rec)) return;
      const id = typeof rec.obj.auditID === 'string' ? rec.obj.auditID : '';
      for (const a of detector.process(rec)) {
        const names = alerts.get(id) ?? [];
        if (!names.includes(a.rule)) names.push(a.rule);
        alerts.set(id, names);
      }
      if (!isFinal(rec)) return;
      if (events.length >= max) truncated = true;
      else events.push(toTimelineEvent(rec));
    },
  });
  events.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  const timeline = buildTimeline(events, {
    alerts,
    ...(opts.gapNs !== undefined ? { gapNs: opts.gapNs } : {}),
  });
  return { ...run, timeline, truncated };
}
