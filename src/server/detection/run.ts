import type { DetectorConfig } from '../../pipeline/index.ts';
import type { LoadedRule } from '../../rules/index.ts';
import type { Spool } from '../../spool/index.ts';
import type { ServeConfig } from '../config/serve-config.ts';
import type { Logger } from '../log.ts';
import type { ServeMetrics } from '../metrics.ts';
import type { ServeState } from '../state.ts';
import { type DetectionThread, startDetectionThread } from './client.ts';
import type { DetectionProgress } from './messages.ts';

/** Detection as the rest of serve sees it. */
export interface RunningDetection {
  readonly thread: DetectionThread;
  /** The spool as the webhook uses it: each append wakes the detection thread. */
  readonly spool: Spool;
  /** Why detection stopped, when it failed. */
  readonly failure: () => string | undefined;
  /** Duplicates suppressed since the last call (for the metric). */
  takeDuplicates(): number;
}

/**
 * Starts the detection thread on the spool and turns its progress into what the main
 * thread needs: the spool's committed position (pending counts, limits), the outbox head
 * (wakes delivery), metrics, and the first reject of each kind in the log.
 */
export async function runDetection(
  c: ServeConfig,
  detector: DetectorConfig,
  rules: readonly LoadedRule[],
  state: ServeState,
  metrics: ServeMetrics,
  log: Logger,
): Promise<RunningDetection> {
  const { embedded } = state;
  const seenRejects = new Set<string>();
  let duplicates = 0;
  let failed: string | undefined;
  const onProgress = (p: DetectionProgress): void => {
    embedded.spool.observe({ committed: p.committed });
    embedded.outbox.observe(p.outboxHead);
    for (const [rule, priority, n] of p.alerts) metrics.alerts.inc({ rule, priority }, n);
    for (const [reason, n] of p.rejects) metrics.decodeRejects.inc({ reason }, n);
    metrics.decodedEvents.inc(p.decoded);
    duplicates += p.duplicates;
    metrics.correlationGroups.set(p.correlation.groups);
    metrics.correlationBuffered.set(p.correlation.buffered);
    metrics.correlationEvicted.inc(p.correlation.evicted);
    metrics.correlationLate.inc(p.correlation.late);
    metrics.correlationSuppressed.inc(p.correlation.suppressed);
    for (const r of p.firstRejects) {
      if (seenRejects.has(r.reason)) continue;
      seenRejects.add(r.reason);
      log.warn(
        { reason: r.reason, message: r.message },
        'detection: spooled event rejected (first of its kind)',
      );
    }
  };
  const thread = startDetectionThread(
    {
      dataDir: c.dataDir,
      spool: state.spoolOptions,
      detector,
      rules,
      maxEventSize: c.maxEventSize,
      ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
    },
    {
      onProgress,
      onFailure: (message) => {
        failed = message;
        log.fatal({ message }, 'detection failed; the webhook stops accepting batches');
      },
    },
  );
  metrics.rulesLoaded.set(await thread.ready);
  return {
    thread,
    spool: {
      ...embedded.spool,
      append: async (batch) => {
        const position = await embedded.spool.append(batch);
        thread.appended(position);
        return position;
      },
    },
    failure: () => failed,
    takeDuplicates() {
      const n = duplicates;
      duplicates = 0;
      return n;
    },
  };
}
