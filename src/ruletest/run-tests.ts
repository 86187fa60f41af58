import {
  type Alert,
  createCorrelator,
  createEngine,
  createEventExplainer,
  type Engine,
  type EventExplanation,
  type RuleMatching,
} from '../engine/index.ts';
import type { AuditRecord } from '../events/index.ts';
import type { LoadResult } from '../rules/index.ts';
import { checkExpectations, type Failure } from './expectations.ts';
import type { TestCase, TestFile, TestMessage } from './model.ts';
import {
  createRulesLoader,
  loadErrors,
  type RulesLoader,
  readCaseEvents,
  unknownRules,
} from './prepare.ts';

/** Why an expected rule did not fire on one of the case's events. */
export interface Miss {
  /** `file:line` of the event. */
  readonly event: string;
  readonly explanation: EventExplanation;
}

/** What running one case gave. */
export interface CaseResult {
  readonly test: TestCase;
  readonly status: 'pass' | 'fail' | 'error';
  readonly failures: readonly Failure[];
  /** Why the case could not run (rules that do not load, bad events, unknown rules). */
  readonly errors: readonly TestMessage[];
  /** Every alert the case's events raised, in event order. */
  readonly alerts: readonly Alert[];
  /** Per rule that fired fewer times than expected: why not, event by event (at most 5). */
  readonly misses: ReadonlyMap<string, readonly Miss[]>;
  readonly ms: number;
}

/** The results of one tests file. */
export interface FileResult {
  readonly file: TestFile;
  readonly cases: readonly CaseResult[];
}

/** A case ready to run: its rules loaded and its events decoded. */
export interface PreparedCase {
  readonly test: TestCase;
  readonly loaded: LoadResult;
  readonly records: readonly AuditRecord[];
  readonly errors: readonly TestMessage[];
}

const MAX_MISSES = 5;

/** Loads a case's rules and decodes its events; problems go to `errors`. */
export async function prepareCase(test: TestCase, loader: RulesLoader): Promise<PreparedCase> {
  const loaded = await loader.load(test.load);
  if (!loaded.ok) return { test, loaded, records: [], errors: loadErrors(loaded) };
  const unknown = unknownRules(test, loaded);
  const events = await readCaseEvents(test);
  return { test, loaded, records: events.records, errors: [...unknown, ...events.errors] };
}

/** An engine per loaded rules and rule matching, built once and shared by cases. */
export function createEngineCache(): (loaded: LoadResult, matching: RuleMatching) => Engine {
  const cache = new WeakMap<LoadResult, Map<RuleMatching, Engine>>();
  return (loaded, matching) => {
    let byMode = cache.get(loaded);
    if (byMode === undefined) {
      byMode = new Map();
      cache.set(loaded, byMode);
    }
    let engine = byMode.get(matching);
    if (engine === undefined) {
      engine = createEngine({ rules: loaded.rules, ruleMatching: matching });
      byMode.set(matching, engine);
    }
    return engine;
  };
}

/**
 * The alerts of a case's events, as `kaudit scan` gives them: the engine's, and those of
 * its correlated and suppressed rules from a correlator of the case's own (engines are
 * shared between cases, correlation state is not), flushed at the end of the events.
 */
export function runCaseEvents(engine: Engine, records: readonly AuditRecord[]): Alert[] {
  if (engine.statefulRules.length === 0) return records.flatMap((r) => engine.process(r));
  const correlator = createCorrelator(engine.statefulRules);
  const steps = engine.steps;
  steps.length = 0;
  const alerts: Alert[] = [];
  for (const r of records) {
    alerts.push(...engine.process(r), ...correlator.feed(r.timeNs, steps));
    steps.length = 0;
  }
  alerts.push(...correlator.flush());
  return alerts;
}

function explainMisses(p: PreparedCase, failures: readonly Failure[]): Map<string, Miss[]> {
  const misses = new Map<string, Miss[]>();
  const short = failures.filter((f) => f.kind === 'count' && f.actual < f.expect.count);
  if (short.length === 0) return misses;
  const explain = createEventExplainer({
    rules: p.loaded.rules,
    ruleMatching: p.test.ruleMatching,
  });
  for (const f of short) {
    const rule = p.loaded.rules.find((r) => r.name === f.expect.rule);
    if (rule === undefined || misses.has(rule.name)) continue;
    const list: Miss[] = [];
    for (const rec of p.records) {
      const explanation = explain(rule, rec);
      if (explanation.fired) continue;
      list.push({ event: `${rec.origin ?? ''}:${rec.line ?? 0}`, explanation });
      if (list.length >= MAX_MISSES) break;
    }
    misses.set(rule.name, list);
  }
  return misses;
}

/** Runs one prepared case. */
export function runPreparedCase(
  p: PreparedCase,
  engineFor: (loaded: LoadResult, matching: RuleMatching) => Engine,
  started = performance.now(),
): CaseResult {
  const base = { test: p.test, misses: new Map<string, Miss[]>() };
  if (p.errors.length > 0) {
    const ms = performance.now() - started;
    return { ...base, status: 'error', failures: [], errors: p.errors, alerts: [], ms };
  }
  const engine = engineFor(p.loaded, p.test.ruleMatching);
  const alerts = runCaseEvents(engine, p.records);
  const failures = checkExpectations(p.test, alerts);
  const misses = explainMisses(p, failures);
  const status = failures.length === 0 ? 'pass' : 'fail';
  return { ...base, status, failures, errors: [], alerts, misses, ms: performance.now() - started };
}

/**
 * Runs every case of the tests files, in order. Rules are loaded once per distinct set
 * and engines built once per set and rule matching. Never throws for a bad case: its
 * problems are in its result.
 *
 * @example const results = await runTests([readTestsFile(path, text)]);
 */
export async function runTests(
  files: readonly TestFile[],
  loader: RulesLoader = createRulesLoader(),
): Promise<FileResult[]> {
  const engineFor = createEngineCache();
  const out: FileResult[] = [];
  for (const file of files) {
    const cases: CaseResult[] = [];
    for (const test of file.cases) {
      const started = performance.now();
      cases.push(runPreparedCase(await prepareCase(test, loader), engineFor, started));
    }
    out.push({ file, cases });
  }
  return out;
}
