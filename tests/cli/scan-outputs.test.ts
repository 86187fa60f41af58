// kaudit scan --output: alerts reach a file, an HTTP receiver (checked as falcosidekick
// reads them) and a program, on one thread and with workers; SIGHUP reopens the file;
// a dead receiver neither holds the scan nor loses the other outputs' alerts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runKaudit, runKauditAsync, TEST_CACHE_DIR } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { type Receiver, startReceiver, waitFor } from '../helpers/sidekick-receiver.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-scan-outputs-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `
- rule: Delete
  desc: d
  condition: ka.verb = delete
  output: delete %ka.target.resource/%ka.target.name by %ka.user.name
  priority: WARNING
  source: k8s_audit
  tags: [k8s]
- rule: Exec
  desc: e
  condition: ka.target.subresource = exec
  output: exec into %ka.target.name by %ka.user.name
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, mitre_execution]
`,
);

function eventLine(i: number): string {
  const verb = i % 5 === 0 ? 'delete' : 'get';
  const sub = i % 7 === 0 ? { subresource: 'exec' } : {};
  return JSON.stringify(
    auditEvent({
      verb,
      user: { username: `user-${i}` },
      objectRef: { resource: 'pods', namespace: 'ns', name: `p${i}`, ...sub },
    }),
  );
}

const log = join(dir, 'audit.log');
writeFileSync(log, `${Array.from({ length: 400 }, (_, i) => eventLine(i)).join('\n')}\n`);

const receivers: Receiver[] = [];
after(async () => {
  for (const r of receivers) await r.close();
});

function jsonLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

function sorted(lines: readonly string[]): string[] {
  return [...lines].sort();
}

// The reference: the same scan with JSON alerts on stdout.
const reference = runKaudit(['scan', '-r', rules, '--format', 'json', log]);

for (const workers of ['1', '2']) {
  test(`kaudit scan --workers ${workers} --output file, http and program: every alert reaches each`, async () => {
    assert.equal(reference.code, 0, reference.stderr);
    const want = jsonLines(reference.stdout);
    assert.ok(want.length > 80, `${want.length} alerts`);
    const rx = await startReceiver();
    receivers.push(rx);
    const file = join(dir, `alerts-${workers}.json`);
    const piped = join(dir, `piped-${workers}.json`);
    const r = await runKauditAsync(
      [
        'scan',
        '-r',
        rules,
        '--workers',
        workers,
        log,
        '--output',
        `file:${file}`,
        '--output',
        `http:${rx.url}`,
        '--output',
        `program:cat >> '${piped}'`,
        '--output',
        'stdout',
      ],
      { env: { KAUDIT_CHUNK_BYTES: '8192' } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no drops or failures to report');
    // stdout keeps --format (text): one line per alert.
    assert.equal(jsonLines(r.stdout).length, want.length);
    assert.match(r.stdout.split('\n')[0] ?? '', /^\d\d:\d\d:\d\d\.\d{9}: (Warning|Notice) /);
    // The file and the program get Falco's JSON lines, in file order.
    assert.deepEqual(jsonLines(readFileSync(file, 'utf8')), want);
    assert.deepEqual(jsonLines(readFileSync(piped, 'utf8')), want);
    // The receiver got each alert once, every one acceptable to falcosidekick.
    assert.equal(rx.requests.length, want.length);
    for (const q of rx.requests) assert.equal(q.error, undefined, q.body);
    assert.deepEqual(sorted(rx.requests.map((q) => q.body)), sorted(want));
  });
}

test('kaudit scan --output with a selection per output', async () => {
  const warn = join(dir, 'warnings.json');
  const exec = join(dir, 'exec.json');
  const r = await runKauditAsync([
    'scan',
    '-r',
    rules,
    log,
    '--output',
    `file[min-priority=warning]:${warn}`,
    '--output',
    `file[tag=mitre_execution,format=text]:${exec}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'no stdout output unless asked');
  const all = jsonLines(reference.stdout).map(
    (l) => JSON.parse(l) as { rule: string; priority: string },
  );
  const rulesOf = (path: string) =>
    jsonLines(readFileSync(path, 'utf8')).map((l) => (JSON.parse(l) as { rule: string }).rule);
  assert.deepEqual(
    rulesOf(warn),
    all.filter((a) => a.priority === 'Warning').map((a) => a.rule),
  );
  const execLines = jsonLines(readFileSync(exec, 'utf8'));
  assert.equal(execLines.length, all.filter((a) => a.rule === 'Exec').length);
  for (const l of execLines) assert.match(l, /: Notice exec into /);
});

test('kaudit scan --output http to a receiver that never answers: the scan ends, the rest is delivered, losses reported', async () => {
  const rx = await startReceiver(() => 'hang');
  receivers.push(rx);
  const file = join(dir, 'beside-dead.json');
  const t0 = performance.now();
  const r = await runKauditAsync([
    'scan',
    '-r',
    rules,
    log,
    '--output',
    `http[timeout=200ms,retries=0,flush-timeout=300ms,queue-size=10]:${rx.url}`,
    '--output',
    `file:${file}`,
  ]);
  const took = performance.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(readFileSync(file, 'utf8')), jsonLines(reference.stdout));
  const m =
    /kaudit: output http:http:\/\/127\.0\.0\.1:\d+\/: 0 delivered, (\d+) failed, (\d+) dropped/.exec(
      r.stderr,
    );
  assert.ok(m, r.stderr);
  assert.equal(Number(m[1]) + Number(m[2]), jsonLines(reference.stdout).length);
  assert.ok(Number(m[2]) > 0, 'the queue of 10 overflowed');
  assert.ok(took < 20_000, `${took} ms`);
});

test('kaudit scan --output with a bad spec is a usage error (exit 2)', () => {
  const r = runKaudit(['scan', '-r', rules, '--output', 'http[retries=many]:http://h/', log]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /invalid --output 'http\[retries=many\]:http:\/\/h\/': option 'retries' takes a whole number/,
  );
  const noCa = runKaudit([
    'scan',
    '-r',
    rules,
    '--output',
    'http[ca=/nonexistent.pem]:https://h/',
    log,
  ]);
  assert.equal(noCa.code, 2);
  assert.match(noCa.stderr, /cannot read the CA file \/nonexistent\.pem/);
});

test('kaudit scan: SIGHUP reopens file outputs (logrotate: rename, then SIGHUP)', async () => {
  const file = join(dir, 'hup.json');
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'scan', '-r', rules, '-', '--output', `file:${file}`],
    { cwd: REPO_ROOT, env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR } },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deletes = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `${eventLine((from + i) * 5)}\n`).join('');
  const count = (path: string) =>
    existsSync(path) ? jsonLines(readFileSync(path, 'utf8')).length : 0;
  child.stdin.write(deletes(0, 30));
  await waitFor(() => count(file) === 30, 15_000, 'the first alerts in the file');
  renameSync(file, `${file}.1`);
  child.kill('SIGHUP');
  await waitFor(() => existsSync(file), 5000, 'the file reopened');
  child.stdin.end(deletes(30, 20));
  assert.equal(await exited, 0, stderr);
  const names = (path: string) =>
    jsonLines(readFileSync(path, 'utf8')).map(
      (l) =>
        (JSON.parse(l) as { output_fields: Record<string, string> }).output_fields['ka.user.name'],
    );
  assert.deepEqual(
    names(`${file}.1`),
    Array.from({ length: 30 }, (_, i) => `user-${i * 5}`),
  );
  assert.deepEqual(
    names(file),
    Array.from({ length: 20 }, (_, i) => `user-${(30 + i) * 5}`),
  );
});
