import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createDecoder, parseTimestampNs, type RejectInfo } from '../../src/events/index.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

interface IndexRow {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly verb: string;
  readonly stageTimestamp: string;
}

/** traces/INDEX.tsv: one row per trace line with what that line holds. */
function readIndex(): IndexRow[] {
  const [head, ...rows] = readFileSync(sharedFixture('falco', 'traces', 'INDEX.tsv'), 'utf8')
    .trimEnd()
    .split('\n');
  const cols = (head ?? '').split('\t');
  const at = (name: string) => cols.indexOf(name);
  return rows.map((r) => {
    const c = r.split('\t');
    return {
      file: c[at('file')] ?? '',
      line: Number(c[at('line')]),
      kind: c[at('kind')] ?? '',
      verb: c[at('verb')] ?? '',
      stageTimestamp: c[at('stageTimestamp')] ?? '',
    };
  });
}

test('decodeLine() decodes every Falco trace line as INDEX.tsv describes', {
  skip: SHARED_SKIP,
}, () => {
  const rows = readIndex();
  const files = readdirSync(sharedFixture('falco', 'traces')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 40);
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ onReject: (r) => rejects.push(r) });
  const got = new Map<string, { verb: unknown; timeNs: string; num: number }>();
  for (const f of files) {
    const lines = readFileSync(sharedFixture('falco', 'traces', f), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const r of decoder.decodeLine(text, f, i + 1)) {
        got.set(`${f}:${r.line}`, { verb: r.obj.verb, timeNs: r.timeNs, num: r.num });
      }
    });
  }
  let events = 0;
  for (const row of rows) {
    const rec = got.get(`${row.file}:${row.line}`);
    if (row.kind !== 'Event') {
      assert.equal(rec, undefined, `${row.file}:${row.line} is not an event`);
      continue;
    }
    events++;
    assert.ok(rec, `${row.file}:${row.line} decoded`);
    assert.equal(rec.verb, row.verb);
    assert.equal(rec.timeNs, parseTimestampNs(row.stageTimestamp));
  }
  assert.equal(got.size, events);
  const nums = [...got.values()].map((v) => v.num).sort((a, b) => a - b);
  assert.deepEqual(
    nums,
    nums.map((_n, i) => i + 1),
  );
  // fal_01_003.json is `{"kind": 0}`: Falco's "data not recognized" case.
  assert.deepEqual(
    rejects.map((r) => [r.origin, r.line, r.reason]),
    [['fal_01_003.json', 1, 'not_audit_event']],
  );
});

test('decodeLine() decodes the kube-audit-rest sample as k8s_admission', {
  skip: SHARED_SKIP,
}, () => {
  const text = readFileSync(sharedFixture('kube-audit-rest', 'sample.jsonl'), 'utf8');
  const decoder = createDecoder();
  const recs = text.split('\n').flatMap((l, i) => decoder.decodeLine(l, 'sample.jsonl', i + 1));
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  assert.equal(recs.length, lines.length);
  recs.forEach((r, i) => {
    const raw = JSON.parse(lines[i] ?? '') as { requestReceivedTimestamp: string };
    assert.equal(r.source, 'k8s_admission');
    assert.equal(r.timeNs, parseTimestampNs(raw.requestReceivedTimestamp));
    assert.equal(r.timeNs.slice(-9), raw.requestReceivedTimestamp.slice(20, 29));
    assert.equal(r.num, i + 1);
  });
  assert.equal(decoder.stats.rejected.not_audit_event, 0);
});
