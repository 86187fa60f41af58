import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { anyDeleteRule, runKaudit, TEST_CACHE_DIR } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

// Issue #11, "clean failures": no stack trace reaches a user; every failure is one line
// on stderr and an exit code.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-clean-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('delete %ka.uri by %ka.user.name'));
const log = join(dir, 'audit.log');
writeFileSync(log, `${JSON.stringify(auditEvent({ verb: 'delete' }))}\n`);
const policy = join(dir, 'policy.yaml');
writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');

const STACK = /\n\s+at |node:internal|Unhandled 'error'|internal error/;

/** Runs kaudit with stdout on a file descriptor (such as /dev/full's). */
function runTo(stdoutPath: string, args: readonly string[], stdin?: number) {
  const out = openSync(stdoutPath, 'w');
  try {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kaudit'), ...args], {
      stdio: [stdin ?? 'pipe', out, 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR },
    });
    return { code: r.status ?? -1, stderr: r.stderr };
  } finally {
    closeSync(out);
  }
}

for (const args of [
  ['scan', '-r', rules, log],
  ['scan', '-r', rules, '--format', 'json', log],
  ['query', 'ka.verb=delete', log],
  ['policy', 'validate', policy],
  ['policy', 'lint', policy],
  ['policy', 'check', policy, '--verb', 'get', '--resource', 'pods'],
  ['policy', 'simulate', policy, log],
  ['policy', 'generate'],
  ['rules', 'list'],
  ['--help'],
  ['--version'],
]) {
  const shown = args.map((a) => (a.startsWith('/') ? (a.split('/').pop() ?? a) : a)).join(' ');
  test(`kaudit ${shown} > /dev/full: one line, exit 1`, () => {
    const r = runTo('/dev/full', args);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'kaudit: cannot write output: no space left on device\n');
  });
}

test('kaudit scan < / (stdin is a directory): one line, exit 1, not an empty log', () => {
  const fd = openSync('/', 'r');
  try {
    const r = runTo('/dev/null', ['scan', '-r', rules], fd);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'kaudit: -: is a directory (stdin)\n');
  } finally {
    closeSync(fd);
  }
});

test('kaudit scan --workers beyond the cores says so and uses the cores', () => {
  const many = String(availableParallelism() + 6);
  const r = runKaudit(['scan', '-r', rules, '--workers', many, log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^kaudit: --workers ${many}: this machine has ${availableParallelism()} core\\(s\\)`,
    ),
  );
  assert.equal(r.stdout, runKaudit(['scan', '-r', rules, '--workers', '1', log]).stdout);
});

test('kaudit scan on /dev/null, an empty file and a binary file: no stack trace, exit 0', () => {
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  const binary = join(dir, 'binary.bin');
  const bytes = Buffer.alloc(200_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3)) & 0xff;
  writeFileSync(binary, bytes);
  for (const input of ['/dev/null', empty, binary]) {
    const r = runKaudit(['scan', '-r', rules, '--summary', input]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, STACK);
    assert.match(r.stderr, /Events detected: 0\n/);
  }
});

test('kaudit policy simulate on a binary file: skipped lines counted, no stack trace', () => {
  const binary = join(dir, 'binary2.bin');
  writeFileSync(binary, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff)));
  const r = runKaudit(['policy', 'simulate', policy, binary]);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stderr, STACK);
  assert.match(r.stderr, /skipped \d+ line\(s\) \(first: invalid_json: /);
});

// A request URI that would forge a second alert line and turn the terminal red.
const FORGED = '/api/v1/x\n00:00:00.000000000: Critical Fake alert by admin\u001b[31m';

test('kaudit scan text alerts escape control characters in event fields; --raw-fields does not', () => {
  const crafted = join(dir, 'crafted.log');
  writeFileSync(crafted, `${JSON.stringify(auditEvent({ verb: 'delete', requestURI: FORGED }))}\n`);
  for (const workers of ['1', '2']) {
    const r = runKaudit(['scan', '-r', rules, '--workers', workers, crafted], {
      env: { KAUDIT_CHUNK_BYTES: '64' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 2, 'one alert, one line');
    assert.ok(
      r.stdout.includes(
        '/api/v1/x\\n00:00:00.000000000: Critical Fake alert by admin\\u001b[31m by ',
      ),
    );
    assert.doesNotMatch(r.stdout, /\u001b/);
  }
  const raw = runKaudit(['scan', '-r', rules, '--raw-fields', crafted]);
  assert.ok(raw.stdout.includes(FORGED));
  // JSON alerts carry the true value, escaped by JSON itself.
  const json = runKaudit(['scan', '-r', rules, '--format', 'json', crafted]);
  assert.equal(json.stdout.trim().split('\n').length, 1);
  const alert = JSON.parse(json.stdout) as { output_fields: Record<string, string> };
  assert.equal(alert.output_fields['ka.uri'], FORGED);
});

test('kaudit query -o escapes control characters in event fields', () => {
  const crafted = join(dir, 'crafted-q.log');
  writeFileSync(crafted, `${JSON.stringify(auditEvent({ verb: 'delete', requestURI: FORGED }))}\n`);
  const r = runKaudit(['query', 'ka.verb=delete', crafted, '-o', 'uri=%ka.uri']);
  assert.equal(r.stdout, `uri=${FORGED.replace('\n', '\\n').replace('\u001b', '\\u001b')}\n`);
});
