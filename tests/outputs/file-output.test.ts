import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileOutput, formatAlertText } from '../../src/outputs/index.ts';
import { makeAlert, userOf } from '../helpers/alerts.ts';
import { FALCO_ALERT_KEYS } from '../helpers/falco-alert.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-file-out-'));

function users(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        (JSON.parse(l) as { output_fields: Record<string, string> }).output_fields[
          'ka.user.name'
        ] as string,
    );
}

test('createFileOutput() appends Falco JSON lines to a file it creates with mode 0600', async () => {
  const path = join(dir, 'alerts.json');
  writeFileSync(join(dir, 'unrelated'), '');
  const out = createFileOutput(path);
  const alerts = [makeAlert(), makeAlert(), makeAlert()];
  for (const a of alerts) out.write(a);
  await out.flush();
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(users(path), alerts.map(userOf));
  const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0] ?? '');
  assert.deepEqual(Object.keys(first), FALCO_ALERT_KEYS);
  assert.equal(out.stats.delivered, 3);
  await out.close();
  // Appends: a second output adds to the file.
  const again = createFileOutput(path);
  const more = makeAlert();
  again.write(more);
  await again.close();
  assert.deepEqual(users(path), [...alerts, more].map(userOf));
});

test('createFileOutput() gives a new file exactly the mode asked, whatever the umask', async () => {
  const path = join(dir, 'group-readable.json');
  const old = process.umask(0o077);
  try {
    const out = createFileOutput(path, { mode: 0o640 });
    out.write(makeAlert());
    await out.close();
  } finally {
    process.umask(old);
  }
  assert.equal(statSync(path).mode & 0o777, 0o640);
});

test('createFileOutput() text format writes Falco text lines; writeRendered takes rendered lines', async () => {
  const path = join(dir, 'alerts.txt');
  const out = createFileOutput(path, { format: { format: 'text' } });
  const a = makeAlert();
  out.write(a);
  out.writeRendered?.('line one\nline two\n', 2);
  await out.close();
  assert.equal(readFileSync(path, 'utf8'), `${formatAlertText(a)}\nline one\nline two\n`);
  assert.equal(out.stats.delivered, 3);
  assert.deepEqual(out.channel, { format: { format: 'text' } });
});

test('createFileOutput() reopen() after a rename: next alerts go to the new file, none lost', async () => {
  const path = join(dir, 'rotated.json');
  const out = createFileOutput(path);
  const before = [makeAlert(), makeAlert()];
  for (const a of before) out.write(a);
  await out.flush();
  renameSync(path, `${path}.1`);
  // Written after the rename and before the reopen: they go to the renamed file.
  const between = makeAlert();
  out.write(between);
  await out.flush();
  await out.reopen?.();
  assert.equal(statSync(path).size, 0, 'reopen created the new file');
  const after = [makeAlert(), makeAlert()];
  for (const a of after) out.write(a);
  await out.close();
  assert.deepEqual(users(`${path}.1`), [...before, between].map(userOf));
  assert.deepEqual(users(path), after.map(userOf));
});

test('createFileOutput() counts and reports errors, never throws, and recovers', async () => {
  const sub = join(dir, 'later');
  const path = join(sub, 'alerts.json');
  const messages: string[] = [];
  const out = createFileOutput(path, { hooks: { onMessage: (_n, m) => messages.push(m) } });
  out.write(makeAlert());
  out.write(makeAlert());
  await out.flush();
  assert.equal(out.stats.failed, 2);
  assert.equal(out.stats.delivered, 0);
  assert.match(messages.join('\n'), /cannot open .*ENOENT/);
  // The directory appears: the next alerts are written (a fresh open per chunk after an error).
  (await import('node:fs')).mkdirSync(sub);
  const a = makeAlert();
  out.write(a);
  await out.close();
  assert.deepEqual(users(path), [userOf(a)]);
  assert.equal(out.stats.delivered, 1);
});

test('createFileOutput() on a full disk (/dev/full): ENOSPC counted failed and reported', {
  skip: existsSync('/dev/full') ? undefined : 'no /dev/full on this system',
}, async () => {
  const messages: string[] = [];
  const out = createFileOutput('/dev/full', { hooks: { onMessage: (_n, m) => messages.push(m) } });
  out.write(makeAlert());
  out.writeRendered?.('a\nb\n', 2);
  await out.close();
  assert.deepEqual(
    { failed: out.stats.failed, delivered: out.stats.delivered },
    { failed: 3, delivered: 0 },
  );
  assert.match(messages[0] ?? '', /cannot write \/dev\/full: .*ENOSPC/);
});

test('createFileOutput() applies its selection', async () => {
  const path = join(dir, 'selected.json');
  const out = createFileOutput(path, { filter: { minPriority: 'Error' } });
  const crit = makeAlert({ priority: 'Critical' });
  out.write(makeAlert({ priority: 'Notice' }));
  out.write(crit);
  await out.close();
  assert.deepEqual(users(path), [userOf(crit)]);
});
