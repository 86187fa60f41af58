// Correlation across three detect workers gives the same alerts as one process: the
// generated corpus of tests/engine/correlation/differential.test.ts (every kind of
// correlation, suppression, out-of-order arrival) sent through `kaudit serve --bus` to
// three workers, whose alerts must equal the brute-force reference that the embedded
// engine, `kaudit scan` and `kaudit serve` are held to.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freshStoreUrl } from '../helpers/bus-kit.ts';
import {
  CORRELATION_CORPUS_RULES,
  generateCorrelationCorpus,
  withFlushEvent,
} from '../helpers/correlation-corpus.ts';
import { canonical, referenceAlerts } from '../helpers/correlation-reference.ts';
import { type DetectProcess, startDetect } from '../helpers/detect.ts';
import { postAudit } from '../helpers/http-request.ts';
import { NATS_SKIP, startTestNats, type TestNatsCluster } from '../helpers/nats.ts';
import { POSTGRES_SKIP } from '../helpers/postgres.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { readAlerts, tempDir, waitFor, writeRules } from '../helpers/serve-kit.ts';

const skip = NATS_SKIP || POSTGRES_SKIP;
const procs: (ServeProcess | DetectProcess)[] = [];
let nats: TestNatsCluster | undefined;
after(async () => {
  for (const p of procs) await p.stop('SIGKILL');
  nats?.stop();
});

/** A JSON alert (Falco's keys plus `correlation`) in the reference's canonical form. */
function fromJson(j: Record<string, unknown>): string {
  const time = j.time as string;
  const secs = Date.parse(`${time.slice(0, 19)}Z`) / 1000;
  const c = j.correlation as { count: number; auditIds: string[] } | undefined;
  const fields = j.output_fields as Record<string, unknown>;
  return canonical({
    rule: j.rule as string,
    timeNs: `${secs}${time.slice(20, 29)}`,
    ...(c === undefined ? {} : { count: c.count, auditIds: c.auditIds }),
    ...(fields['correlation.suppressed'] !== undefined ? { summary: true } : {}),
  });
}

test('three workers give the reference alerts of every correlation kind', {
  skip,
  timeout: 180_000,
}, async () => {
  const events = withFlushEvent(
    generateCorrelationCorpus({ seed: 11, events: 2500, gapMs: 1500, jitterMs: 8000 }),
  );
  const expected = referenceAlerts(events);
  nats = await startTestNats();
  const store = await freshStoreUrl();
  const dir = tempDir();
  const rules = writeRules(dir, CORRELATION_CORPUS_RULES);
  const common = ['--bus', nats.url, '--bus-replicas', '3', '--bus-partitions', '4'];
  const serve = await startServe(['-r', rules, '--store', 'none', ...common]);
  procs.push(serve);
  const files = [0, 1, 2].map((i) => join(dir, `alerts-${i}.json`));
  for (const file of files) {
    // Workers pull up to 8 batches each, in parallel: matches reach a partition up to a
    // few dozen batches out of order, which is tens of minutes of this corpus's event
    // time (1.5 s between events). The tolerance covers that, as 30 s covers it when
    // event time is real time; the corpus's last event, an hour on, closes every window.
    const args = [
      '-r',
      rules,
      '--store',
      store,
      '--rule-matching',
      'all',
      '--output',
      `file:${file}`,
    ];
    procs.push(await startDetect([...args, '--correlation-tolerance', '30m', ...common]));
  }
  for (let i = 0; i < events.length; i += 25) {
    const r = await postAudit(serve.port, eventList(events.slice(i, i + 25)));
    assert.equal(r.status, 200, r.text);
  }
  const got = await waitFor(
    'the reference number of alerts',
    () => {
      const all = files.flatMap((f) => readAlerts(f)).map(fromJson);
      return all.length >= expected.length ? all : undefined;
    },
    90_000,
  );
  // A moment more: an alert beyond the reference's would show up now.
  await new Promise((r) => setTimeout(r, 1_500));
  const final = files
    .flatMap((f) => readAlerts(f))
    .map(fromJson)
    .sort();
  assert.equal(final.length, got.length);
  assert.deepEqual(final, expected);
  const perWorker = files.map((f) => readAlerts(f).length);
  assert.ok(perWorker.filter((n) => n > 0).length >= 2, `work was shared: ${perWorker.join(', ')}`);
});
