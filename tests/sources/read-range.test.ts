import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RejectFn } from '../../src/events/index.ts';
import { LineSplitter, readRange } from '../../src/sources/index.ts';

interface RangeReject {
  readonly reason: string;
  readonly line: number;
}

const dir = mkdtempSync(join(tmpdir(), 'kaudit-range-'));
const MAX = 40;

/** The reference: what one read of the whole file gives, line by line. */
function reference(bytes: Buffer): { lines: string[]; rejects: RangeReject[] } {
  const lines: string[] = [];
  const rejects: RangeReject[] = [];
  const parts: Buffer[] = [];
  let s = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a, s);
    if (nl === -1) {
      if (s < bytes.length) parts.push(bytes.subarray(s));
      break;
    }
    parts.push(bytes.subarray(s, nl));
    s = nl + 1;
  }
  parts.forEach((p, i) => {
    const text = p.toString('utf8');
    if (p.length > MAX) {
      rejects.push({ reason: 'line_too_long', line: i + 1 });
      lines.push('');
    } else if (Buffer.from(text, 'utf8').equals(p)) {
      lines.push(text.endsWith('\r') ? text.slice(0, -1) : text);
    } else {
      // Only lone FF/FE bytes are generated: the WHATWG decoder and Go agree on those.
      rejects.push({ reason: 'utf8_replaced', line: i + 1 });
      lines.push(text);
    }
  });
  return { lines, rejects };
}

const lineArb = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, '')),
  fc.constantFrom('', '\r', 'x'.repeat(MAX), 'y'.repeat(MAX + 1), 'z'.repeat(3 * MAX), 'é€😀'),
  fc.constant('\u0000bad\u00ff').map(() => '\uFFFDinvalid'), // replaced by raw bytes below
);

test('byte ranges read in any block and piece size give the lines of one whole read, in order', () => {
  let n = 0;
  fc.assert(
    fc.property(
      fc.array(lineArb, { maxLength: 25 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 64 }),
      (lines, trailingNewline, cuts, block, piece) => {
        const parts = lines.map((l) =>
          l === '\uFFFDinvalid' ? Buffer.from([0x61, 0xff, 0xfe, 0x62]) : Buffer.from(l, 'utf8'),
        );
        const joined = parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p]));
        if (trailingNewline && parts.length > 0) joined.push(Buffer.from('\n'));
        const bytes = Buffer.concat(joined);
        const file = join(dir, `f${n++}.log`);
        writeFileSync(file, bytes);
        const bounds = [
          ...new Set([0, ...cuts.map((c) => (bytes.length ? c % bytes.length : 0)), bytes.length]),
        ].sort((a, b) => a - b);
        const got: string[] = [];
        const rejects: RangeReject[] = [];
        let before = 0;
        for (let i = 0; i + 1 < bounds.length; i++) {
          let count = 0;
          const start = bounds[i] as number;
          const reject: RejectFn = (reason, _origin, line) =>
            rejects.push({ reason, line: line + before });
          const splitter = new LineSplitter(file, MAX, reject, piece, start === 0);
          for (const b of readRange(file, start, bounds[i + 1] as number, splitter, block)) {
            assert.equal(b.firstLine, count + 1, 'batches are numbered consecutively');
            count += b.lines.length;
            got.push(...b.lines);
          }
          assert.equal(splitter.linesRead, count);
          before += count;
        }
        const want = reference(bytes);
        assert.deepEqual(got, want.lines);
        assert.deepEqual(rejects, want.rejects);
      },
    ),
    { numRuns: 300 },
  );
});
