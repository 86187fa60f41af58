// A/B scan timing for correlation: two kaudit builds (or rule sets) on one corpus, run
// interleaved (A B, then B A, …) with one thread each; medians of wall and CPU time.
//   npx tsx bench/correlation-ab.ts --a /path/to/main/bin/kaudit --rules-a main-rules.yaml \
//     --b bin/kaudit --rules-b rules/kaudit-rules.yaml --corpus bench/corpus/busy-100000-s1.jsonl --runs 5
// Needs GNU time (/usr/bin/time) for CPU time and peak RSS.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './measure.ts';

const { values: o } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    'rules-a': { type: 'string' },
    'rules-b': { type: 'string' },
    corpus: { type: 'string' },
    runs: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h' },
  },
});
const USAGE = `usage: npx tsx bench/correlation-ab.ts --a BIN --rules-a PATH --b BIN --rules-b PATH --corpus FILE [--runs N]
  Runs \`kaudit scan --workers 1\` of each build (bin/kaudit of a checkout) with its rules
  (a file or a directory: rules/ loads the default and the stateful rules) on the corpus,
  interleaved A B, B A, ... N times; prints the medians of wall and CPU time (GNU time).
  The same BIN twice compares two rule sets, e.g. stateful off and on:
    --a bin/kaudit --rules-a rules/kaudit-rules.yaml --b bin/kaudit --rules-b rules/
  Generate the corpus with: npx tsx bench/generate.ts --mix busy --events 100000 --seed 1`;
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!o.a || !o.b || !o['rules-a'] || !o['rules-b'] || !o.corpus) {
  console.error(USAGE);
  process.exit(2);
}

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMb: number;
  readonly alerts: number;
}

const timeFile = join(tmpdir(), `kaudit-corr-ab-${process.pid}.time`);

function run(bin: string, rules: string): Run {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, bin, 'scan', '--rules', rules].concat([
      '--workers',
      '1',
      '--no-progress',
      o.corpus as string,
    ]),
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr.slice(-500)}`);
  const [wall, user, sys, rss] =
    readFileSync(timeFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  rmSync(timeFile, { force: true });
  const alerts = r.stdout.split('\n').filter((l) => l.length > 0).length;
  return { wall: wall ?? 0, cpu: (user ?? 0) + (sys ?? 0), rssMb: (rss ?? 0) / 1024, alerts };
}

const rows = { A: [o.a, o['rules-a']] as const, B: [o.b, o['rules-b']] as const };
const results: Record<'A' | 'B', Run[]> = { A: [], B: [] };
for (let i = 0; i < Number(o.runs); i++) {
  for (const k of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
    const r = run(...rows[k]);
    results[k].push(r);
    process.stderr.write(
      `${k} run ${i + 1}: wall ${r.wall} s, cpu ${r.cpu.toFixed(2)} s, ${r.alerts} alerts\n`,
    );
  }
}
const med = (k: 'A' | 'B', f: (r: Run) => number) => median(results[k].map(f));
for (const k of ['A', 'B'] as const) {
  console.log(
    `${k}: median wall ${med(k, (r) => r.wall).toFixed(2)} s, cpu ${med(k, (r) => r.cpu).toFixed(2)} s, ` +
      `peak RSS ${med(k, (r) => r.rssMb).toFixed(0)} MiB, ${results[k][0]?.alerts} alerts`,
  );
}
console.log(
  `B/A: wall ${(med('B', (r) => r.wall) / med('A', (r) => r.wall)).toFixed(3)}, ` +
    `cpu ${(med('B', (r) => r.cpu) / med('A', (r) => r.cpu)).toFixed(3)}`,
);
