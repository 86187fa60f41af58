import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { anyDeleteRule, runKaudit, TEST_CACHE_DIR } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

// Issue #11, "one bad file never costs the others": every unreadable, truncated or
// corrupt input is reported with its path, the scan reads the next one, --summary counts
// it, and the exit code (3) says the run was partial.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-partial-'));
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('delete by %ka.user.name'));
const line = (user: string) =>
  `${JSON.stringify(auditEvent({ verb: 'delete', user: { username: user } }))}\n`;

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, 0o644);
  return p;
}

const first = file('first.log', line('first'));
const last = file('last.log', line('last'));
const gz = gzipSync(Array.from({ length: 400 }, (_, i) => line(`zipped-${i}`)).join(''));
const truncated = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length / 2)));
const corrupt = (() => {
  const b = Buffer.from(gz);
  for (let i = Math.floor(b.length / 2); i < Math.floor(b.length / 2) + 64; i++) b[i] = 0x5a;
  return file('corrupt.log.gz', b);
})();

function alertsOf(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/^.*delete by /, ''));
}

/** The stderr lines that start `kaudit: <path>:`. */
function reported(stderr: string, path: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith(`kaudit: ${path}: `));
}

for (const workers of ['1', '2']) {
  test(`kaudit scan --workers ${workers}: a missing file and a truncated gzip between good files are reported, the rest is scanned, exit 3`, () => {
    const missing = join(dir, 'missing.log');
    const r = runKaudit(
      ['scan', '-r', rules, '--summary', '--workers', workers, first, truncated, missing, last],
      { env: { KAUDIT_CHUNK_BYTES: '4096' } },
    );
    assert.equal(r.code, 3, r.stderr);
    const got = alertsOf(r.stdout);
    assert.equal(got[0], 'first');
    assert.equal(got.at(-1), 'last');
    // What the gzip held before the cut is still scanned, in order.
    const zipped = got.filter((u) => u.startsWith('zipped-'));
    assert.ok(zipped.length > 10, `only ${zipped.length} events from before the cut`);
    assert.deepEqual(
      zipped,
      zipped.map((_, i) => `zipped-${i}`),
    );
    assert.deepEqual(reported(r.stderr, missing), [
      `kaudit: ${missing}: no such file or directory`,
    ]);
    assert.match(reported(r.stderr, truncated).join('\n'), /gzip data ends early/);
    assert.match(r.stderr, /\nInputs not read \(or not to their end\): 2\n/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('kaudit scan: a corrupt gzip is reported with its path and the next input is read', () => {
  const r = runKaudit(['scan', '-r', rules, '--summary', corrupt, last]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(reported(r.stderr, corrupt).join('\n'), /not valid gzip data|gzip data ends early/);
  assert.equal(alertsOf(r.stdout).at(-1), 'last');
});

test('kaudit scan: an unreadable file (EACCES) is reported and the others are scanned', () => {
  const locked = file('locked.log', line('secret'));
  chmodSync(locked, 0o000);
  // As root every file is readable: run kaudit as nobody to meet EACCES as a user does.
  const asRoot = process.getuid?.() === 0;
  const r = runKaudit(['scan', '-r', rules, first, locked, last], {
    ...(asRoot ? { uid: 65534 } : {}),
    env: { KAUDIT_NO_CACHE: '1' },
  });
  assert.equal(r.code, 3, r.stderr);
  assert.deepEqual(reported(r.stderr, locked), [`kaudit: ${locked}: permission denied`]);
  assert.deepEqual(alertsOf(r.stdout), ['first', 'last']);
});

test('kaudit scan: a directory whose file vanishes after listing reports it and reads the rest', async () => {
  const logs = join(dir, 'vanish');
  mkdirSync(logs);
  chmodSync(logs, 0o755);
  writeFileSync(join(logs, 'a.log'), line('dir-a'));
  writeFileSync(join(logs, 'b.log'), line('dir-b'));
  const fifo = join(dir, 'gate.fifo');
  spawnSync('mkfifo', [fifo]);
  // The FIFO comes first: kaudit lists every input, then blocks opening the FIFO until
  // we open it for writing, so b.log is deleted after it was listed and before it is read.
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'scan', '-r', rules, '--workers', '1', fifo, logs],
    { env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const writer = await open(fifo, 'w');
  unlinkSync(join(logs, 'b.log'));
  await writer.write(line('from-fifo'));
  await writer.close();
  const [code] = await once(child, 'exit');
  assert.equal(code, 3, err);
  assert.deepEqual(alertsOf(out), ['from-fifo', 'dir-a']);
  assert.deepEqual(reported(err, join(logs, 'b.log')), [
    `kaudit: ${join(logs, 'b.log')}: no such file or directory`,
  ]);
});

test('kaudit scan: a FIFO input is read once, whole (planning a parallel scan does not open it)', async () => {
  const fifo = join(dir, 'plain.fifo');
  spawnSync('mkfifo', [fifo]);
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'scan', '-r', rules, fifo],
    {
      env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const writer = await open(fifo, 'w');
  await writer.write(line('fifo-1') + line('fifo-2'));
  await writer.close();
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  assert.equal(code, 0);
  assert.deepEqual(alertsOf(out), ['fifo-1', 'fifo-2']);
});

test('kaudit scan: when no input can be read at all the run fails (exit 1)', () => {
  const r = runKaudit(['scan', '-r', rules, join(dir, 'nope-1.log'), join(dir, 'nope-2.log')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 2, r.stderr);
});

test('kaudit scan --fail-on wins over a partial run (exit 1)', () => {
  const r = runKaudit(['scan', '-r', rules, '--fail-on', 'warning', first, truncated]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cut\.log\.gz: gzip data ends early/);
});

test('kaudit query: a truncated gzip and a missing file are reported, the others queried, exit 3', () => {
  const missing = join(dir, 'missing-q.log');
  const r = runKaudit(['query', 'ka.verb=delete', '--count', first, truncated, missing, last]);
  assert.equal(r.code, 3, r.stderr);
  assert.ok(Number(r.stdout.trim()) > 10);
  assert.equal(reported(r.stderr, missing).length, 1);
  assert.equal(reported(r.stderr, truncated).length, 1);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('kaudit policy simulate: a truncated gzip is one line, not a stack trace; the other logs count', () => {
  const policy = file(
    'policy.yaml',
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n',
  );
  const missing = join(dir, 'missing-s.log');
  const r = runKaudit(['policy', 'simulate', '--format', 'json', policy, truncated, missing, last]);
  assert.equal(r.code, 3, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  assert.match(reported(r.stderr, truncated).join('\n'), /gzip data ends early/);
  assert.equal(reported(r.stderr, missing).length, 1);
  const report = JSON.parse(r.stdout) as {
    before: { total: { events: number } };
    unreadableInputs: number;
  };
  assert.equal(report.unreadableInputs, 2);
  assert.ok(report.before.total.events > 10);
});
