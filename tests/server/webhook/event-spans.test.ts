// The webhook hands the spool an ASCII batch's events as bytes copied out of the request
// body (spans + joinSpans) only when those bytes are exactly the events it accepted; any
// rewrite (a refused element, an unwrapped shipper record, a raw newline made a space)
// falls back to the strings.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAuditBatch } from '../../../src/server/webhook/parse-batch.ts';
import { joinSpans } from '../../../src/server/webhook/read-body.ts';
import { openEmbeddedSpool } from '../../../src/spool/index.ts';
import { auditEvent } from '../../helpers/events.ts';

const list = (items: string[]) =>
  `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[\n ${items.join(' ,\n')} ]}`;

test('an EventList kept whole: its spans cut out exactly the accepted events', () => {
  const items = ['get', 'list', 'delete'].map((verb) => JSON.stringify(auditEvent({ verb })));
  const text = list(items);
  const r = parseAuditBatch(text);
  assert.ok(r.ok && r.spans !== undefined);
  assert.deepEqual(r.events, items);
  const body = Buffer.from(text);
  assert.equal(joinSpans(body, r.spans).toString('latin1'), items.join('\n'));
});

test('a top-level array of events gets spans too', () => {
  const items = ['get', 'watch'].map((verb) => JSON.stringify(auditEvent({ verb })));
  const r = parseAuditBatch(`[${items.join(',')}]`);
  assert.ok(r.ok);
  assert.equal(
    joinSpans(Buffer.from(`[${items.join(',')}]`), r.spans ?? []).toString(),
    items.join('\n'),
  );
});

test('no spans when an element was refused, unwrapped, or rewritten', () => {
  const good = JSON.stringify(auditEvent({ verb: 'get' }));
  const refused = parseAuditBatch(list([good, '{"kind":"Event","verb":7}']));
  assert.ok(refused.ok);
  assert.equal(refused.rejects.length, 1);
  assert.equal(refused.spans, undefined);

  const record = JSON.stringify({ message: good, host: 'n1', source_type: 'file' });
  const unwrapped = parseAuditBatch(`[${record}]`);
  assert.ok(unwrapped.ok);
  assert.deepEqual(unwrapped.events, [good]);
  assert.equal(unwrapped.spans, undefined);

  const withNewline = good.replace('"verb":', '"verb":\n');
  const rewritten = parseAuditBatch(list([withNewline]));
  assert.ok(rewritten.ok);
  assert.equal(rewritten.events[0]?.includes('\n'), false);
  assert.equal(rewritten.spans, undefined);

  const single = parseAuditBatch(good);
  assert.ok(single.ok);
  assert.equal(single.spans, undefined, 'a lone Event is stored from its string');
});

test('the spool stores a payload as bytes and reads back the same events as the strings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-spans-'));
  const items = ['get', 'list'].map((verb) => JSON.stringify(auditEvent({ verb })));
  const text = list(items);
  const r = parseAuditBatch(text);
  assert.ok(r.ok && r.spans !== undefined);
  const s = openEmbeddedSpool(dir, { maxBytes: 1 << 20, retentionMs: 60_000 });
  try {
    const bytes = await s.spool.append({
      events: r.events,
      origin: 't',
      payload: joinSpans(Buffer.from(text), r.spans),
    });
    const plain = await s.spool.append({ events: r.events, origin: 't' });
    const read = await s.spool.read(0, 10);
    assert.deepEqual(
      read.map((b) => [b.position, b.events]),
      [
        [bytes, items],
        [plain, items],
      ],
    );
    assert.equal(s.spool.stats().pendingEvents, 4);
  } finally {
    s.close();
  }
});
