import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const LOG = 'examples/audit.log';

interface JsonEntry {
  time: string;
  verb: string;
  resource: string;
  sourceIP: string;
  userAgent: string;
  marks: { kind: string; value: string }[];
}

test('kaudit timeline marks the moment the deployer token is used from a new machine', () => {
  const r = runKaudit(['timeline', '--serviceaccount', 'ci/deployer', LOG, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { suspicious: number; sessions: { entries: JsonEntry[] }[] };
  const entries = doc.sessions.flatMap((s) => s.entries);
  // The story (examples/attack-story.ts): the CI token shows up at 10:38:12 from
  // 198.51.100.23 with another kubectl than CI's.
  const flagged = entries.filter(
    (e) =>
      e.marks.some((m) => m.kind === 'new-source-ip') &&
      e.marks.some((m) => m.kind === 'new-user-agent'),
  );
  assert.equal(doc.suspicious, 1);
  assert.equal(flagged.length, 1);
  assert.equal(flagged[0]?.time, '2026-03-02T10:38:12.003Z');
  assert.equal(flagged[0]?.sourceIP, '198.51.100.23');
  // Before it, CI's own requests carry no new-address mark.
  const before = entries.filter((e) => e.time < '2026-03-02T10:38:12');
  assert.ok(before.length > 0);
  assert.ok(before.every((e) => !e.marks.some((m) => m.kind.startsWith('new-source'))));
  // After it, the rules that fired are on the requests.
  assert.ok(entries.some((e) => e.marks.some((m) => m.value === 'Binding to cluster-admin')));
  assert.equal(doc.sessions.length, 2, 'a pause of 17 minutes splits the sessions');
});

test('README: the timeline shown is what kaudit timeline prints', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const m =
    /```\n\$ kaudit timeline --serviceaccount ci\/deployer examples\/audit\.log\n([\s\S]*?)```/.exec(
      readme,
    );
  assert.ok(m, 'README has the timeline block');
  const r = runKaudit(['timeline', '--serviceaccount', 'ci/deployer', LOG]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, m[1]);
  assert.match(r.stdout, /^!! +10:38:12\.003 +list nodes/m);
});

test('kaudit timeline takes exactly one identity', () => {
  assert.equal(runKaudit(['timeline', LOG]).code, 2);
  assert.equal(runKaudit(['timeline', '--user', 'a', '--ip', '1.2.3.4', LOG]).code, 2);
  assert.equal(runKaudit(['timeline', '--object', 'secrets', LOG]).code, 2);
  const r = runKaudit(['timeline', '--ip', '198.51.100.23', LOG, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  // A user name that is not a condition: quotes and `or` stay text.
  const q = runKaudit(['timeline', '--user', 'x" or ka.verb exists or "', LOG, '--format', 'json']);
  assert.equal(q.code, 0, q.stderr);
  assert.equal((JSON.parse(q.stdout) as { requests: number }).requests, 0);
});
