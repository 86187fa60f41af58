// Alerts of a real `kaudit serve` reach a file, an HTTP receiver that decodes them as
// falcosidekick does (over HTTPS with mutual TLS, both ways), and a program; each output
// with its own selection, the same Falco JSON alert in each.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { auditEvent } from '../helpers/events.ts';
import { postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  EVERY_EVENT_RULE,
  readAlerts,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';
import { type Receiver, startReceiver } from '../helpers/sidekick-receiver.ts';
import { certsUnavailable, makeTestCerts } from '../helpers/test-certs.ts';

const SKIP = certsUnavailable() ?? false;
const running: ServeProcess[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
  for (const r of receivers) await r.close();
});

/** Fires on deletions only, at a priority above the every-event rule's NOTICE. */
const DELETE_RULE = `- rule: Pod deleted
  desc: a pod was deleted
  condition: ka.verb = delete and ka.target.resource = pods
  output: "pod deleted id=%ka.auditid by=%ka.user.name"
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, test]
`;

const idOf = (a: { output_fields?: unknown; outputFields?: unknown }): string =>
  String(
    ((a.output_fields ?? a.outputFields) as Record<string, unknown> | undefined)?.['ka.auditid'],
  );

test('alerts reach a file, an HTTPS receiver read as falcosidekick reads it, and a program, each with its own selection', {
  skip: SKIP,
}, async () => {
  const certs = makeTestCerts();
  const receiver = await startReceiver(() => ({ status: 200 }), {
    key: certs.read(certs.serverKeyFile),
    cert: certs.read(certs.serverCertFile),
    ca: certs.read(certs.caFile),
    requestCert: true,
    rejectUnauthorized: true,
  });
  receivers.push(receiver);
  const dir = tempDir();
  const rules = writeRules(dir, `${EVERY_EVENT_RULE}\n${DELETE_RULE}`);
  const file = join(dir, 'alerts.json');
  const programFile = join(dir, 'program.json');
  const http = `http[min-priority=critical,ca=${certs.caFile},cert=${certs.clientCertFile},key=${certs.clientKeyFile}]:${receiver.url}alerts`;
  const program = `program[rule=Every*]:cat >> '${programFile}'`;
  const s = await startServe([
    '-r',
    rules,
    '--rule-matching',
    'all',
    '--tls-cert',
    certs.serverCertFile,
    '--tls-key',
    certs.serverKeyFile,
    '--client-ca',
    certs.caFile,
    '--output',
    `file:${file}`,
    '--output',
    http,
    '--output',
    program,
  ]);
  running.push(s);
  const tls = {
    ca: certs.read(certs.caFile),
    cert: certs.read(certs.clientCertFile),
    key: certs.read(certs.clientKeyFile),
  };
  const creates = Array.from({ length: 6 }, (_, i) => auditEvent({ auditID: `out-create-${i}` }));
  const deletes = Array.from({ length: 4 }, (_, i) =>
    auditEvent({ auditID: `out-delete-${i}`, verb: 'delete', requestObject: undefined }),
  );
  const plain = await postAudit(
    s.port,
    eventList([...creates.slice(0, 3), ...deletes.slice(0, 2)]),
    {
      tls,
    },
  );
  assert.equal(plain.status, 200, plain.text);
  const zipped = await postAudit(
    s.port,
    gzipSync(eventList([...creates.slice(3), ...deletes.slice(2)])),
    { tls, headers: { 'content-encoding': 'gzip' } },
  );
  assert.equal(zipped.status, 200, zipped.text);

  const all = [...creates, ...deletes].map((e) => String(e.auditID)).sort();
  const deleted = deletes.map((e) => String(e.auditID)).sort();
  // The file takes everything: both rules' alerts.
  const fileAlerts = await waitFor('the file output', () => {
    const a = readAlerts(file);
    return a.length === all.length + deleted.length ? a : undefined;
  });
  assert.deepEqual(
    fileAlerts
      .filter((a) => a.rule === 'Every event')
      .map(idOf)
      .sort(),
    all,
  );
  assert.deepEqual(
    fileAlerts
      .filter((a) => a.rule === 'Pod deleted')
      .map(idOf)
      .sort(),
    deleted,
  );
  // The receiver takes the Critical ones only, each a valid falcosidekick payload, over
  // mutual TLS with the output's client certificate.
  await waitFor('the http output', () =>
    receiver.requests.length >= deleted.length ? true : undefined,
  );
  for (const r of receiver.requests) {
    assert.equal(r.error, undefined, `falcosidekick would refuse: ${r.error}`);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/alerts');
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.equal(r.clientCn, 'kaudit-client');
  }
  assert.deepEqual(receiver.requests.map((r) => idOf(r.payload ?? {})).sort(), deleted);
  // Each body is the file's alert for that event, field for field.
  for (const r of receiver.requests) {
    const body = JSON.parse(r.body) as Record<string, unknown>;
    const same = fileAlerts.find((a) => a.rule === body.rule && idOf(a) === idOf(body));
    assert.deepEqual(body, same);
  }
  // The program takes the rules matching Every*; its stdin is Falco's JSON lines.
  const programAlerts = await waitFor('the program output', () => {
    const lines = readFileSync(programFile, { encoding: 'utf8', flag: 'a+' })
      .split('\n')
      .filter((l) => l !== '');
    return lines.length >= all.length
      ? lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      : undefined;
  });
  assert.ok(programAlerts.every((a) => a.rule === 'Every event'));
  assert.deepEqual(programAlerts.map(idOf).sort(), all);
  assert.equal(await s.stop(), 0, s.stderr());
  // Nothing more arrived after the counts were reached: each alert went out once.
  assert.equal(receiver.requests.length, deleted.length);
  assert.equal(readAlerts(file).length, all.length + deleted.length);
});
