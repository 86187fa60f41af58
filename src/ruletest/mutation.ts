import { type Alert, createEngine, type Engine } from '../engine/index.ts';
import type { EventSource } from '../events/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import { listMutants, type Mutant, type MutationKind } from '../lang/index.ts';
import type { LoadedRule, LoadResult, Position } from '../rules/index.ts';
import { checkExpectations } from './expectations.ts';
import type { TestFile } from './model.ts';
import { createRulesLoader, type RulesLoader } from './prepare.ts';
import { createEngineCache, type PreparedCase, prepareCase } from './run-tests.ts';

/** One mutant and whether a test noticed it. */
export interface MutantResult {
  readonly rule: string;
  readonly rulePosition: Position;
  readonly kind: MutationKind;
  readonly change: string;
  readonly part: string;
  readonly macros: readonly string[];
  /** The first test that failed with the mutant in place. */
  readonly killedBy?: string;
}

/** The mutation check of one set of rules files against its tests. */
export interface MutationReport {
  readonly rulesFiles: readonly string[];
  readonly mutants: readonly MutantResult[];
  readonly killed: number;
  /** Tests left out: they could not run (errors) or did not pass unmutated. */
  readonly skippedTests: readonly string[];
}

interface Prepared extends PreparedCase {
  readonly baseline: readonly Alert[];
}

/** The case's own copy of a rule, when it is the base rule unchanged (no override touched it). */
function sameRule(p: Prepared, base: LoadedRule): LoadedRule | undefined {
  const r = p.loaded.rules.find((x) => x.name === base.name);
  return r !== undefined && r.compiledCondition === base.compiledCondition ? r : undefined;
}

/** Whether a mutant of `rule` can change what the case checks. */
function concerns(p: Prepared, rule: string): boolean {
  return p.test.ruleMatching === 'first' || p.test.expect.some((e) => e.rule === rule);
}

/** The case's alerts with `mutated` in place of the rule of the same name. */
function mutatedAlerts(p: Prepared, mutated: LoadedRule): Alert[] {
  let engine: Engine;
  if (p.test.ruleMatching === 'all') {
    // Under `all` the other rules fire as before: only the mutated rule is run again.
    engine = createEngine({ rules: [mutated], ruleMatching: 'all' });
    const others = p.baseline.filter((a) => a.rule !== mutated.name);
    return [...others, ...p.records.flatMap((r) => engine.process(r))];
  }
  const rules = p.loaded.rules.map((r) => (r.name === mutated.name ? mutated : r));
  engine = createEngine({ rules, ruleMatching: 'first' });
  return p.records.flatMap((r) => engine.process(r));
}

function runMutant(rule: LoadedRule, m: Mutant, cases: readonly Prepared[]): MutantResult {
  const base = {
    rule: rule.name,
    rulePosition: rule.position,
    kind: m.kind,
    change: m.change,
    part: m.part,
    macros: m.macros,
  };
  for (const p of cases) {
    const own = sameRule(p, rule);
    if (own === undefined || !concerns(p, rule.name)) continue;
    const alerts = mutatedAlerts(p, { ...own, condition: m.expr });
    if (checkExpectations(p.test, alerts).length > 0) return { ...base, killedBy: p.test.name };
  }
  return base;
}

async function prepareAll(
  files: readonly TestFile[],
  loader: RulesLoader,
): Promise<{ ready: Prepared[]; skipped: string[] }> {
  const engineFor = createEngineCache();
  const ready: Prepared[] = [];
  const skipped: string[] = [];
  for (const test of files.flatMap((f) => f.cases)) {
    const p = await prepareCase(test, loader);
    if (p.errors.length > 0) {
      skipped.push(test.name);
      continue;
    }
    const engine = engineFor(p.loaded, test.ruleMatching);
    const baseline = p.records.flatMap((r) => engine.process(r));
    // A test that fails as it is would "kill" every mutant: it says nothing.
    if (checkExpectations(test, baseline).length > 0) skipped.push(test.name);
    else ready.push({ ...p, baseline });
  }
  return { ready, skipped };
}

function mutantsOf(loaded: LoadResult): { rule: LoadedRule; mutants: Mutant[] }[] {
  return loaded.rules
    .filter((r) => r.enabled && (r.source === 'k8s_audit' || r.source === 'k8s_admission'))
    .map((rule) => ({
      rule,
      mutants: listMutants(rule.condition, {
        registry: defaultFieldRegistry,
        source: rule.source as EventSource,
      }),
    }));
}

/**
 * The mutation check: for each set of rules files under test, every enabled rule's
 * condition is changed one part at a time (listMutants) and the passing tests of those
 * rules are run against each mutant; a mutant is killed when some test fails with it.
 * Tests whose rules an override changed are run only for the rules it left alone.
 *
 * @example const [report] = await runMutation([readTestsFile(path, text)]);
 */
export async function runMutation(
  files: readonly TestFile[],
  loader: RulesLoader = createRulesLoader(),
): Promise<MutationReport[]> {
  const groups = new Map<string, TestFile[]>();
  for (const f of files) {
    if (f.rulesFiles.length === 0) continue;
    const key = JSON.stringify(f.rulesFiles);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const reports: MutationReport[] = [];
  for (const group of groups.values()) {
    const rulesFiles = group[0]?.rulesFiles ?? [];
    const loaded = await loader.load({ files: rulesFiles });
    if (!loaded.ok) continue;
    const { ready, skipped } = await prepareAll(group, loader);
    const mutants = mutantsOf(loaded).flatMap(({ rule, mutants: ms }) =>
      ms.map((m) => runMutant(rule, m, ready)),
    );
    const killed = mutants.filter((m) => m.killedBy !== undefined).length;
    reports.push({ rulesFiles, mutants, killed, skippedTests: skipped });
  }
  return reports;
}
