import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/index.ts';
import { createDecoder } from '../../../src/events/index.ts';
import { createDetector } from '../../../src/pipeline/index.ts';
import { loadRules } from '../../../src/rules/index.ts';
import { auditEvent } from '../../helpers/events.ts';

// The raw-line prefilter skips lines no rule can match, unparsed. The correlator's clock
// is event time: a skipped line must not hide that time moved, or a match waits in the
// reorder buffer (and a suppression window stays open) until the next line a rule can
// match, which in `kaudit serve` may be never. The detector parses the first line of each
// newer second all the same, and keeps skipping the others.

const RULES = `
- rule: Burst
  desc: forbidden requests by one user
  correlate:
    type: threshold
    count: 2
    within: 1m
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: burst by %ka.user.name n=%correlation.count
  priority: WARNING
  source: k8s_audit
`;

const BASE_MS = Date.UTC(2026, 10, 2, 10, 0, 0);

function line(sec: number, code: number, us = 0): string {
  const stamp = `${new Date(BASE_MS + sec * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`;
  return JSON.stringify(
    auditEvent({
      verb: 'get',
      user: { username: code === 403 ? 'mallory' : 'bob', groups: [] },
      objectRef: { resource: 'pods', namespace: 'shop', name: 'web', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code },
      requestObject: undefined,
      stageTimestamp: stamp,
      requestReceivedTimestamp: stamp,
    }),
  );
}

test('lines the prefilter skips still move the correlation clock; the rest of a second stays skipped', () => {
  const loaded = loadRules([{ name: 'corr.yaml', content: RULES }]);
  assert.equal(loaded.ok, true, JSON.stringify(loaded.errors));
  const d = createDetector(loaded.rules, {
    ruleMatching: 'first',
    hostname: 'h',
    fastpath: true,
    correlation: { toleranceMs: 5_000 },
  });
  assert.ok(d.skipLine, 'the rule set is prefilterable');
  const decoder = createDecoder();
  // Two refusals, then only lines no rule matches: 200s, five in each later second.
  const lines = [line(0, 403), line(1, 403)];
  for (let sec = 2; sec <= 10; sec++) for (let i = 0; i < 5; i++) lines.push(line(sec, 200, i));
  const fired: { alert: Alert; afterLine: number }[] = [];
  let parsed = 0;
  lines.forEach((l, i) => {
    if (d.skipLine?.(l)) return;
    parsed++;
    for (const rec of decoder.decodeLine(l, 'f', i + 1)) {
      for (const alert of d.process(rec)) fired.push({ alert, afterLine: i + 1 });
    }
  });
  // Event time reaches 6 s (1 s + the 5 s tolerance) at the first line of second 6.
  assert.deepEqual(
    fired.map((f) => [f.alert.message, f.afterLine]),
    [['burst by mallory n=2', 2 + 4 * 5 + 1]],
  );
  assert.deepEqual(d.finish(), []);
  assert.equal(parsed, 2 + 9, 'one line per newer second is parsed, the other 36 are skipped');

  // A parallel scan's thread starts each chunk afresh: its first line is parsed again.
  d.resetClock();
  assert.equal(d.skipLine?.(line(3, 200, 7)), false);
  assert.equal(d.skipLine?.(line(3, 200, 8)), true);
});
