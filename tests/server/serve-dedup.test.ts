// kube-apiserver sends a batch again when it did not see the 200 (a reset connection, a
// timeout): `kaudit serve` must not alert twice on an (auditID, stage), in one process,
// across a SIGKILL and restart, and after its periodic maintenance has run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  alertedIds,
  EVERY_EVENT_RULE,
  numberedEvents,
  scrape,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';

/** serve.ts prunes the spool and the outbox this often. */
const MAINTENANCE_MS = 30_000;
const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

async function serve(dir: string, dataDir: string): Promise<ServeProcess> {
  const args = ['-r', join(dir, 'rules.yaml'), '--output', `file:${join(dir, 'alerts.json')}`];
  const s = await startServe(args, { dataDir });
  running.push(s);
  return s;
}

async function post(s: ServeProcess, body: string): Promise<void> {
  const r = await postAudit(s.port, body);
  assert.equal(r.status, 200, r.text);
}

/** Posts `marker`, waits for its alert: everything posted before it was judged by then. */
async function settle(s: ServeProcess, alerts: string, marker: string): Promise<string[]> {
  await post(s, eventList(numberedEvents(marker, 1)));
  return waitFor(`the alert of ${marker}`, () => {
    const ids = alertedIds(alerts);
    return ids.includes(`${marker}-0`) ? ids : undefined;
  });
}

test('a batch sent again is not alerted again: same process, after SIGKILL and restart, after maintenance', async () => {
  const dir = tempDir();
  writeRules(dir, EVERY_EVENT_RULE);
  const alerts = join(dir, 'alerts.json');
  const dataDir = join(dir, 'data');
  const batch = eventList(numberedEvents('retry', 5));
  const retried = (ids: readonly string[]) => ids.filter((id) => id.startsWith('retry-'));

  let s = await serve(dir, dataDir);
  await post(s, batch);
  await post(s, batch);
  let ids = await settle(s, alerts, 'marker-a');
  assert.equal(retried(ids).length, 5, 'sent twice in a row, alerted once');
  const m = await scrape(s.port);
  assert.equal(m.value('kaudit_alerts_suppressed_duplicates_total'), 5);

  await s.stop('SIGKILL');
  s = await serve(dir, dataDir);
  await post(s, batch);
  ids = await settle(s, alerts, 'marker-b');
  assert.equal(retried(ids).length, 5, 'sent again after SIGKILL and restart, not alerted again');

  // Maintenance prunes what every output has received; the apiserver's retry can come
  // after that (its backoff starts at 10 s and grows).
  await new Promise((r) => setTimeout(r, MAINTENANCE_MS + 2000));
  await post(s, batch);
  ids = await settle(s, alerts, 'marker-c');
  assert.equal(retried(ids).length, 5, 'sent again after maintenance, not alerted again');
});
