import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-query-formats-'));
const log = join(dir, 'audit.log');
const events = [
  auditEvent({
    verb: 'get',
    sourceIPs: ['10.0.0.1', '192.0.2.7'],
    objectRef: { resource: 'nodes', name: 'n1' },
  }),
  auditEvent({ verb: 'delete', user: { username: 'eve, "the" =admin' } }),
];
writeFileSync(log, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
const FIELDS = 'ka.verb,ka.user.name,ka.sourceips,ka.sourceips[1],ka.target.namespace';

function lines(args: readonly string[]): string[] {
  const r = runKaudit(['query', 'ka.verb exists', log, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

test('--format json with --fields prints one object of those fields per event', () => {
  for (const format of ['json', 'ndjson']) {
    const got = lines(['--format', format, '--fields', FIELDS]).map(
      (l) => JSON.parse(l) as unknown,
    );
    assert.deepEqual(got, [
      {
        'ka.verb': 'get',
        'ka.user.name': 'alice@example.com',
        'ka.sourceips': ['10.0.0.1', '192.0.2.7'],
        'ka.sourceips[1]': '192.0.2.7',
        'ka.target.namespace': null,
      },
      {
        'ka.verb': 'delete',
        'ka.user.name': 'eve, "the" =admin',
        'ka.sourceips': ['10.0.0.12'],
        'ka.sourceips[1]': null,
        'ka.target.namespace': 'default',
      },
    ]);
  }
});

test('--format json and ndjson without --fields print the events', () => {
  for (const format of ['json', 'ndjson']) {
    const got = lines(['--format', format]).map((l) => JSON.parse(l) as { auditID: string });
    assert.deepEqual(
      got.map((e) => e.auditID),
      events.map((e) => e.auditID),
    );
  }
});

test('csv writes a missing value as an empty cell and a list as a JSON array', () => {
  const got = lines(['--format', 'csv', '--fields', FIELDS]);
  assert.deepEqual(got, [
    FIELDS,
    'get,alice@example.com,"[""10.0.0.1"",""192.0.2.7""]",192.0.2.7,',
    'delete,"eve, ""the"" =admin","[""10.0.0.12""]",,default',
  ]);
});
