import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-follow-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  '- rule: Any Delete\n  desc: d\n  condition: ka.verb = delete\n  output: delete by %ka.user.name\n  priority: WARNING\n  source: k8s_audit\n',
);
const line = (user: string) =>
  `${JSON.stringify(auditEvent({ verb: 'delete', user: { username: user } }))}\n`;

test('kaudit scan --follow keeps reading across appends, rename rotation and copytruncate', async () => {
  const log = join(dir, 'audit.log');
  writeFileSync(log, line('before-start'));
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'scan', '-r', rules, '--follow', log],
    {
      env: { ...process.env, TZ: 'UTC' },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  // Polls the output; every wait is bounded so the test never hangs.
  const waitFor = async (text: string): Promise<void> => {
    const deadline = Date.now() + 15_000;
    while (!out.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; got: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await waitFor('delete by before-start');
    appendFileSync(log, line('appended'));
    await waitFor('delete by appended');
    renameSync(log, `${log}.1`);
    writeFileSync(log, line('after-rename'));
    await waitFor('delete by after-rename');
    appendFileSync(log, line('more'));
    await waitFor('delete by more');
    // copytruncate: the file shrinks; let the follower see it before it grows again.
    truncateSync(log, 0);
    await pause(1500);
    appendFileSync(log, line('after-truncate'));
    await waitFor('delete by after-truncate');
  } finally {
    child.kill('SIGTERM');
  }
  const order = ['before-start', 'appended', 'after-rename', 'after-truncate'].map((u) =>
    out.indexOf(`delete by ${u}`),
  );
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
});
