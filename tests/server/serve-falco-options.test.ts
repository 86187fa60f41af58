// A real `kaudit serve` with falco.yaml's json_include_* keys in its config file (Falco's
// spelling) and `-o` overrides on the command line: the file output's JSON alerts carry
// exactly the properties asked for, and -o replaces the file's keys.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
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

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

test('serve applies json_include_* from its config file and -o overrides to its JSON alerts', async () => {
  const dir = tempDir();
  const rules = writeRules(dir, EVERY_EVENT_RULE);
  const alerts = join(dir, 'alerts.json');
  const config = join(dir, 'kaudit.yaml');
  writeFileSync(
    config,
    [
      'json_include_tags_property: false',
      'json_include_message_property: true',
      'json_include_output_property: true',
      'outputs:',
      '  - stdout',
      '',
    ].join('\n'),
  );
  const s = await startServe([
    '--config',
    config,
    '-r',
    rules,
    // -o replaces the file's value of a key, and appends to its list.
    '-o',
    'json_include_output_property=false',
    '-o',
    `outputs[]=file:${alerts}`,
  ]);
  running.push(s);
  const r = await postAudit(s.port, eventList([auditEvent({ auditID: 'falco-o-1' })]));
  assert.equal(r.status, 200, r.text);
  const [a] = await waitFor('the alert in the file', () => {
    const got = readAlerts(alerts);
    return got.length > 0 ? got : undefined;
  });
  assert.deepEqual(Object.keys(a as object), [
    'hostname',
    'message',
    'output_fields',
    'priority',
    'rule',
    'source',
    'time',
  ]);
  assert.match(String(a?.message), /^seen id=falco-o-1 /);
  // The file's stdout output is kept (text alerts there): -o appended, not replaced.
  await waitFor('the stdout alert', () =>
    s.stdout().includes('seen id=falco-o-1') ? true : undefined,
  );
});
