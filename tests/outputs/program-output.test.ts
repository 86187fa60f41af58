import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createProgramOutput } from '../../src/outputs/index.ts';
import { makeAlert, userOf } from '../helpers/alerts.ts';
import { waitFor } from '../helpers/sidekick-receiver.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-program-out-'));

function lines(path: string): string[] {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

function users(path: string): string[] {
  return lines(path).map(
    (l) =>
      (JSON.parse(l) as { output_fields: Record<string, string> }).output_fields[
        'ka.user.name'
      ] as string,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("createProgramOutput() feeds one long-lived `sh -c 'cat >> file'` one alert per line", async () => {
  const path = join(dir, 'cat.jsonl');
  const pids = join(dir, 'cat.pids');
  const out = createProgramOutput(`echo $$ >> '${pids}'; cat >> '${path}'`);
  const alerts = Array.from({ length: 500 }, () => makeAlert());
  for (const a of alerts.slice(0, 250)) out.write(a);
  await out.flush();
  for (const a of alerts.slice(250)) out.write(a);
  await out.close();
  assert.deepEqual(users(path), alerts.map(userOf));
  assert.equal(lines(pids).length, 1, 'one process for every alert (keep_alive)');
  assert.equal(out.stats.delivered, 500);
  assert.equal(alive(Number(lines(pids)[0])), false, 'gone after close');
});

test('createProgramOutput() restarts a program that exits, and reports it', async () => {
  const path = join(dir, 'once.jsonl');
  const starts = join(dir, 'once.starts');
  const messages: string[] = [];
  // Reads one line and exits: every alert after it needs a new process.
  const out = createProgramOutput(`echo start >> '${starts}'; head -n 1 >> '${path}'`, {
    restartBackoffMs: 20,
    hooks: { onMessage: (_n, m) => messages.push(m) },
  });
  const alerts = [makeAlert(), makeAlert(), makeAlert()];
  for (const [i, a] of alerts.entries()) {
    out.write(a);
    await out.flush();
    await waitFor(() => lines(path).length === i + 1, 5000, `alert ${i + 1} written`);
    await waitFor(() => lines(starts).length === i + 2, 5000, `restart ${i + 1}`);
  }
  await out.close();
  assert.deepEqual(users(path), alerts.map(userOf));
  assert.match(messages.join('\n'), /exited with status 0; restarting in \d+ ms/);
});

test('createProgramOutput() reports the program stderr line by line, escaped and bounded', async () => {
  const messages: string[] = [];
  const long = 'x'.repeat(5000);
  const out = createProgramOutput(
    `printf 'first\\033[31m red\\nsecond\\n${long}\\n' >&2; cat > /dev/null`,
    { hooks: { onMessage: (_n, m) => messages.push(m) } },
  );
  await waitFor(() => messages.length >= 3, 5000, 'three stderr lines');
  await out.close();
  assert.equal(messages[0], 'stderr: first\\u001b[31m red');
  assert.equal(messages[1], 'stderr: second');
  assert.ok((messages[2]?.length ?? 0) < 600, 'a long line is cut');
});

test('createProgramOutput() with a program that never reads: writes never wait, flush is bounded, drops counted', async () => {
  const out = createProgramOutput('sleep 600', {
    queueSize: 50,
    flushTimeoutMs: 200,
    exitTimeoutMs: 100,
  });
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) out.write(makeAlert());
  await out.flush();
  const took = performance.now() - t0;
  assert.ok(took < 3000, `${took} ms`);
  // The pipe takes what fits (64 KiB), the queue 50 more; the rest is dropped.
  assert.ok(out.stats.dropped > 4000, `dropped ${out.stats.dropped}`);
  assert.ok(out.stats.pending <= 50 + 200, `pending ${out.stats.pending}`);
  const t1 = performance.now();
  await out.close();
  assert.ok(performance.now() - t1 < 6000, 'close ends a program that ignores its stdin');
  const s = out.stats;
  assert.equal(s.pending, 0);
  assert.equal(s.delivered + s.failed + s.dropped, 5000);
});

test('createProgramOutput() close() kills a program that ignores SIGTERM, with what it started', async () => {
  const pids = join(dir, 'stubborn.pids');
  const out = createProgramOutput(`trap '' TERM; sleep 600 & echo $! >> '${pids}'; wait`, {
    exitTimeoutMs: 100,
  });
  await waitFor(() => lines(pids).length === 1, 5000, 'the program to start');
  await out.close();
  const sleeper = Number(lines(pids)[0]);
  await waitFor(() => !alive(sleeper), 5000, 'its child to be gone');
});
