import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Alert } from '../../../src/engine/index.ts';
import { createDetector } from '../../../src/pipeline/index.ts';
import { loadRules } from '../../../src/rules/index.ts';
import { runKaudit } from '../../helpers/cli.ts';
import {
  CORRELATION_CORPUS_RULES,
  generateCorrelationCorpus,
  withFlushEvent,
} from '../../helpers/correlation-corpus.ts';
import { canonical, referenceAlerts } from '../../helpers/correlation-reference.ts';
import { recordOf } from '../../helpers/events.ts';
import { eventList, type ServeProcess, startServe } from '../../helpers/serve.ts';

// The engine against a brute-force reference (tests/helpers/correlation-reference.ts) on
// a generated corpus whose arrival order is shuffled within the tolerance: in process,
// in `kaudit scan` with one and two threads, and in `kaudit serve` fed over the webhook.
// The corpus ends with an event an hour later, so that every window has closed and
// serve (which keeps its state when it stops) owes nothing at the end.

const SEEDS = [11, 12];
const EVENTS = 2500;

const corpora = SEEDS.map((seed) =>
  withFlushEvent(generateCorrelationCorpus({ seed, events: EVENTS, gapMs: 1500, jitterMs: 8000 })),
);
const expected = corpora.map(referenceAlerts);

const dir = mkdtempSync(join(tmpdir(), 'kaudit-corr-diff-'));
const rulesFile = join(dir, 'rules.yaml');
writeFileSync(rulesFile, CORRELATION_CORPUS_RULES);
const logs = corpora.map((c, i) => {
  const file = join(dir, `log-${i}.jsonl`);
  writeFileSync(file, `${c.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return file;
});

function fromAlert(a: Alert): string {
  const c = a.correlation;
  return canonical({
    rule: a.rule,
    timeNs: a.timeNs,
    ...(c === undefined ? {} : { count: c.count, auditIds: c.auditIds }),
    ...(a.suppressed !== undefined ? { summary: true } : {}),
  });
}

/** A JSON alert line (Falco's keys plus `correlation`) in canonical form. */
function fromJson(line: string): string {
  const j = JSON.parse(line) as {
    rule: string;
    time: string;
    correlation?: { count: number; auditIds: string[] };
    output_fields: Record<string, unknown>;
  };
  const secs = Date.parse(`${j.time.slice(0, 19)}Z`) / 1000;
  const c = j.correlation;
  return canonical({
    rule: j.rule,
    timeNs: `${secs}${j.time.slice(20, 29)}`,
    ...(c === undefined ? {} : { count: c.count, auditIds: c.auditIds }),
    ...(j.output_fields['correlation.suppressed'] !== undefined ? { summary: true } : {}),
  });
}

const linesOf = (text: string) => text.split('\n').filter((l) => l.length > 0);

test('the reference finds every kind on the corpus (the comparison is not vacuous)', () => {
  for (const alerts of expected) {
    for (const rule of [
      'Forbidden Burst',
      'Namespaces Touched',
      'Created Then Used',
      'Delete And Create',
    ]) {
      assert.ok(alerts.filter((a) => a.startsWith(`${rule}|`)).length >= 2, rule);
    }
    assert.ok(alerts.filter((a) => a.endsWith('|S')).length >= 2, 'suppression summaries');
  }
});

test('in process: the detector gives the reference alerts', () => {
  const loaded = loadRules([{ name: 'rules.yaml', content: CORRELATION_CORPUS_RULES }]);
  assert.equal(loaded.ok, true);
  corpora.forEach((events, c) => {
    const d = createDetector(loaded.rules, { ruleMatching: 'all', hostname: 'h', fastpath: true });
    const got: Alert[] = [];
    events.forEach((e, i) => {
      got.push(...d.process(recordOf(e, i + 1)));
    });
    got.push(...d.finish());
    assert.deepEqual(got.map(fromAlert).sort(), expected[c]);
  });
});

const scanOutputs = new Map<number, string[]>();
for (const workers of [1, 2]) {
  test(`kaudit scan --workers ${workers} gives the reference alerts`, () => {
    const outputs = logs.map((log, c) => {
      const r = runKaudit(
        [
          'scan',
          '--rules',
          rulesFile,
          '--rule-matching',
          'all',
          '--format',
          'json',
          '--workers',
          String(workers),
          log,
        ],
        // Small chunks: each thread scans many, and sequences straddle them.
        { env: { KAUDIT_CHUNK_BYTES: '65536' } },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(linesOf(r.stdout).map(fromJson).sort(), expected[c]);
      return r.stdout;
    });
    scanOutputs.set(workers, outputs);
  });
}

test('kaudit scan writes the same alerts in the same order with one thread or two', () => {
  const one = scanOutputs.get(1);
  const two = scanOutputs.get(2);
  assert.ok(one !== undefined && two !== undefined, 'both scans ran');
  assert.deepEqual(two, one);
});

/** A metric of serve once it reads `want` (detection caught up), or its value after 20 s. */
async function metricReaching(port: number, name: string, want: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const got = Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    if (got === want || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

test('kaudit serve, fed the corpus over the webhook in batches, gives the reference alerts', async () => {
  const out = join(dir, 'serve-alerts.json');
  const s = await startServe([
    '--rules',
    rulesFile,
    '--rule-matching',
    'all',
    '--store',
    'none',
    '--output',
    `file:${out}`,
  ]);
  running.push(s);
  const events = corpora[0] as Record<string, unknown>[];
  for (let i = 0; i < events.length; i += 300) {
    const r = await fetch(`http://127.0.0.1:${s.port}/k8s-audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: eventList(events.slice(i, i + 300)),
    });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  }
  // Every held-back alert is counted in the metrics once detection caught up.
  const held = (expected[0] as string[])
    .filter((a) => a.endsWith('|S'))
    .reduce((n, a) => n + Number(a.split('|')[2]), 0);
  assert.ok(held > 0);
  assert.equal(await metricReaching(s.port, 'kaudit_correlation_suppressed_total', held), held);
  assert.equal(await metricReaching(s.port, 'kaudit_correlation_evicted_total', 0), 0);
  assert.equal(await s.stop(), 0, s.stderr());
  assert.deepEqual(linesOf(readFileSync(out, 'utf8')).map(fromJson).sort(), expected[0]);
});
