// `kaudit scan -o key=value`: falco.yaml's keys in Falco's syntax. json_output and the
// json_include_* properties shape every output's JSON alerts (stdout, a file), the output
// sections open outputs, kaudit's own flags win, and a bad -o is a usage error.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { anyDeleteRule, runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-scan-o-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(rules, anyDeleteRule('id=%ka.auditid', '  tags: [k8s]\n'));
const log = join(dir, 'audit.log');
writeFileSync(log, `${JSON.stringify(auditEvent({ verb: 'delete', auditID: 'o-1' }))}\n`);

function scan(...args: string[]) {
  const r = runKaudit(['scan', '-r', rules, ...args, log]);
  return { ...r, alerts: r.stdout.split('\n').filter((l) => l !== '') };
}

test('scan -o json_output=true writes Falco JSON, with the default properties', () => {
  const r = scan('-o', 'json_output=true');
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.alerts[0] as string);
  assert.deepEqual(Object.keys(a), [
    'hostname',
    'output',
    'output_fields',
    'priority',
    'rule',
    'source',
    'tags',
    'time',
  ]);
  // Falco's spelling of false works too.
  assert.match(
    scan('-o', 'json_output=False').alerts[0] as string,
    /^\d\d:\d\d:\d\d\.\d{9}: Warning id=o-1$/,
  );
});

test('scan -o json_include_*_property chooses the properties of the JSON alert', () => {
  const r = scan(
    '-o',
    'json_output=true',
    '-o',
    'json_include_output_property=false',
    '-o',
    'json_include_tags_property=false',
    '-o',
    'json_include_message_property=true',
    '-o',
    'json_include_output_fields_property=false',
  );
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.alerts[0] as string);
  assert.deepEqual(Object.keys(a), ['hostname', 'message', 'priority', 'rule', 'source', 'time']);
  assert.equal(a.message, 'id=o-1');
});

test('scan -o file_output.* opens a file output whose alerts follow json_include_*', () => {
  const file = join(dir, 'alerts.json');
  const r = scan(
    '-o',
    'file_output.enabled=true',
    '-o',
    `file_output.filename=${file}`,
    '-o',
    'json_include_tags_property=false',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'the sections name the outputs: no stdout_output, no stdout');
  const a = JSON.parse(readFileSync(file, 'utf8').trim());
  assert.equal(a.rule, 'Any Delete');
  assert.equal('tags' in a, false);
  assert.ok('output_fields' in a);
});

test("scan's own flags win over -o, and a bad -o is a usage error", () => {
  const r = scan('--format', 'text', '-o', 'json_output=true');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d\d:\d\d:\d\d\.\d{9}: Warning id=o-1\n$/);
  // priority=critical disables the Warning rule, as falco.yaml's priority does...
  assert.equal(scan('-o', 'priority=critical').alerts.length, 0);
  // ...unless --min-priority says otherwise.
  assert.equal(scan('-o', 'priority=critical', '--min-priority', 'warning').alerts.length, 1);
  const bad = scan('-o', 'json_output');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /-o json_output: expected key=value/);
  const badValue = scan('-o', 'rule_matching=sometimes');
  assert.equal(badValue.code, 2);
  assert.match(badValue.stderr, /rule_matching=sometimes: expected first or all/);
});
