import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type LongLineItem, LongLineReader } from '../../src/sources/long-line.ts';
import { auditEvent } from '../helpers/events.ts';

/** Feeds `text` to a reader in pieces cut at `cuts`; returns its units, status and skips. */
function read(text: string | Buffer, limit: number, cuts: readonly number[] = []) {
  const items: LongLineItem[] = [];
  const r = new LongLineReader(limit, (it) => items.push(it));
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const c of [...at, bytes.length]) {
    // A fresh copy per piece, then scribbled over: the reader must copy what it keeps.
    const piece = Buffer.from(bytes.subarray(from, c));
    r.push(piece);
    piece.fill(0x21);
    from = c;
  }
  return { items, status: r.end(), tooLarge: r.tooLarge };
}

const item = (i: number, extra: Record<string, unknown> = {}) => {
  const { kind: _k, apiVersion: _a, ...rest } = auditEvent({ auditID: `id-${i}`, ...extra });
  return rest;
};

test('LongLineReader hands on each item of an EventList, whatever the pieces it arrives in', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ s: fc.string(), n: fc.integer() }), { maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.boolean(),
      (extras, cuts, spaced) => {
        const items = extras.map((x, i) =>
          item(i, { annotations: { s: x.s }, requestObject: { ...x } }),
        );
        const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items };
        const text = spaced
          ? JSON.stringify(list, null, 1).replace(/\n/g, ' ')
          : JSON.stringify(list);
        const r = read(text, 64 * 1024, cuts);
        assert.equal(r.status, 'done');
        assert.deepEqual(
          r.items.map((u) => JSON.parse(u.text)),
          items,
        );
        assert.ok(r.items.every((u) => u.kind === 'event' && !u.bodiesDropped));
      },
    ),
    { numRuns: 200, seed: 11 },
  );
});

test('LongLineReader hands on the elements of a top-level array as payloads, objects or not', () => {
  const elems = [
    auditEvent(),
    'a string with ] and } and \\"',
    42,
    [1, [2]],
    null,
    { kind: 'EventList', items: [] },
  ];
  const r = read(JSON.stringify(elems), 4096, [3, 17, 60, 200]);
  assert.equal(r.status, 'done');
  assert.deepEqual(
    r.items.map((u) => [u.kind, JSON.parse(u.text)]),
    elems.map((e) => ['payload', e]),
  );
});

test('LongLineReader hands on a huge single event without its bodies, marked', () => {
  const ev = auditEvent({
    requestObject: { blob: 'x'.repeat(50_000) },
    responseObject: { blob: 'y'.repeat(50_000) },
  });
  const r = read(JSON.stringify(ev), 8 * 1024, [1000, 30_000, 70_000]);
  assert.equal(r.status, 'done');
  assert.equal(r.items.length, 1);
  const { requestObject: _q, responseObject: _s, ...rest } = ev;
  assert.deepEqual(JSON.parse(r.items[0]!.text), rest);
  assert.equal(r.items[0]!.bodiesDropped, true);
  assert.equal(r.items[0]!.kind, 'payload');
});

test('LongLineReader drops bodies that fit once the members after them do not', () => {
  // requestObject fits alone, then the annotations push the unit over: the body goes.
  const ev = auditEvent({
    requestObject: { blob: 'x'.repeat(6000) },
    annotations: { note: 'n'.repeat(3000) },
  });
  const r = read(JSON.stringify(ev), 8 * 1024);
  assert.equal(r.items.length, 1);
  const got = JSON.parse(r.items[0]!.text) as Record<string, unknown>;
  assert.equal(got.requestObject, undefined);
  assert.deepEqual(got.annotations, ev.annotations);
  assert.equal(r.items[0]!.bodiesDropped, true);
});

test('LongLineReader skips and counts an item too large without bodies, and reads on', () => {
  const items = [item(1), item(2, { requestURI: `/${'u'.repeat(20_000)}` }), item(3)];
  const r = read(JSON.stringify({ kind: 'EventList', items }), 8 * 1024, [5000, 15_000]);
  assert.equal(r.status, 'done');
  assert.equal(r.tooLarge, 1);
  assert.deepEqual(
    r.items.map((u) => (JSON.parse(u.text) as { auditID: string }).auditID),
    ['id-1', 'id-3'],
  );
});

test('LongLineReader gives up on what it cannot split, and keeps what came before a break', () => {
  assert.equal(read('"just a very long string"', 8).status, 'unsupported');
  assert.equal(read('x'.repeat(100), 8).status, 'unsupported');
  const whole = JSON.stringify({ kind: 'EventList', items: [item(1), item(2), item(3)] });
  const cut = read(whole.slice(0, Math.floor(whole.length * 0.8)), 4096);
  assert.equal(cut.status, 'malformed');
  assert.ok(cut.items.length >= 1);
  assert.equal(read('[1 2]', 64).status, 'malformed');
  // `items` before `kind`: not known to be an EventList, so the envelope is one unit.
  const late = read(JSON.stringify({ items: [item(1), item(2)], kind: 'EventList' }), 1024);
  assert.equal(late.tooLarge, 1);
});

test('LongLineReader reads invalid UTF-8 in a unit as U+FFFD and says so', () => {
  const text = Buffer.concat([
    Buffer.from('[{"kind":"Event","user":{"username":"a'),
    Buffer.from([0xff]),
    Buffer.from('b"}},{"kind":"Event"}]'),
  ]);
  const r = read(text, 4096, [10, 40]);
  assert.equal(r.items[0]!.utf8Replaced, true);
  assert.match(r.items[0]!.text, /"a\ufffdb"/);
  assert.equal(r.items[1]!.utf8Replaced, false);
});

test('LongLineReader holds about one unit whatever the length of the line', () => {
  const r = new LongLineReader(64 * 1024, () => {});
  const unit = Buffer.from(
    `${JSON.stringify(item(0, { requestObject: { pad: 'p'.repeat(900) } }))},`,
  );
  const chunk = Buffer.alloc(1024 * 1024);
  let k = 0;
  while (k + unit.length <= chunk.length) k += unit.copy(chunk, k);
  chunk.fill(0x20, k);
  r.push(Buffer.from('{"kind":"EventList","items":['));
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 24; i++) r.push(chunk); // 24 MiB of items
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 8 * 1024 * 1024, `array buffers grew by ${grown} bytes`);
});
