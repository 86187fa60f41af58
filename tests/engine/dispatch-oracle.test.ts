// The generated dispatch function must agree with the interpreter (the test oracle) on
// every rule: for each event, the set of rules the engine fires with rule_matching all
// equals the rules whose condition the interpreter finds true.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateEvents } from '../../bench/generate.ts';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import type { AuditRecord } from '../../src/events/record.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { interpretCondition } from '../../src/lang/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import type { RulesSource } from '../../src/rules/types.ts';
import { REPO_ROOT, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

function corpus(): AuditRecord[] {
  const decoder = createDecoder();
  const out: AuditRecord[] = [];
  let n = 0;
  for (const mix of ['busy', 'rr-heavy'] as const) {
    for (const line of generateEvents({ mix, events: 1500, seed: 7, attackShare: 0.2 })) {
      out.push(...decoder.decodeLine(line, mix, ++n));
    }
  }
  return out;
}

function agree(sources: RulesSource[], records: readonly AuditRecord[]): void {
  const result = loadRules(sources);
  assert.ok(result.ok, JSON.stringify(result.errors.map((e) => e.message)));
  const rules = result.rules.filter((r) => r.enabled && r.source === 'k8s_audit');
  const engine = createEngine({ rules, ruleMatching: 'all', hostname: 'h' });
  const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };
  let fired = 0;
  for (const rec of records) {
    const got = engine.process(rec).map((a) => a.rule);
    const want = rules.filter((r) => interpretCondition(r.condition, rec, env)).map((r) => r.name);
    assert.deepEqual(got, want, `event ${rec.num}`);
    fired += got.length;
  }
  // The corpus must exercise the rules, or agreement would be vacuous.
  assert.ok(fired > 50, `only ${fired} alerts`);
}

test("the dispatch agrees with the interpreter on Falco's k8s_audit_rules.yaml", {
  skip: SHARED_SKIP,
}, () => {
  const path = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
  agree([{ name: path, content: readFileSync(path, 'utf8') }], corpus());
});

test('the dispatch agrees with the interpreter on the default ruleset', () => {
  const path = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
  agree([{ name: path, content: readFileSync(path, 'utf8') }], corpus());
});
