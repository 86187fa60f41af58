// `kaudit scan ... | head`: when the reader of stdout goes away, kaudit stops quietly
// with its normal exit code, on one thread and on several. It used to end on an
// unsettled await (exit 13) on one thread and crash on an unhandled EPIPE on two.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TEST_CACHE_DIR } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-closed-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `
- rule: Every request
  desc: fires on every event, to make more output than a pipe holds
  condition: ka.verb exists
  output: request %ka.verb %ka.target.resource/%ka.target.name by %ka.user.name from %ka.useragent
  priority: INFO
  source: k8s_audit
`,
);
const lines: string[] = [];
for (let i = 0; i < 20_000; i++) {
  lines.push(
    JSON.stringify(
      auditEvent({
        verb: 'get',
        user: { username: `user-${i}` },
        objectRef: { resource: 'pods', namespace: 'ns', name: `pod-${i}` },
      }),
    ),
  );
}
const log = join(dir, 'audit.log');
writeFileSync(log, `${lines.join('\n')}\n`);

/** Runs kaudit, reads its first output and then closes the pipe, as `head -c` does. */
function runAndClose(args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kaudit'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

for (const workers of ['1', '2']) {
  test(`kaudit scan --workers ${workers} ends quietly when its output is closed`, async () => {
    const r = await runAndClose(['scan', '-r', rules, '--workers', workers, log], {
      KAUDIT_CHUNK_BYTES: '1048576',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
  });
}

test('kaudit query ends quietly when its output is closed', async () => {
  const r = await runAndClose(['query', 'ka.verb = get', log]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
});
