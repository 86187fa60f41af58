// /healthz, /readyz and /metrics of a real `kaudit serve`, a spool that fills up, and the
// shutdown on SIGTERM.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { postAudit, request } from '../helpers/http-request.ts';
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

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});
async function serve(args: readonly string[]): Promise<ServeProcess> {
  const s = await startServe(args);
  running.push(s);
  return s;
}

const NEVER_RULE = `- rule: Never
  desc: matches no event
  condition: ka.verb = no-such-verb
  output: "never %ka.auditid"
  priority: INFO
  source: k8s_audit
`;

/** Many rules: the detection thread needs a while to compile them after a reload. */
function manyRules(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += `- rule: Rule ${i}\n  desc: d\n  condition: ka.verb = create and ka.user.name = "user-${i}" and ka.target.name startswith "pod-${i}"\n  output: "rule ${i} %ka.auditid"\n  priority: INFO\n  source: k8s_audit\n`;
  }
  return text;
}

test('/healthz and /readyz answer, and the spool gauges return to 0 once detection has caught up', async () => {
  const dir = tempDir();
  const s = await serve(['-r', writeRules(dir, NEVER_RULE), '--output', 'stdout']);
  const h = await request({ port: s.port, path: '/healthz' });
  assert.equal(h.status, 200);
  assert.equal(h.text, 'ok\n');
  const r = await request({ port: s.port, path: '/readyz' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json(), { ready: true, reasons: [] });
  const m = await request({ port: s.port, path: '/metrics' });
  assert.match(String(m.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  // Batches that raise no alert, one right after the other: detection reports its
  // progress at most every 250 ms, and the last commit must still reach the gauges.
  for (let i = 0; i < 3; i++) {
    const p = await postAudit(s.port, eventList(numberedEvents(`quiet-${i}`, 2)));
    assert.equal(p.status, 200);
  }
  const settled = await waitFor(
    'the spool gauges to return to 0',
    async () => {
      const g = await scrape(s.port);
      return g.value('kaudit_spool_pending_events') === 0 &&
        g.value('kaudit_spool_pending_batches') === 0 &&
        g.value('kaudit_spool_lag_seconds') === 0
        ? g
        : undefined;
    },
    5000,
  );
  assert.equal(settled.value('kaudit_webhook_events_total', { result: 'accepted' }), 6);
  assert.ok(settled.value('kaudit_spool_bytes') > 0);
});

test('a full spool answers 503 with Retry-After, /readyz says why, and both recover once detection catches up', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, NEVER_RULE);
  const s = await serve(['-r', rules, '--no-watch-rules', '--spool-max-size', '16k']);
  // Detection stops while its thread compiles a large ruleset: the spool fills up.
  writeFileSync(rules, manyRules(3000));
  s.child.kill('SIGHUP');
  const deadline = Date.now() + 60_000;
  let refused: { retryAfter: string | undefined; code: string } | undefined;
  let readyz: { status: number; reasons: string[] } | undefined;
  let n = 0;
  const poster = async (): Promise<void> => {
    while (readyz === undefined && Date.now() < deadline) {
      const p = await postAudit(s.port, eventList(numberedEvents(`fill-${n++}`, 2)));
      if (p.status === 200) continue;
      assert.equal(p.status, 503, p.text);
      const r = await request({ port: s.port, path: '/readyz' });
      // Detection may have committed in between; keep going until both say full.
      if (r.status !== 503 || readyz !== undefined) continue;
      refused = {
        retryAfter: p.headers['retry-after'] as string | undefined,
        code: p.json<{ error: { code: string } }>().error.code,
      };
      readyz = { status: r.status, reasons: r.json<{ reasons: string[] }>().reasons };
    }
  };
  await Promise.all([poster(), poster(), poster()]);
  assert.ok(refused !== undefined && readyz !== undefined, `no full spool seen in ${n} batches`);
  assert.equal(refused.code, 'SPOOL_FULL');
  assert.match(refused.retryAfter ?? '', /^\d+$/);
  assert.deepEqual(readyz.reasons, ['spool not writable (full or failing)']);
  await waitFor(
    '/readyz to answer 200 again',
    async () =>
      (await request({ port: s.port, path: '/readyz' })).status === 200 ? true : undefined,
    60_000,
  );
  const ok = await postAudit(s.port, eventList(numberedEvents('after-full', 1)));
  assert.equal(ok.status, 200);
  const m = await scrape(s.port);
  assert.ok(m.value('kaudit_http_requests_total', { route: '/k8s-audit', status: '503' }) >= 1);
  assert.equal(m.value('kaudit_rules_reloads_total', { result: 'ok' }), 1);
  assert.equal(m.value('kaudit_rules_loaded'), 3000);
});

test('SIGTERM: new connections are refused, the request in flight is kept and alerted, exit 0', async () => {
  const dir = tempDir();
  const alerts = join(dir, 'alerts.json');
  const s = await serve(['-r', writeRules(dir, EVERY_EVENT_RULE), '--output', `file:${alerts}`]);
  const body = eventList([auditEvent({ auditID: 'in-flight-0' })]);
  const half = body.length >> 1;
  const socket = net.connect(s.port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d: Buffer) => {
    answer += d.toString();
  });
  const closed = new Promise((r) => socket.once('close', r));
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    `POST /k8s-audit HTTP/1.1\r\nHost: kaudit\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  const sigterm = Date.now();
  s.child.kill('SIGTERM');
  await waitFor('the listener to close', async () => {
    try {
      await request({ port: s.port, path: '/healthz', timeoutMs: 2000 });
      return undefined;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? true : undefined;
    }
  });
  socket.write(body.slice(half));
  await closed;
  assert.match(answer, /^HTTP\/1\.1 200 /);
  assert.match(answer, /"accepted":1/);
  // The answer closed the connection instead of keeping it alive for 65 s, past the
  // kubelet's grace period (30 s by default), when SIGKILL follows.
  assert.match(answer, /\r\nconnection: close\r\n/i);
  assert.equal(await s.exited, 0);
  const took = Date.now() - sigterm;
  assert.ok(took < 30_000, `exit took ${took} ms`);
  assert.deepEqual(alertedIds(alerts), ['in-flight-0']);
  assert.match(s.stderr(), /"msg":"kaudit serve stopped"/);
});
