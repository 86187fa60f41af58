import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RuleRequirements } from '../../src/engine/requirements.ts';
import { type CoverageInput, checkCoverage } from '../../src/policy/coverage.ts';
import { generatePolicy, PROFILES } from '../../src/policy/generate.ts';
import { lintPolicy } from '../../src/policy/lint.ts';
import { readPolicy } from '../../src/policy/read.ts';
import { renderPolicyYaml } from '../../src/policy/render-policy.ts';
import { toCoverageInputs } from '../../src/policy/rules-input.ts';
import { loadRules } from '../../src/rules/index.ts';
import { HAS_SHARED, REPO_ROOT, sharedFixture } from '../helpers/shared.ts';

const req = (r: Partial<RuleRequirements> & Pick<RuleRequirements, 'needs'>): RuleRequirements => ({
  fields: [],
  ...r,
});
const SYNTHETIC: CoverageInput[] = [
  {
    name: 'pod image',
    requirements: req({
      verbs: new Set(['create', 'update']),
      resources: new Set(['pods']),
      needs: 'request',
    }),
  },
  {
    name: 'exec',
    requirements: req({
      verbs: new Set(['create']),
      resources: new Set(['pods']),
      subresources: new Set(['exec']),
      needs: 'response',
    }),
  },
  {
    name: 'cm creds',
    requirements: req({
      verbs: new Set(['create', 'update']),
      resources: new Set(['configmaps']),
      needs: 'request',
    }),
  },
  {
    name: 'events',
    requirements: req({
      verbs: new Set(['create']),
      resources: new Set(['events']),
      needs: 'request',
    }),
  },
  {
    name: 'secret read',
    requirements: req({
      verbs: new Set(['get', 'list']),
      resources: new Set(['secrets']),
      needs: 'metadata',
    }),
  },
  { name: 'any delete', requirements: req({ verbs: new Set(['delete']), needs: 'metadata' }) },
];

function assertGoodPolicy(inputs: readonly CoverageInput[]): void {
  for (const profile of PROFILES) {
    const text = renderPolicyYaml(generatePolicy(profile, inputs));
    const r = readPolicy(text, `${profile}.yaml`);
    assert.ok(r.ok && r.policy, `${profile}: ${JSON.stringify(r.errors)}`);
    assert.deepEqual(r.warnings, [], profile);
    const findings = lintPolicy({ policy: r.policy, positions: r.positions, file: profile }).filter(
      (f) => f.severity !== 'info',
    );
    assert.deepEqual(findings, [], `${profile} lints clean`);
    const starved = checkCoverage(r.policy, inputs).filter((c) => !c.covered);
    assert.deepEqual(starved, [], `${profile} covers every rule`);
  }
}

test('generatePolicy() output validates, lints clean and covers the rules it was given, for every profile', () => {
  assertGoodPolicy(SYNTHETIC);
});

test('generatePolicy() keeps secrets at Metadata and drops the events noise rule when a rule reads events', () => {
  const policy = generatePolicy('minimal', SYNTHETIC).policy;
  assert.ok(
    !policy.rules.some(
      (r) => r.level === 'None' && r.resources?.some((e) => e.resources?.includes('events')),
    ),
  );
  const withoutEvents = generatePolicy('minimal', []).policy;
  assert.ok(
    withoutEvents.rules.some(
      (r) => r.level === 'None' && r.resources?.some((e) => e.resources?.includes('events')),
    ),
  );
  assert.deepEqual(policy.omitStages, ['RequestReceived']);
});

/** The coverage inputs of a rules file; a file that does not load fails the test. */
function loadInputs(path: string): CoverageInput[] {
  const result = loadRules([{ name: path, content: readFileSync(path, 'utf8') }]);
  assert.ok(result.ok, `${path} does not load: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return toCoverageInputs(result.rules);
}

describe('generatePolicy() against real rulesets', () => {
  const defaultRules = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
  for (const [label, path, present] of [
    ['the default ruleset', defaultRules, existsSync(defaultRules)],
    [
      "Falco's k8s_audit_rules.yaml",
      HAS_SHARED ? sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml') : '',
      HAS_SHARED,
    ],
  ] as const) {
    test(`generatePolicy() covers ${label}`, {
      skip: present ? false : `${label} not present`,
    }, () => {
      const inputs = loadInputs(path);
      assert.ok(inputs.length > 0);
      assertGoodPolicy(inputs);
    });
  }
});
