import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createEngine } from '../../src/engine/index.ts';
import { formatAlertJson, formatAlertText } from '../../src/outputs/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { auditEvent, recordOf } from '../helpers/events.ts';

// Issue #11: a crafted request URI must not forge an alert line or recolour a terminal.
// Text alerts escape control characters in the values of event fields, never in the
// rule's own text; JSON alerts keep the true values (JSON.stringify makes them safe).

// The rule's output holds a tab and a bullet of its own: those stay as written.
const rules = loadRules([
  {
    name: 'r.yaml',
    content:
      '- rule: Any Delete\n  desc: d\n  condition: ka.verb = delete\n  output: "uri=%ka.uri\\tuser=%ka.user.name \\u2022 groups=%ka.user.groups"\n  priority: WARNING\n  source: k8s_audit\n',
  },
]).rules;
const engine = createEngine({ rules, hostname: 'h' });

function alertFor(uri: string, user = 'alice', groups = ['a\nb']) {
  const ev = auditEvent({ verb: 'delete', requestURI: uri, user: { username: user, groups } });
  const [a] = engine.process(recordOf(ev));
  assert.ok(a);
  return a;
}

const FORGED = '/api\n00:00:00.000000000: Critical forged alert\u001b[31m\u009b2J\u2028\u202e';

test('formatAlertText() escapes control characters of field values, not the rule text', () => {
  const line = formatAlertText(alertFor(FORGED, 'eve\r'));
  assert.equal(line.split('\n').length, 1);
  assert.doesNotMatch(line, /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  assert.match(
    line,
    /uri=\/api\\n00:00:00\.000000000: Critical forged alert\\u001b\[31m\\u009b2J\\u2028\\u202e\tuser=eve\\r \u2022 groups=\(a\\nb\)$/,
  );
});

test('formatAlertText() with rawFields prints the values as they are (Falco before 0.44)', () => {
  const line = formatAlertText(alertFor(FORGED), { rawFields: true });
  assert.ok(line.includes(FORGED));
});

test('formatAlertText() leaves a message without control characters untouched', () => {
  const a = alertFor('/api/v1/pods?watch=true\\u003c', 'bob', ['dev']);
  assert.ok(formatAlertText(a).endsWith(a.message));
});

test('formatAlertJson() keeps the true values and is one line that parses back to them', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      const a = alertFor(`/x${s}`);
      const line = formatAlertJson(a);
      assert.doesNotMatch(line, /[\u0000-\u001f\u2028\u2029]/);
      const back = JSON.parse(line) as { output: string; output_fields: Record<string, string> };
      assert.equal(back.output_fields['ka.uri'], `/x${s}`);
      assert.ok(back.output.includes(`uri=/x${s}`));
    }),
    { numRuns: 200, seed: 5 },
  );
});
