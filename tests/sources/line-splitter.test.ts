import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createDecodeStats } from '../../src/events/index.ts';
import { createRejectFn } from '../../src/events/reject.ts';
import { LineSplitter } from '../../src/sources/line-splitter.ts';

/** Feeds `data` cut at `cuts` and returns the lines and total bytes. */
function split(data: Buffer, cuts: number[], maxLineBytes = 1 << 20, pieceBytes?: number) {
  const s = new LineSplitter(
    't',
    maxLineBytes,
    createRejectFn(createDecodeStats(), undefined),
    pieceBytes,
  );
  const lines: string[] = [];
  let bytes = 0;
  let next = 1;
  const take = (b: ReturnType<LineSplitter['push']>) => {
    if (b === undefined) return;
    assert.equal(b.firstLine, next);
    next += b.lines.length;
    lines.push(...b.lines);
    bytes += b.bytes;
  };
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    take(s.push(data.subarray(at, c)));
    at = c;
  }
  take(s.push(data.subarray(at)));
  take(s.end());
  return { lines, bytes };
}

test('LineSplitter gives the same lines however the bytes are chunked and decoded', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 12 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.integer({ min: 1, max: 40 }),
      (parts, trailing, rawCuts, piece) => {
        const text = parts.join('\n') + (trailing ? '\n' : '');
        const data = Buffer.from(text);
        const cuts = rawCuts.map((c) => c % (data.length + 1));
        const expected = text === '' ? [] : text.replace(/\n$/, '').split('\n');
        const { lines, bytes } = split(data, cuts, 1 << 20, piece);
        assert.deepEqual(
          lines,
          expected.map((l) => l.replace(/\r$/, '')),
        );
        assert.equal(bytes, data.length);
      },
    ),
  );
});

test('LineSplitter strips a UTF-8 byte order mark at the start', () => {
  assert.deepEqual(split(Buffer.from('\ufeff{"a":1}\nb\n'), [1]).lines, ['{"a":1}', 'b']);
});

test('LineSplitter restart() numbers lines from 1 again', () => {
  const s = new LineSplitter('t', 100, createRejectFn(createDecodeStats(), undefined));
  assert.equal(s.push(Buffer.from('a\nb\npart'))?.firstLine, 1);
  s.restart();
  const b = s.push(Buffer.from('x\n'));
  assert.deepEqual([b?.firstLine, b?.lines], [1, ['x']]);
});

test('LineSplitter does not keep the caller buffer (follow mode reuses it)', () => {
  const s = new LineSplitter('t', 100, createRejectFn(createDecodeStats(), undefined));
  const buf = Buffer.from('abc');
  assert.equal(s.push(buf), undefined);
  buf.fill(0x78);
  const tail = Buffer.from('de\nfg');
  assert.deepEqual(s.push(tail)?.lines, ['abcde']);
  tail.fill(0x78);
  assert.deepEqual(s.end()?.lines, ['fg']);
});

test('LineSplitter reads a line over the limit holding an EventList item by item, in line order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.integer({ min: 1, max: 64 }),
      (cuts, piece) => {
        const items = Array.from({ length: 6 }, (_, i) => ({
          auditID: `i${i}`,
          pad: 'p'.repeat(40),
        }));
        const list = JSON.stringify({ kind: 'EventList', items });
        const data = Buffer.from(`before\n${list}\nafter\n${'x'.repeat(500)}\nend`);
        const stats = createDecodeStats();
        const s = new LineSplitter('t', 120, createRejectFn(stats, undefined), piece);
        const seen: string[] = [];
        let bytes = 0;
        const take = (b: ReturnType<LineSplitter['push']>) => {
          if (b === undefined) return;
          bytes += b.bytes;
          // Units go before the lines numbered after their own (here: before their own).
          const units = [...(b.items ?? [])];
          b.lines.forEach((l, i) => {
            while (units.length > 0 && units[0]!.line <= b.firstLine + i) {
              const u = units.shift()!;
              seen.push(
                `${u.line}:${u.kind}:${(JSON.parse(u.text) as { auditID: string }).auditID}`,
              );
            }
            seen.push(`${b.firstLine + i}:${l}`);
          });
          for (const u of units) {
            seen.push(`${u.line}:${u.kind}:${(JSON.parse(u.text) as { auditID: string }).auditID}`);
          }
        };
        let at = 0;
        for (const c of [...new Set(cuts.map((c) => c % data.length))].sort((a, b) => a - b)) {
          take(s.push(data.subarray(at, c)));
          at = c;
        }
        take(s.push(data.subarray(at)));
        take(s.end());
        const want = [
          '1:before',
          ...items.map((it) => `2:event:${it.auditID}`),
          '2:',
          '3:after',
          '4:',
          '5:end',
        ];
        assert.deepEqual(seen, want);
        assert.equal(bytes, data.length);
        // The EventList line is read whole; the line of x's cannot be split.
        assert.equal(stats.rejected.line_too_long, 1);
      },
    ),
    { numRuns: 150, seed: 7 },
  );
});
