// Benchmark runner: npm run bench -- [--suite scan|workers|query|combined|load|all] [--events N] [--runs 5]
//   [--seed 1] [--compare bench/results/<file>.json] [--save]
// Rows of a case run interleaved (row order rotates per run) so that machine noise
// spreads over all of them; figures are medians.
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type Mix, writeEvents } from './generate.ts';
import { median, type RunResult, runMeasured } from './measure.ts';
import { type BenchResults, describeMachine, formatTable, type RowResult } from './report.ts';
import { LOAD_SUITE } from './suites/load.ts';
import { COMBINED_SUITE, QUERY_SUITE } from './suites/query.ts';
import { SCAN_SUITE, WORKERS_SUITE } from './suites/scan.ts';
import type { Case, CommandContext, CommandRow, InProcessRow, Suite } from './suites/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SUITES: readonly Suite[] = [
  SCAN_SUITE,
  WORKERS_SUITE,
  QUERY_SUITE,
  COMBINED_SUITE,
  LOAD_SUITE,
];
const FALCO_RULES = join(
  process.env.KAUDIT_SHARED ?? join(ROOT, '..', 'shared'),
  'fixtures/falco/rules/k8s_audit_rules.yaml',
);

interface Options {
  readonly events: number;
  readonly runs: number;
  readonly seed: number;
}

async function ensureCorpus(mix: Mix, o: Options): Promise<{ file: string; tag: string }> {
  const tag = `${mix}-${o.events}-s${o.seed}`;
  const file = join(ROOT, 'bench/corpus', `${tag}.jsonl`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    process.stderr.write(`generating ${file}\n`);
    const tmp = `${file}.tmp`;
    const out = createWriteStream(tmp);
    await writeEvents({ mix, events: o.events, seed: o.seed }, out);
    out.end();
    await finished(out);
    renameSync(tmp, file);
  }
  return { file, tag };
}

function describeFailure(r: RunResult): string {
  const last = r.stderrTail.split('\n').filter(Boolean).pop() ?? '';
  return `FAILED (exit ${r.exitCode}) ${last}`.slice(0, 160);
}

async function runCommandCase(suite: Suite, c: Case, rows: readonly CommandRow[], opts: Options) {
  const mix = c.corpus?.mix ?? 'busy';
  const o = c.corpus?.events === undefined ? opts : { ...opts, events: c.corpus.events };
  const { file, tag } = await ensureCorpus(mix, o);
  const ctx: CommandContext = { file, root: ROOT, rules: rulesPath() };
  const bytes = statSync(file).size;
  const live = rows.filter((r) => r.requires === undefined || existsSync(r.requires));
  const times = new Map<string, number[]>(live.map((r) => [r.name, []]));
  const rss = new Map<string, number[]>(live.map((r) => [r.name, []]));
  const failed = new Map<string, string>();
  const output = new Map<string, string>();
  // One unmeasured warm-up round (page cache, tsx's compile cache), then the measured ones.
  for (let run = -1; run < o.runs; run++) {
    for (let k = 0; k < live.length; k++) {
      const row = live[(k + Math.max(run, 0)) % live.length] as CommandRow;
      if (failed.has(row.name)) continue;
      const r = await runMeasured(row.argv(ctx), ROOT);
      if (r.exitCode !== 0) {
        failed.set(row.name, describeFailure(r));
        process.stderr.write(`  ${row.name}: ${describeFailure(r)}\n`);
        continue;
      }
      // Counts print one line; jq and scan print one line per match.
      output.set(
        row.name,
        r.stdoutLines > 1 || row.role === 'jq' ? `${r.stdoutLines} lines` : r.lastLine.slice(0, 40),
      );
      if (run < 0) continue;
      times.get(row.name)?.push(r.ms);
      if (r.rssKb !== undefined) rss.get(row.name)?.push(r.rssKb);
    }
    process.stderr.write(
      run < 0 ? `  ${tag}: warm-up done\n` : `  ${tag}: run ${run + 1}/${o.runs}\n`,
    );
  }
  const med = (name: string): number | undefined => {
    const t = times.get(name);
    return t && t.length > 0 && !failed.has(name) ? median(t) : undefined;
  };
  const jsonMs = med(rows.find((r) => r.role === 'json')?.name ?? '');
  return rows.map((row): RowResult => {
    const base = { suite: suite.name, corpus: tag, name: row.name };
    if (!live.includes(row))
      return { ...base, runsMs: [], note: `skipped: ${row.requires} not found` };
    const m = med(row.name);
    const note = failed.get(row.name);
    if (m === undefined) return { ...base, runsMs: [], note: note ?? 'no runs' };
    const jqMs = row.jqRow === undefined ? undefined : med(row.jqRow);
    const oneMs = row.oneThreadRow === undefined ? undefined : med(row.oneThreadRow);
    const peak = rss.get(row.name) ?? [];
    const o2 = output.get(row.name);
    return {
      ...base,
      runsMs: times.get(row.name) ?? [],
      medianMs: m,
      events: o.events,
      bytes,
      eventsPerSec: o.events / (m / 1000),
      mbPerSec: bytes / 2 ** 20 / (m / 1000),
      ...(jsonMs !== undefined ? { vsJsonParse: jsonMs / m } : {}),
      ...(jqMs !== undefined ? { vsJq: jqMs / m } : {}),
      ...(oneMs !== undefined ? { vsOneThread: oneMs / m } : {}),
      ...(peak.length > 0 ? { rssMb: Math.max(...peak) / 1024 } : {}),
      ...(o2 !== undefined ? { output: o2 } : {}),
    };
  });
}

async function runInProcessCase(suite: Suite, rows: readonly InProcessRow[], o: Options) {
  const out: RowResult[] = [];
  for (const row of rows) {
    const base = { suite: suite.name, corpus: '-', name: row.name };
    try {
      const fn = await row.setup({ root: ROOT, rules: rulesPath() });
      fn();
      const runsMs: number[] = [];
      for (let i = 0; i < o.runs; i++) {
        const t = performance.now();
        fn();
        runsMs.push(performance.now() - t);
      }
      out.push({ ...base, runsMs, medianMs: median(runsMs) });
    } catch (err) {
      out.push({ ...base, runsMs: [], note: `FAILED ${(err as Error).message}`.slice(0, 160) });
    }
  }
  return out;
}

function rulesPath(): string {
  return existsSync(FALCO_RULES) ? FALCO_RULES : join(ROOT, 'rules');
}

async function runSuite(suite: Suite, o: Options): Promise<RowResult[]> {
  const rows: RowResult[] = [];
  for (const c of suite.cases) {
    const cmd = c.rows.filter((r): r is CommandRow => r.kind === 'command');
    const inproc = c.rows.filter((r): r is InProcessRow => r.kind === 'inproc');
    if (cmd.length > 0) rows.push(...(await runCommandCase(suite, c, cmd, o)));
    if (inproc.length > 0) rows.push(...(await runInProcessCase(suite, inproc, o)));
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      suite: { type: 'string', default: 'all' },
      events: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      compare: { type: 'string' },
      save: { type: 'boolean', default: false },
    },
  });
  const o: Options = {
    events: Number(values.events),
    runs: Number(values.runs),
    seed: Number(values.seed),
  };
  const chosen = values.suite === 'all' ? SUITES : SUITES.filter((s) => s.name === values.suite);
  if (chosen.length === 0) throw new Error(`unknown suite ${values.suite}`);
  const previous = values.compare
    ? (JSON.parse(readFileSync(values.compare, 'utf8')) as BenchResults).rows
    : undefined;
  if (!existsSync(FALCO_RULES))
    process.stderr.write(`note: ${FALCO_RULES} missing; using rules/\n`);
  for (const suite of chosen) {
    process.stderr.write(`suite ${suite.name}: ${suite.description}\n`);
    const rows = await runSuite(suite, o);
    const machine = describeMachine();
    process.stdout.write(
      `\n## ${suite.name} (${machine.cpus} cpus, node ${machine.node}, medians of ${o.runs})\n`,
    );
    process.stdout.write(`${formatTable(rows, previous)}\n`);
    if (values.save) {
      const date = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
      const path = join(ROOT, 'bench/results', `${date}-${suite.name}.json`);
      mkdirSync(dirname(path), { recursive: true });
      const results: BenchResults = {
        date: new Date().toISOString(),
        suite: suite.name,
        machine,
        runs: o.runs,
        events: o.events,
        rows,
      };
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(path, `${JSON.stringify(results, null, 2)}\n`),
      );
      process.stdout.write(`saved ${path}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
