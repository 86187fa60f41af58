import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateEvents } from '../../bench/generate.ts';
import { createEngine, explainRule } from '../../src/engine/index.ts';
import { type AuditRecord, createDecoder } from '../../src/events/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import type { ExplainedNode } from '../../src/lang/index.ts';
import { type LoadedRule, loadRules } from '../../src/rules/index.ts';
import { REPO_ROOT, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

/**
 * The property behind `--explain` and `rules explain --event`: for every rule and event,
 * the explanation's verdict is the engine's (the compiled dispatch), and the tree is
 * consistent with itself (each and/or/not's value follows from its parts', evaluation
 * stops where the engine's would).
 */

function loadFile(path: string): LoadedRule[] {
  const r = loadRules([{ name: path, content: readFileSync(path, 'utf8') }]);
  assert.equal(r.ok, true, JSON.stringify(r.errors.slice(0, 2)));
  // Disabled rules are explained too (`rules explain` on a disabled rule): enable them all.
  return r.rules.map((x) => ({ ...x, enabled: true }));
}

function readTraces(): AuditRecord[] {
  const dir = sharedFixture('falco', 'traces');
  const decoder = createDecoder();
  const out: AuditRecord[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (l.trim() !== '') out.push(...decoder.decodeLine(l, name, i + 1));
    });
  }
  return out;
}

function generated(n: number): AuditRecord[] {
  const decoder = createDecoder();
  const out: AuditRecord[] = [];
  let i = 0;
  for (const line of generateEvents({ mix: 'busy', events: n, seed: 7, attackShare: 0.2 })) {
    out.push(...decoder.decodeLine(line, 'busy', ++i));
  }
  return out;
}

/** Problems in a tree: a part whose value does not follow from its children's. */
function inconsistencies(n: ExplainedNode, path = 'root'): string[] {
  const kids = n.children ?? [];
  const out = kids.flatMap((c, i) => inconsistencies(c, `${path}/${i}`));
  if (n.result === 'not_evaluated') {
    if (kids.some((c) => c.result !== 'not_evaluated'))
      out.push(`${path}: evaluated under a skipped part`);
    return out;
  }
  if (n.kind === 'not') {
    const want = kids[0]?.result === 'true' ? 'false' : 'true';
    if (n.result !== want) out.push(`${path}: not of ${kids[0]?.result} is ${n.result}`);
  }
  if (n.kind === 'and' || n.kind === 'or') {
    const stop = n.kind === 'and' ? 'false' : 'true';
    const at = kids.findIndex((c) => c.result === stop);
    const want = at >= 0 ? stop : stop === 'true' ? 'false' : 'true';
    if (n.result !== want) out.push(`${path}: ${n.kind} is ${n.result}, its parts say ${want}`);
    kids.forEach((c, i) => {
      const skipped = at >= 0 && i > at;
      if (skipped !== (c.result === 'not_evaluated'))
        out.push(`${path}/${i}: evaluated ${!skipped}?`);
    });
  }
  return out;
}

function checkAgreement(rules: readonly LoadedRule[], records: readonly AuditRecord[]): number {
  const engine = createEngine({ rules, ruleMatching: 'all', registry: defaultFieldRegistry });
  let matches = 0;
  for (const rec of records) {
    const fired = new Set(engine.process(rec).map((a) => a.rule));
    for (const rule of rules) {
      const ex = explainRule(rule, rec, defaultFieldRegistry);
      const where = `${rule.name} on ${rec.origin}:${rec.line}`;
      assert.equal(ex.matched, fired.has(rule.name), where);
      assert.equal(ex.condition.result, ex.matched ? 'true' : 'false', where);
      assert.deepEqual(inconsistencies(ex.condition), [], where);
      // A verdict always names the checks that decided it, each evaluated.
      assert.ok(ex.deciding.length > 0, where);
      for (const d of ex.deciding) assert.notEqual(d.result, 'not_evaluated', where);
      if (ex.matched) matches++;
    }
  }
  return matches;
}

describe("explanations agree with the engine's verdict", () => {
  test("every rule of Falco's k8s_audit_rules.yaml on the regression traces", {
    skip: SHARED_SKIP,
  }, () => {
    const rules = loadFile(sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'));
    const records = readTraces();
    assert.ok(records.length >= 40, `${records.length} trace events`);
    const matches = checkAgreement(rules, records);
    // The traces are Falco's positives: the property is not vacuous.
    assert.ok(matches >= 40, `${matches} matches`);
  });

  test("every rule of Falco's k8s_audit_rules.yaml on generated busy traffic with attacks", {
    skip: SHARED_SKIP,
  }, () => {
    const rules = loadFile(sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'));
    assert.ok(checkAgreement(rules, generated(1500)) > 100);
  });

  test('every default rule on generated busy traffic with attacks', () => {
    const rules = loadFile(join(REPO_ROOT, 'rules', 'kaudit-rules.yaml'));
    assert.ok(checkAgreement(rules, generated(1500)) > 50);
  });
});
