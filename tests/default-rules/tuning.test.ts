import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

/** The override points rules/README.md documents, loaded after the default file. */
const RULES_PATH = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
const DATA_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'default-rules');
const DEFAULT = { name: RULES_PATH, content: readFileSync(RULES_PATH, 'utf8') };

interface RuleCases {
  readonly rule: string;
  readonly positive: readonly Record<string, unknown>[];
}

function positives(slug: string): RuleCases {
  return JSON.parse(readFileSync(join(DATA_DIR, `${slug}.json`), 'utf8')) as RuleCases;
}

function fires(local: string, event: Record<string, unknown>): string[] {
  const result = loadRules([DEFAULT, { name: 'local.yaml', content: local }]);
  assert.deepEqual(
    result.errors.map((m) => m.code),
    [],
  );
  assert.deepEqual(
    result.warnings.map((m) => m.code),
    [],
  );
  const engine = createEngine({ rules: result.rules, ruleMatching: 'all' });
  return engine
    .process({ obj: event, source: 'k8s_audit', timeNs: '0', num: 1 })
    .map((a) => a.rule);
}

describe('default ruleset tuning', () => {
  test('appending to kaudit_trusted_images silences Pod With Untrusted Image', () => {
    const { rule, positive } = positives('pod-with-untrusted-image');
    const event = positive[0]!;
    assert.ok(fires('[]', event).includes(rule));
    const local = `
- list: kaudit_trusted_images
  items: [docker.io/library/nginx]
  override:
    items: append
`;
    assert.ok(!fires(local, event).includes(rule));
  });

  test('appending to kaudit_allowed_users silences Request by Unlisted User', () => {
    const { rule, positive } = positives('request-by-unlisted-user');
    const local = `
- list: kaudit_allowed_users
  items: [jane@example.com]
  override:
    items: append
`;
    assert.ok(!fires(local, positive[0]!).includes(rule));
  });

  test('replacing kaudit_credential_kinds without high-entropy silences only that kind', () => {
    const { rule, positive } = positives('configmap-with-credentials');
    const entropyOnly = positive.find((e) => JSON.stringify(e).includes('SESSION_SALT'));
    const github = positive.find((e) => JSON.stringify(e).includes('GITHUB_TOKEN'));
    assert.ok(entropyOnly && github);
    assert.ok(fires('[]', entropyOnly).includes(rule));
    const local = `
- list: kaudit_credential_kinds
  items: [github-token, password]
  override:
    items: replace
`;
    assert.ok(!fires(local, entropyOnly).includes(rule));
    assert.ok(fires(local, github).includes(rule));
  });

  test('replacing kaudit_report_activity with kaudit_never switches the activity trail off', () => {
    const { rule, positive } = positives('secret-created');
    const event = positive[0]!;
    assert.ok(fires('[]', event).includes(rule));
    const local = `
- macro: kaudit_report_activity
  condition: (kaudit_never)
  override:
    condition: replace
`;
    assert.ok(!fires(local, event).includes(rule));
  });

  test('replacing kaudit_known_exec_activity silences Shell Into Pod for that case', () => {
    const { rule, positive } = positives('shell-into-pod');
    const local = `
- macro: kaudit_known_exec_activity
  condition: (ka.user.name = kubernetes-admin and ka.target.namespace = payments)
  override:
    condition: replace
`;
    for (const event of positive) assert.ok(!fires(local, event).includes(rule));
  });

  test('appending exception values silences Secret Read by Unexpected User for them', () => {
    const { rule, positive } = positives('secret-read-by-unexpected-user');
    const local = `
- rule: Secret Read by Unexpected User
  exceptions:
    - name: node_agents
      values:
        - ["system:serviceaccount:monitoring:"]
  override:
    exceptions: append
`;
    const verdicts = positive.map((e) => fires(local, e).includes(rule));
    // Only the first positive is the monitoring service account.
    assert.deepEqual(verdicts, [false, true, true]);
  });
});
