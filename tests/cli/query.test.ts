import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-query-'));
const events = [
  auditEvent({
    verb: 'delete',
    user: { username: 'mallory' },
    objectRef: { resource: 'namespaces', name: 'prod' },
  }),
  auditEvent({ verb: 'get', user: { username: 'bob' }, responseStatus: { code: 403 } }),
  auditEvent({ verb: 'list', user: { username: 'bob' }, responseStatus: { code: 403 } }),
  auditEvent({ verb: 'get', user: { username: 'carol' }, responseStatus: { code: 403 } }),
  auditEvent({
    verb: 'create',
    stage: 'ResponseStarted',
    user: { username: 'dave' },
    requestURI: '/api/v1/namespaces/default/pods/web/exec?command=sh&container=web&stdin=true',
    objectRef: { resource: 'pods', namespace: 'default', name: 'web', subresource: 'exec' },
    responseStatus: { code: 101 },
  }),
  auditEvent({ user: { username: '=HYPERLINK("http://x")' }, verb: 'patch' }),
];
const log = join(dir, 'audit.log');
writeFileSync(log, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);

test('kaudit query prints matching events as JSON lines by default', () => {
  const r = runKaudit(['query', 'ka.verb=delete and ka.target.resource=namespaces', log]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { user: { username: string } });
  assert.deepEqual(
    out.map((e) => e.user.username),
    ['mallory'],
  );
});

test('kaudit query -o renders an output template per match', () => {
  const r = runKaudit([
    'query',
    'ka.target.subresource in (exec, attach)',
    log,
    '-o',
    '%ka.user.name %ka.uri.param[command] %ka.target.name',
  ]);
  assert.equal(r.stdout, 'dave sh web\n');
});

test('kaudit query --count-by sorts groups by count and honours --limit', () => {
  const r = runKaudit(['query', 'ka.response.code=403', log, '--count-by', 'ka.user.name']);
  assert.deepEqual(
    r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s+/)),
    [
      ['count', 'ka.user.name'],
      ['2', 'bob'],
      ['1', 'carol'],
    ],
  );
  const top = runKaudit([
    'query',
    'ka.response.code=403',
    log,
    '--count-by',
    'ka.user.name,ka.verb',
    '--limit',
    '1',
    '--format',
    'json',
  ]);
  assert.deepEqual(
    top.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l)),
    [{ count: 1, 'ka.user.name': 'bob', 'ka.verb': 'get' }],
  );
});

test('kaudit query --count and --limit', () => {
  assert.equal(runKaudit(['query', 'ka.response.code=403', log, '--count']).stdout, '3\n');
  assert.equal(
    runKaudit(['query', 'ka.response.code=403', log, '--limit', '2']).stdout.trimEnd().split('\n')
      .length,
    2,
  );
});

test('kaudit query --format csv neutralises formula cells; table escapes control characters', () => {
  const csv = runKaudit([
    'query',
    'ka.verb=patch',
    log,
    '--format',
    'csv',
    '--fields',
    'ka.user.name,ka.verb',
  ]);
  assert.equal(csv.stdout, 'ka.user.name,ka.verb\n"\'=HYPERLINK(""http://x"")",patch\n');
  const table = runKaudit([
    'query',
    'ka.verb=patch',
    log,
    '--format',
    'table',
    '--fields',
    'ka.user.name,ka.verb',
  ]);
  assert.match(table.stdout, /^ka\.user\.name\s+ka\.verb\n=HYPERLINK\("http:\/\/x"\)\s+patch\n$/);
});

test('kaudit query with a macro from -r rules', () => {
  const rules = join(dir, 'macros.yaml');
  writeFileSync(
    rules,
    '- list: bad_users\n  items: [mallory, dave]\n- macro: by_bad_user\n  condition: ka.user.name in (bad_users)\n',
  );
  const r = runKaudit(['query', '-r', rules, 'by_bad_user', log, '-o', '%ka.user.name']);
  assert.equal(r.stdout, 'mallory\ndave\n');
});

test('kaudit query: an invalid condition is a usage error with a caret', () => {
  const r = runKaudit(['query', 'ka.verb = create and ka.user.nam = bob', log]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown field/);
  assert.match(r.stderr, /ka\.user\.name/);
  assert.match(r.stderr, /\^/);
});

test("kaudit query can use the built-in ruleset's macros and lists by name", () => {
  const withMacro = runKaudit([
    'query',
    'kaudit_final_stage and ka.verb=delete',
    log,
    '-o',
    '%ka.user.name',
  ]);
  assert.equal(withMacro.code, 0, withMacro.stderr);
  assert.equal(withMacro.stdout, 'mallory\n');
  // A list name in a value position is substituted, not taken literally.
  const admin = join(dir, 'admin.log');
  writeFileSync(
    admin,
    `${JSON.stringify(auditEvent({ user: { username: 'kubernetes-admin' } }))}\n`,
  );
  const withList = runKaudit(['query', 'ka.user.name in (kaudit_allowed_users)', admin, '--count']);
  assert.equal(withList.code, 0, withList.stderr);
  assert.equal(withList.stdout, '1\n');
});
