import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readInputs } from '../../src/sources/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-follow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Upper bound for one test; the tests normally end as soon as the lines arrive.
const GIVE_UP_MS = 5000;

interface Step {
  /** Run once `lines` holds at least `after` entries. */
  readonly after: number;
  readonly run: () => void;
}

/**
 * Follows `paths`, runs each step when enough lines have arrived, and stops (abort)
 * when `want` lines arrived or after GIVE_UP_MS. Lines come back as `line:text`.
 */
async function follow(
  paths: string[],
  want: number,
  steps: Step[],
  fromStart = true,
): Promise<string[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), GIVE_UP_MS);
  const lines: string[] = [];
  const pending = [...steps];
  const runDue = () => {
    while (pending.length > 0 && lines.length >= (pending[0] as Step).after) pending.shift()?.run();
  };
  // Steps due before any line arrives (e.g. fromStart=false) run once reading started.
  setImmediate(runDue);
  try {
    for await (const b of readInputs(paths, { follow: true, fromStart, signal: ac.signal })) {
      for (const [i, l] of b.lines.entries()) lines.push(`${b.firstLine + i}:${l}`);
      if (lines.length >= want) ac.abort();
      runDue();
    }
  } finally {
    clearTimeout(timer);
  }
  return lines;
}

test('readInputs(follow) reads existing lines, then appended ones', async () => {
  const p = join(dir, 'append.log');
  writeFileSync(p, 'a\nb\n');
  const lines = await follow([p], 5, [
    { after: 2, run: () => appendFileSync(p, 'c\nd\npar') },
    { after: 4, run: () => setTimeout(() => appendFileSync(p, 'tial\n'), 50) },
  ]);
  assert.deepEqual(lines, ['1:a', '2:b', '3:c', '4:d', '5:partial']);
});

test('readInputs(follow) with fromStart false reads only what is appended', async () => {
  const p = join(dir, 'tail.log');
  writeFileSync(p, 'line1\nline2\n');
  // Until the follower has opened the file, an appended line still counts as existing;
  // so keep appending `lineN` (N = its true line number) until one arrives.
  let n = 2;
  const timer = setInterval(() => appendFileSync(p, `line${++n}\n`), 50);
  try {
    const lines = await follow([p], 1, [], false);
    const first = lines[0] ?? '';
    const [num, text] = first.split(':');
    assert.equal(text, `line${num}`);
    assert.ok(Number(num) >= 3, first);
  } finally {
    clearInterval(timer);
  }
});

test('readInputs(follow) finishes a renamed file, then reads its replacement from the start', async () => {
  const p = join(dir, 'rotate.log');
  writeFileSync(p, 'o1\no2\n');
  const lines = await follow([p], 5, [
    {
      after: 2,
      run: () => {
        appendFileSync(p, 'o3\n');
        renameSync(p, `${p}.1`);
        writeFileSync(p, 'n1\nn2\n');
      },
    },
  ]);
  assert.deepEqual(lines, ['1:o1', '2:o2', '3:o3', '1:n1', '2:n2']);
});

test('readInputs(follow) starts over when the file is truncated (copytruncate)', async () => {
  const p = join(dir, 'copytruncate.log');
  writeFileSync(p, 'first line of the old content\nsecond line of the old content\n');
  const lines = await follow([p], 3, [
    {
      after: 2,
      run: () => {
        truncateSync(p, 0);
        appendFileSync(p, 'fresh\n');
      },
    },
  ]);
  assert.deepEqual(lines, [
    '1:first line of the old content',
    '2:second line of the old content',
    '1:fresh',
  ]);
});

test('readInputs(follow) follows several files at once', async () => {
  const a = join(dir, 'multi-a.log');
  const b = join(dir, 'multi-b.log');
  writeFileSync(a, 'a1\n');
  writeFileSync(b, 'b1\n');
  const lines = await follow([a, b], 4, [
    {
      after: 2,
      run: () => {
        appendFileSync(b, 'b2\n');
        appendFileSync(a, 'a2\n');
      },
    },
  ]);
  assert.deepEqual([...lines].sort(), ['1:a1', '1:b1', '2:a2', '2:b2']);
});

test('readInputs(follow) ends when the signal aborts with nothing new', async () => {
  const p = join(dir, 'idle.log');
  writeFileSync(p, 'only\n');
  const ac = new AbortController();
  const seen: string[] = [];
  setTimeout(() => ac.abort(), 300);
  for await (const batch of readInputs([p], { follow: true, signal: ac.signal })) {
    seen.push(...batch.lines);
  }
  assert.deepEqual(seen, ['only']);
});
