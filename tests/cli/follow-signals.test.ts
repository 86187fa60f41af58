import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { anyDeleteRule, TEST_CACHE_DIR } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { createRotatingWriter } from '../helpers/rotating-writer.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

// Issue #11: `kaudit scan --follow` must lose nothing across rotation (8,498 of 10,500
// events were lost in one run), and print its summary and apply --fail-on when it is
// stopped with SIGINT or SIGTERM.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-follow-sig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('id=%ka.auditid'));
const line = (id: string) => `${JSON.stringify(auditEvent({ verb: 'delete', auditID: id }))}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Follower {
  readonly child: ChildProcess;
  out: string;
  err: string;
}

function follow(path: string, extra: readonly string[] = []): Follower {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'kaudit'),
      'scan',
      '-r',
      rules,
      '--follow',
      '--summary',
      ...extra,
      path,
    ],
    { env: { ...process.env, TZ: 'UTC', KAUDIT_CACHE_DIR: TEST_CACHE_DIR } },
  );
  const f: Follower = { child, out: '', err: '' };
  child.stdout?.on('data', (d: Buffer) => {
    f.out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    f.err += d.toString();
  });
  return f;
}

async function waitFor(f: Follower, ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!ok()) {
    if (Date.now() > deadline) {
      f.child.kill('SIGKILL');
      throw new Error(`timed out waiting for ${what}; stderr: ${f.err}`);
    }
    await sleep(50);
  }
}

for (const [signal, failOn, code] of [
  ['SIGINT', true, 1],
  ['SIGTERM', false, 0],
] as const) {
  test(`kaudit scan --follow stopped by ${signal} prints its summary and exits ${code}`, async () => {
    const log = join(dir, `${signal}.log`);
    writeFileSync(log, line('a-1'));
    const f = follow(log, failOn ? ['--fail-on', 'warning'] : []);
    await waitFor(f, () => f.out.includes('id=a-1'), 'the first alert');
    appendFileSync(log, line('a-2'));
    await waitFor(f, () => f.out.includes('id=a-2'), 'the second alert');
    f.child.kill(signal);
    const [exit] = await once(f.child, 'exit');
    assert.equal(exit, code, f.err);
    assert.match(f.err, /Events detected: 2\n/);
    assert.match(f.err, /\n {3}Any Delete: 2\n/);
    assert.match(f.err, /\nEvents read: 2\n/);
  });
}

test('kaudit scan --follow alerts once on every event of a randomly rotating log (seeded)', async () => {
  const d = join(dir, 'rotating');
  mkdirSync(d);
  const log = join(d, 'audit.log');
  writeFileSync(log, '');
  const writer = createRotatingWriter(log, (n) => line(`ev-${n}`), 42);
  const f = follow(log);
  await sleep(1500); // let it start (rules loaded, file open)
  for (let i = 0; i < 100; i++) {
    const pause = writer.step();
    if (pause > 0) await sleep(pause);
  }
  const want = writer.log.written;
  const seen = () => f.out.split('\n').filter((l) => l.includes('id=ev-')).length;
  await waitFor(f, () => seen() >= want, `${want} alerts`).catch(() => undefined);
  await sleep(800); // a late duplicate would show up now
  f.child.kill('SIGTERM');
  const [exit] = await once(f.child, 'exit');
  const counts = new Map<string, number>();
  for (const m of f.out.matchAll(/id=(ev-\d+)/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  const missing = Array.from({ length: want }, (_, n) => `ev-${n}`).filter((id) => !counts.has(id));
  const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const what = `last steps: ${writer.log.ops.slice(-25).join(', ')}`;
  assert.deepEqual(missing, [], `missing; ${what}`);
  assert.deepEqual(twice, [], `twice; ${what}`);
  assert.equal(exit, 0, f.err);
  assert.match(f.err, new RegExp(`\\nEvents read: ${want}\\n`));
});
