import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import type { AuditRecord, EventSource } from '../../src/events/record.ts';
import { loadRules } from '../../src/rules/index.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

/**
 * Every rule of rules/kaudit-rules.yaml has a data file in tests/fixtures/default-rules/
 * with events that must fire it (positive) and near misses that must not (negative).
 */
const RULES_PATH = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
const DATA_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'default-rules');

interface RuleCases {
  readonly file: string;
  readonly rule: string;
  /** The events' source: audit events by default, AdmissionReviews for k8s_admission rules. */
  readonly source?: EventSource;
  readonly positive: readonly Record<string, unknown>[];
  readonly negative: readonly Record<string, unknown>[];
}

function readCases(): RuleCases[] {
  return readdirSync(DATA_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as Omit<
        RuleCases,
        'file'
      >;
      return { file, ...data };
    });
}

function toRecord(event: Record<string, unknown>, num: number, source: EventSource): AuditRecord {
  return { obj: event, source, timeNs: '0', num };
}

const result = loadRules([{ name: RULES_PATH, content: readFileSync(RULES_PATH, 'utf8') }]);
const engine = createEngine({ rules: result.rules, ruleMatching: 'all' });
const cases = readCases();
const ADMISSION = ' (admission)';

function firedRules(c: RuleCases, event: Record<string, unknown>, num: number): string[] {
  return engine.process(toRecord(event, num, c.source ?? 'k8s_audit')).map((a) => a.rule);
}

describe('default ruleset', () => {
  test('loadRules() loads rules/kaudit-rules.yaml with no errors or warnings', () => {
    assert.deepEqual(
      result.errors.map((m) => m.code),
      [],
    );
    assert.deepEqual(
      result.warnings.map((m) => `${m.code} ${m.locations.at(-1)?.itemName ?? ''}`),
      [],
    );
    assert.equal(result.ok, true);
    assert.equal(result.skippedRules.length, 0);
  });

  test('every default rule is a k8s_audit rule with tags and an output', () => {
    for (const rule of result.rules.filter((r) => !r.name.endsWith(ADMISSION))) {
      assert.equal(rule.source, 'k8s_audit', rule.name);
      assert.ok(rule.tags.includes('k8s'), `${rule.name} lacks the k8s tag`);
      assert.match(rule.output, /%ka\.user\.name/, `${rule.name} output names no user`);
    }
  });

  test('every (admission) rule is the k8s_admission variant of a k8s_audit rule, with its tags', () => {
    const byName = new Map(result.rules.map((r) => [r.name, r]));
    const variants = result.rules.filter((r) => r.name.endsWith(ADMISSION));
    assert.ok(variants.length >= 6);
    for (const rule of variants) {
      assert.equal(rule.source, 'k8s_admission', rule.name);
      const audit = byName.get(rule.name.slice(0, -ADMISSION.length));
      assert.ok(audit, `${rule.name} has no k8s_audit rule of the same name`);
      assert.deepEqual(rule.tags, audit.tags, rule.name);
      assert.match(rule.output, /%kar\.user\.name/, `${rule.name} output names no user`);
    }
    assert.deepEqual(
      result.rules.filter((r) => r.source === 'k8s_admission' && !variants.includes(r)),
      [],
    );
  });

  test('activity rules are Informational and tagged k8s_activity', () => {
    const activity = result.rules.filter((r) => r.tags.includes('k8s_activity'));
    assert.equal(activity.length, 20);
    for (const rule of activity) assert.equal(rule.priority, 'Informational', rule.name);
  });

  test('every rule has a data file, and every data file names a rule', () => {
    // Correlated rules judge sequences of events: correlation-rules.test.ts has theirs.
    const ruleNames = new Set(
      result.rules.filter((r) => r.correlation === undefined).map((r) => r.name),
    );
    const covered = new Set(cases.map((c) => c.rule));
    assert.deepEqual(
      [...ruleNames].filter((n) => !covered.has(n)),
      [],
      'rules without tests/fixtures/default-rules/<slug>.json',
    );
    assert.deepEqual(
      cases.filter((c) => !ruleNames.has(c.rule)).map((c) => c.file),
      [],
      'data files naming no rule',
    );
  });

  for (const c of cases) {
    describe(c.rule, () => {
      test(`${c.file} has at least one positive and one negative event`, () => {
        assert.ok(c.positive.length > 0);
        assert.ok(c.negative.length > 0);
      });
      c.positive.forEach((event, i) => {
        test(`positive #${i + 1} fires "${c.rule}"`, () => {
          assert.ok(firedRules(c, event, i + 1).includes(c.rule), JSON.stringify(event));
        });
      });
      c.negative.forEach((event, i) => {
        test(`negative #${i + 1} does not fire "${c.rule}"`, () => {
          assert.ok(!firedRules(c, event, i + 1).includes(c.rule), JSON.stringify(event));
        });
      });
    });
  }
});
