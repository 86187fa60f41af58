import { parentPort, workerData } from 'node:worker_threads';
import { Writable } from 'node:stream';
import { createDecoder, type RejectInfo } from '../../events/index.ts';
import { priorityRank } from '../../engine/index.ts';
import { readInputs } from '../../sources/index.ts';
import { processLines } from '../pipeline.ts';
import { loadRuleset } from '../ruleset.ts';
import { createScanCore, type ScanConfig } from '../scan-core.ts';
import type { ChunkResult, WorkerReject, WorkerRequest, WorkerResponse } from './messages.ts';
import type { Chunk } from './plan-chunks.ts';
import { readRangeLines } from './read-range.ts';

const MAX_LINE_BYTES = 4 * 1024 * 1024;
const cfg = workerData as ScanConfig;
const port = parentPort;
if (port === null) throw new Error('scan-worker must run in a worker thread');
const post = (m: WorkerResponse): void => port.postMessage(m);

const devNull = new Writable({ write: (_c, _e, cb) => cb() });
const loaded = await loadRuleset({ ...cfg, stderr: devNull });
const core = createScanCore(loaded.rules, cfg);
post({ type: 'ready' });

async function runChunk(chunk: Chunk): Promise<ChunkResult> {
  const out: string[] = [];
  let minRank = 99;
  const rejects: WorkerReject[] = [];
  const onReject = (r: RejectInfo): void => {
    rejects.push({
      reason: r.reason,
      origin: r.origin,
      line: r.line,
      ...(r.column !== undefined ? { column: r.column } : {}),
      message: r.message,
    });
  };
  const decoder = createDecoder({
    onReject,
    ...(cfg.maxEventSize ? { maxEventSize: cfg.maxEventSize } : {}),
  });
  const stats = decoder.stats;
  let skipped = 0;
  const skip = core.skipLine;
  const emit = (line: string, a: { priority: Parameters<typeof priorityRank>[0] }): void => {
    out.push(line, '\n');
    const rank = priorityRank(a.priority);
    if (rank < minRank) minRank = rank;
  };
  const onLines = (lines: readonly string[], firstLine: number): void => {
    skipped += processLines(lines, chunk.path, firstLine, decoder, skip, (rec) =>
      core.processRecord(rec, emit),
    );
  };
  let lines: number;
  if (chunk.gzip) {
    lines = 0;
    for await (const b of readInputs([chunk.path], { stats, onReject })) {
      onLines(b.lines, b.firstLine);
      lines = b.firstLine + b.lines.length - 1;
    }
  } else {
    lines = await readRangeLines(
      chunk.path,
      chunk.start,
      chunk.end,
      MAX_LINE_BYTES,
      onLines,
      (r) => {
        stats.rejected[r.reason]++;
        onReject({
          reason: r.reason,
          origin: chunk.path,
          line: r.line,
          message:
            r.reason === 'line_too_long'
              ? `line longer than ${MAX_LINE_BYTES} bytes`
              : 'line is not valid UTF-8',
        });
      },
    );
  }
  const m = core.engine.stats;
  const result: ChunkResult = {
    type: 'result',
    index: chunk.index,
    output: out.join(''),
    lines,
    events: stats.events,
    bytes: stats.bytes,
    skipped,
    rejected: { ...stats.rejected },
    rejects,
    byRule: [...m.byRule].filter(([, n]) => n > 0),
    byPriority: [...m.byPriority],
    minRank,
  };
  // Per-chunk counts: reset so the next chunk reports only its own.
  m.total = 0;
  m.byPriority.clear();
  for (const k of m.byRule.keys()) m.byRule.set(k, 0);
  return result;
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'stop') {
    port.close();
    return;
  }
  runChunk(msg.chunk).then(post, (err: unknown) =>
    post({ type: 'error', message: (err as Error).message }),
  );
});
