import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createDecodeStats, createRejectFn, type RejectInfo } from '../../src/events/index.ts';
import { planChunks, readInputs } from '../../src/sources/index.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-doc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, maxLineBytes = 1 << 20) {
  const rejects: RejectInfo[] = [];
  const reject = createRejectFn(createDecodeStats(), (r) => rejects.push(r));
  const lines: [number, string][] = [];
  let bytes = 0;
  for await (const b of readInputs([path], { reject, maxLineBytes })) {
    bytes += b.bytes;
    for (const [i, l] of b.lines.entries()) if (l !== '') lines.push([b.firstLine + i, l]);
  }
  return { lines, rejects, bytes };
}

// What `aws logs filter-log-events` prints: one pretty-printed document.
const exportDoc = {
  events: [
    { logStreamName: 's', timestamp: 1, message: JSON.stringify(auditEvent({ verb: 'get' })) },
    { logStreamName: 's', timestamp: 2, message: JSON.stringify(auditEvent({ verb: 'list' })) },
  ],
  searchedLogStreams: [],
};

test('readInputs() hands on a pretty-printed JSON document as one line, from its first line', async () => {
  const text = `\n${JSON.stringify(exportDoc, null, 4)}\n`;
  const r = await readAll(file('export.json', text));
  assert.deepEqual(r.rejects, []);
  assert.equal(r.lines.length, 1);
  assert.equal(r.lines[0]![0], 2);
  assert.deepEqual(JSON.parse(r.lines[0]![1]), exportDoc);
  assert.equal(r.bytes, Buffer.byteLength(text));
  // gzip'd, as exports are often kept.
  const gz = await readAll(file('export.json.gz', gzipSync(text)));
  assert.deepEqual(JSON.parse(gz.lines[0]![1]), exportDoc);
});

test('readInputs() leaves JSON lines and one-line documents line by line', async () => {
  const jsonl = [auditEvent({ verb: 'a' }), auditEvent({ verb: 'b' })]
    .map((e) => JSON.stringify(e))
    .join('\n');
  assert.equal((await readAll(file('a.jsonl', `${jsonl}\n`))).lines.length, 2);
  // A document printed on one line is a line like any other.
  const one = await readAll(file('one.json', `${JSON.stringify(exportDoc)}\n`));
  assert.equal(one.lines.length, 1);
});

test('readInputs() reports a document over the line limit and keeps nothing of it', async () => {
  const events = Array.from({ length: 10 }, () => exportDoc.events[0]);
  const text = JSON.stringify({ events }, null, 2);
  // Every line fits the limit; the document does not.
  const limit = Math.max(...text.split('\n').map((l) => l.length)) + 10;
  assert.ok(text.length > limit);
  const r = await readAll(file('big.json', text), limit);
  assert.deepEqual(r.lines, []);
  assert.deepEqual(
    r.rejects.map((x) => [x.reason, x.line]),
    [['line_too_long', 1]],
  );
  assert.match(r.rejects[0]!.message, new RegExp(`JSON document over ${limit} bytes`));
});

test('planChunks() keeps a pretty-printed document in one chunk', async () => {
  const events = Array.from({ length: 6000 }, (_, i) => ({
    message: JSON.stringify(auditEvent({ verb: `v${i}` })),
  }));
  const p = file('large.json', JSON.stringify({ events }, null, 2));
  const plan = await planChunks([p], 4);
  assert.ok(plan !== undefined);
  assert.equal(plan.chunks.length, 1);
  assert.equal(plan.chunks[0]!.gzip, true);
  const lines = file('large.jsonl', events.map((e) => JSON.stringify(e)).join('\n'));
  assert.ok((await planChunks([lines], 4))!.chunks.length > 1);
});
