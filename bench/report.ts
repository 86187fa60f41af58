import { cpus, loadavg, totalmem } from 'node:os';

/** The measured outcome of one row of one case. */
export interface RowResult {
  readonly suite: string;
  /** The corpus (`busy-100000-s1`) or `-` for in-process rows. */
  readonly corpus: string;
  readonly name: string;
  readonly runsMs: readonly number[];
  readonly medianMs?: number;
  readonly events?: number;
  readonly bytes?: number;
  readonly eventsPerSec?: number;
  readonly mbPerSec?: number;
  /** Throughput relative to the JSON.parse baseline of the same corpus (>1 is faster). */
  readonly vsJsonParse?: number;
  /** Throughput relative to the jq row of the same question (>1 is faster). */
  readonly vsJq?: number;
  /** Throughput relative to the same command on one thread (>1 is faster). */
  readonly vsOneThread?: number;
  readonly rssMb?: number;
  /** What the command printed: line count, or its last line for counts. */
  readonly output?: string;
  readonly note?: string;
}

export interface BenchResults {
  readonly date: string;
  readonly suite: string;
  readonly machine: {
    readonly cpus: number;
    readonly model: string;
    readonly memoryMb: number;
    readonly node: string;
    readonly platform: string;
    readonly loadavg: readonly number[];
  };
  readonly runs: number;
  readonly events: number;
  readonly rows: readonly RowResult[];
}

export function describeMachine(): BenchResults['machine'] {
  const c = cpus();
  return {
    cpus: c.length,
    model: c[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined
    ? '-'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (n: number | undefined): string => (n === undefined ? '-' : `${n.toFixed(2)}x`);

/** A plain-text table of the rows, one block per corpus. */
export function formatTable(rows: readonly RowResult[], previous?: readonly RowResult[]): string {
  const head = [
    'corpus',
    'row',
    'median s',
    'events/s',
    'MB/s',
    'vs JSON.parse',
    'vs jq',
    'vs 1 thread',
    'RSS MB',
    'output',
  ];
  if (previous) head.push('Δ events/s');
  const body = rows.map((r) => {
    const cells = [
      r.corpus,
      r.name,
      r.medianMs === undefined ? '-' : (r.medianMs / 1000).toFixed(3),
      fmt(r.eventsPerSec),
      fmt(r.mbPerSec, 1),
      ratio(r.vsJsonParse),
      ratio(r.vsJq),
      ratio(r.vsOneThread),
      fmt(r.rssMb),
      r.note ?? r.output ?? '',
    ];
    if (previous) cells.push(formatDelta(r, previous));
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < 2 || i === 8 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function formatDelta(r: RowResult, previous: readonly RowResult[]): string {
  const p = previous.find((x) => x.suite === r.suite && x.corpus === r.corpus && x.name === r.name);
  const a = r.eventsPerSec ?? (r.medianMs ? 1000 / r.medianMs : undefined);
  const b = p?.eventsPerSec ?? (p?.medianMs ? 1000 / p.medianMs : undefined);
  if (a === undefined || b === undefined || b === 0) return 'new';
  const d = (a / b - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}
