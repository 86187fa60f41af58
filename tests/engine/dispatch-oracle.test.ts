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

function agree(sources: RulesSource[], records: readonly AuditRecord[], minFired = 50): void {
  const result = loadRules(sources);
  assert.ok(result.ok, JSON.stringify(result.errors.map((e) => e.message)));
  const rules = result.rules.filter((r) => r.enabled && r.source === 'k8s_audit');
  const engine = createEngine({ rules, ruleMatching: 'all', hostname: 'h' });
  const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };
  let fired = 0;
  for (const rec of records) {
    const got = engine.process(rec).map((a) => a.rule);
    // Correlated and suppressed rules alert through the correlator, not per event.
    const want = rules
      .filter((r) => r.correlation === undefined && r.suppress === undefined)
      .filter((r) => interpretCondition(r.condition, rec, env))
      .map((r) => r.name);
    assert.deepEqual(got, want, `event ${rec.num}`);
    fired += got.length;
  }
  // The corpus must exercise the rules, or agreement would be vacuous.
  assert.ok(fired > minFired, `only ${fired} alerts`);
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

/** Rules on `verbs` distinct verbs, unconstrained ones between them, as Falco YAML. */
function verbRules(verbs: number): RulesSource {
  const rules: string[] = [];
  for (let i = 0; i < verbs; i++) {
    rules.push(`- rule: verb ${i}
  desc: d
  condition: ka.verb in (v${i}, v${(i + 1) % verbs}) and ka.user.name != nobody
  output: o
  priority: INFO
  source: k8s_audit`);
    if (i % 4 === 0) {
      rules.push(`- rule: any verb ${i}
  desc: d
  condition: ka.user.name = u${i % 3}
  output: o
  priority: INFO
  source: k8s_audit`);
    }
  }
  return { name: `verbs-${verbs}.yaml`, content: rules.join('\n') };
}

function verbEvents(verbs: number): AuditRecord[] {
  const decoder = createDecoder();
  const out: AuditRecord[] = [];
  for (let i = 0; i < verbs + 3; i++) {
    const verb = i < verbs ? `v${i}` : i === verbs ? 'other' : undefined;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `id-${i}`,
      stage: 'ResponseComplete',
      requestURI: '/api',
      user: { username: `u${i % 3}` },
      stageTimestamp: '2026-01-01T00:00:00Z',
      requestReceivedTimestamp: '2026-01-01T00:00:00Z',
    };
    if (verb !== undefined) event.verb = verb;
    if (i === verbs + 2) event.verb = 7;
    out.push(...decoder.decodeLine(JSON.stringify(event), 'verbs', i + 1));
  }
  return out;
}

test('the verb guards agree with the interpreter, with few verbs and with more than 30', () => {
  for (const n of [5, 30, 31, 40]) agree([verbRules(n)], verbEvents(n), 2 * n);
});
