import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildTimeline,
  formatTimelineTable,
  type TimelineEvent,
} from '../../src/timeline/index.ts';

const MIN = 60_000_000_000n;

function ev(minute: number, over: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    timeNs: 1_772_445_600_000_000_000n + BigInt(minute) * MIN,
    auditId: `id-${minute}`,
    verb: 'get',
    resource: 'pods',
    subresource: '',
    namespace: 'shop',
    name: 'web',
    code: 200,
    sourceIp: '10.0.0.1',
    userAgent: 'kubectl/v1.31',
    decision: 'allow',
    ...over,
  };
}

test('a pause longer than the gap starts a new session', () => {
  const t = buildTimeline([ev(0), ev(5, { verb: 'list' }), ev(16), ev(20, { verb: 'list' })], {
    gapNs: 10n * MIN,
  });
  assert.deepEqual(
    t.sessions.map((s) => s.requests),
    [2, 2],
  );
  assert.equal(t.sessions[1]?.startNs, ev(16).timeNs);
  assert.equal(t.sessions[1]?.endNs, ev(20).timeNs);
});

test('identical requests fold into one line with a count; a marked one never folds', () => {
  const t = buildTimeline([ev(0), ev(1), ev(2), ev(3, { code: 403 }), ev(4)]);
  const lines = t.sessions[0]?.entries ?? [];
  assert.deepEqual(
    lines.map((x) => [x.count, x.marks.map((m) => m.kind)]),
    [
      [3, []],
      [1, ['denied']],
      [1, []],
    ],
  );
  assert.equal(lines[0]?.lastNs, ev(2).timeNs);
});

test('first uses after the first request are marked; both address and agent count as suspicious', () => {
  const t = buildTimeline(
    [
      ev(0),
      ev(1, { namespace: 'kube-system' }),
      ev(2, { sourceIp: '198.51.100.23' }),
      ev(3, { sourceIp: '203.0.113.9', userAgent: 'curl/8', auditId: 'stolen' }),
      ev(4, { sourceIp: '203.0.113.9', userAgent: 'curl/8' }),
    ],
    { alerts: new Map([['stolen', ['Secret Read by Unexpected User']]]) },
  );
  const marks = (t.sessions[0]?.entries ?? []).map((x) =>
    x.marks.map((m) => `${m.kind}=${m.value}`),
  );
  assert.deepEqual(marks, [
    [],
    ['new-namespace=kube-system'],
    ['new-source-ip=198.51.100.23'],
    ['new-source-ip=203.0.113.9', 'new-user-agent=curl/8', 'alert=Secret Read by Unexpected User'],
    [],
  ]);
  assert.equal(t.suspicious, 1);
});

test('the table escapes event text (control characters, bidi overrides)', () => {
  const evil = 'kubectl\u001b[2J\nFAKE LINE\u202e';
  // The first agent is in the session heading, the second in a mark.
  const t = buildTimeline([
    ev(0, { userAgent: evil }),
    ev(1, { userAgent: `${evil}2`, name: 'a\rb' }),
  ]);
  const text = formatTimelineTable('user x', t);
  assert.doesNotMatch(text, /[\u001b\r\u202e]/);
  assert.ok(!text.includes('\nFAKE LINE'));
  assert.match(text, /kubectl\\u001b\[2J\\nFAKE LINE\\u202e/);
  assert.match(text, /, kubectl\\u001b\[2J\\nFAKE LINE\\u202e\n/, 'heading');
});
