import type { DetectorConfig } from '../../pipeline/index.ts';
import type { LoadedRule, Priority } from '../../rules/index.ts';

/** How the detection thread opens the spool and decodes. Plain data. */
export interface DetectionInit {
  readonly type: 'init';
  readonly dataDir: string;
  readonly spool: { readonly maxBytes: number; readonly retentionMs: number };
  readonly detector: DetectorConfig;
  readonly rules: readonly LoadedRule[];
  readonly maxEventSize: number;
  readonly cluster?: string;
}

export type ToDetection =
  | DetectionInit
  /** The webhook appended batches up to `head`. */
  | { readonly type: 'appended'; readonly head: number }
  /** New rules, loaded and checked by the main thread: build an engine and switch. */
  | { readonly type: 'rules'; readonly rules: readonly LoadedRule[] }
  /** Finish the batch at hand, close the spool, answer 'stopped'. */
  | { readonly type: 'stop' };

/** Counts since the last progress message, and where detection stands. */
export interface DetectionProgress {
  readonly type: 'progress';
  /** The outbox's last entry: delivery loops read up to it. */
  readonly outboxHead: number;
  /** The spool position detection has committed. */
  readonly committed: number;
  readonly alerts: readonly (readonly [rule: string, priority: Priority, count: number])[];
  readonly rejects: readonly (readonly [reason: string, count: number])[];
  readonly duplicates: number;
  readonly events: number;
  /** Of those, the events the decoder turned into audit events (the others: rejects). */
  readonly decoded: number;
  /** The first reject of each reason, for the log (once per reason per thread). */
  readonly firstRejects: readonly { readonly reason: string; readonly message: string }[];
  /** Correlation gauges now, and counts since the last progress message. */
  readonly correlation: CorrelationProgress;
}

/** What the correlator of the detection thread reports with its progress. */
export interface CorrelationProgress {
  readonly groups: number;
  readonly buffered: number;
  readonly evicted: number;
  readonly late: number;
  readonly suppressed: number;
}

export type FromDetection =
  | { readonly type: 'ready'; readonly rules: number }
  | DetectionProgress
  | { readonly type: 'swapped'; readonly rules: number }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'stopped' };
