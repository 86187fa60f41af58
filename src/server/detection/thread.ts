import { parentPort } from 'node:worker_threads';
import type { Alert } from '../../engine/index.ts';
import { createDecoder, createDecodeStats, type RejectInfo } from '../../events/index.ts';
import { createOutputStats, type Output } from '../../outputs/index.ts';
import { createDetector, createSwappableDetector, runPipeline } from '../../pipeline/index.ts';
import {
  createOutboxOutput,
  createSpoolSource,
  type EmbeddedSpool,
  openSpoolState,
} from '../../spool/index.ts';
import { createCorrelationProgress } from './correlation-progress.ts';
import type { DetectionInit, FromDetection, ToDetection } from './messages.ts';

// The detection thread of `kaudit serve`: reads the spool from its committed position,
// decodes, runs the rules and adds the alerts to the outbox, then commits. It owns the
// CPU-heavy part so that the main thread answers the apiserver without waiting for it.
const port = parentPort;
if (port === null) throw new Error('the detection thread must run in a worker thread');
const post = (m: FromDetection): void => port.postMessage(m);

/** Progress is reported at most this often, and right after a batch that raised alerts. */
const PROGRESS_MS = 250;

let embedded: EmbeddedSpool | undefined;
const stopping = new AbortController();

async function start(init: DetectionInit): Promise<void> {
  embedded = openSpoolState(init.dataDir, init.spool);
  const { spool, outbox } = embedded;
  const detector = createSwappableDetector(createDetector(init.rules, init.detector));
  // The correlation state committed with the position resumes with it: a sequence begun
  // before a crash completes after it, and nothing replayed fires twice.
  detector.correlator?.restore(await spool.loadState());
  const alerts = new Map<string, [string, Alert['priority'], number]>();
  const rejects = new Map<string, number>();
  const firstRejects: { reason: string; message: string }[] = [];
  const seen = new Set<string>();
  let events = 0;
  let lastDuplicates = 0;
  let lastPost = 0;
  const onReject = (info: RejectInfo): void => {
    rejects.set(info.reason, (rejects.get(info.reason) ?? 0) + 1);
    if (!seen.has(info.reason)) {
      seen.add(info.reason);
      firstRejects.push({ reason: info.reason, message: info.message });
    }
  };
  // The decoder's own counters: its `events` are the events it decoded and passed on.
  const decodeStats = createDecodeStats();
  let lastDecoded = 0;
  const decoder = createDecoder({
    stats: decodeStats,
    onReject,
    maxEventSize: init.maxEventSize,
    ...(init.cluster !== undefined ? { cluster: init.cluster } : {}),
  });
  const outboxOutput = createOutboxOutput(outbox);
  // A report skipped for being too soon is sent later: the main thread's pending counts,
  // /readyz and the drain at SIGTERM wait on the last commit even when no batch follows.
  let trailing: NodeJS.Timeout | undefined;
  const correlation = createCorrelationProgress(() => detector.correlator?.stats);
  const report = async (force: boolean): Promise<void> => {
    const now = Date.now();
    if (!force && now - lastPost < PROGRESS_MS) {
      trailing ??= setTimeout(
        () => {
          trailing = undefined;
          void report(true);
        },
        PROGRESS_MS - (now - lastPost),
      );
      return;
    }
    clearTimeout(trailing);
    trailing = undefined;
    lastPost = now;
    post({
      type: 'progress',
      outboxHead: outbox.head(),
      committed: await spool.committed(),
      alerts: [...alerts.values()],
      rejects: [...rejects],
      duplicates: outboxOutput.duplicates - lastDuplicates,
      events,
      decoded: decodeStats.events - lastDecoded,
      firstRejects: firstRejects.splice(0),
      correlation: correlation(),
    });
    lastDecoded = decodeStats.events;
    alerts.clear();
    rejects.clear();
    lastDuplicates = outboxOutput.duplicates;
    events = 0;
  };
  // Commits come through the pipeline (after the outbox has the batch's alerts); a
  // progress message follows so delivery wakes at once.
  const reporting: Output = {
    name: 'progress',
    stats: createOutputStats(),
    closed: false,
    write(a) {
      const key = `${a.rule}\u0000${a.priority}`;
      const e = alerts.get(key);
      if (e === undefined) alerts.set(key, [a.rule, a.priority, 1]);
      else e[2]++;
    },
    flush: async () => {},
    close: async () => {},
  };
  port?.on('message', (m: ToDetection) => {
    if (m.type === 'appended') spool.observe({ head: m.head });
    else if (m.type === 'rules') {
      try {
        detector.swap(createDetector(m.rules, init.detector));
        post({ type: 'swapped', rules: detector.engine.activeRules.length });
      } catch (err) {
        post({ type: 'error', message: `rules swap failed: ${(err as Error).message}` });
      }
    }
  });
  post({ type: 'ready', rules: detector.engine.activeRules.length });
  const source = createSpoolSource(spool, () => detector.correlator?.takeChanges());
  void runPipeline({
    source: {
      name: source.name,
      async *read(ctx) {
        for await (const batch of source.read(ctx)) {
          events += batch.lines.length;
          yield {
            ...batch,
            commit: async () => {
              await batch.commit?.();
              await report(alerts.size > 0);
            },
          };
        }
      },
    },
    decoder,
    detector,
    outputs: [outboxOutput, reporting],
    signal: stopping.signal,
    // Stopping is not the end of the input: the state stays in the spool for the restart.
    keepState: true,
  })
    .then(() => report(true))
    .catch((err: unknown) => post({ type: 'error', message: (err as Error).stack ?? String(err) }))
    .finally(() => {
      clearTimeout(trailing);
      embedded?.close();
      post({ type: 'stopped' });
    });
}

port.on('message', (m: ToDetection) => {
  if (m.type === 'init') {
    start(m).catch((err: unknown) => {
      post({ type: 'error', message: (err as Error).message });
      post({ type: 'stopped' });
    });
  } else if (m.type === 'stop') stopping.abort();
});
