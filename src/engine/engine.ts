import { type AuditRecord, type EventSource, eventIdentity } from '../events/index.ts';
import type { FieldRegistry } from '../fields/field.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import type { Expr } from '../lang/ast.ts';
import {
  type CompiledOutput,
  compileOutputFormat,
  type JsonFieldKind,
  type OutputSegment,
  parseOutputFormat,
} from '../lang/index.ts';
// Rules' parts by file, not through rules/index.ts: the barrel also loads the rules
// loader and its YAML parser, which a scan worker (engine only) would parse for nothing.
import { type Priority, priorityRank } from '../rules/priority.ts';
import { type RuleSelector, selectRules } from '../rules/select.ts';
import type { LoadedRule } from '../rules/types.ts';
import type { Alert, MessagePart } from './alert.ts';
import { createStepMatcher, type StepMatcher } from './correlation/matcher.ts';
import type { StepMatch } from './correlation/step-match.ts';
import { compileDispatch, type Dispatch } from './dispatch.ts';
import { explainRule } from './explain-rule.ts';
import { countMatch, createMatchStats, type MatchStats } from './match-stats.ts';

/** Falco's `rule_matching`: stop at the first matching rule, or fire every match. */
export type RuleMatching = 'first' | 'all';

export interface EngineOptions {
  readonly rules: readonly LoadedRule[];
  readonly registry?: FieldRegistry;
  readonly ruleMatching?: RuleMatching;
  /** Rules less severe than this are never run (falco.yaml `priority`). */
  readonly minPriority?: Priority;
  /**
   * Rule selections applied in order on top of each rule's `enabled` (falco.yaml
   * `rules:`, `--enable`/`--disable`): which rules run is decided here, once.
   */
  readonly selections?: readonly RuleSelector[];
  /** Alert `hostname` (Falco: FALCO_HOSTNAME, else the machine's name); default ''. */
  readonly hostname?: string;
  /** Keep the event object on each alert (for stores and `--with-event`). */
  readonly keepEvent?: boolean;
  /** Explain each alert (`Alert.explanation`): the rule's condition evaluated part by part. */
  readonly explain?: boolean;
}

/** Matches events against compiled rules. */
export interface Engine {
  /**
   * Evaluates one event; never throws. The returned array is fresh per call. Stateful
   * rules (correlated, or with `suppress`) give no alert here: their matches land in
   * `steps`, for a correlator.
   */
  process(rec: AuditRecord): Alert[];
  /**
   * The step matches of the stateful rules from the last `process` calls, in order (the
   * steps of one rule last first); the caller empties it (length = 0) after reading.
   */
  readonly steps: StepMatch[];
  /** The stateful rules that run, in the order StepMatch.rule indexes them. */
  readonly statefulRules: readonly LoadedRule[];
  /** The rules that run, per source, in definition order. */
  readonly activeRules: readonly LoadedRule[];
  readonly stats: MatchStats;
  /** Generated dispatch source per source, for `rules explain --js`. */
  dispatchSource(source: EventSource): string | undefined;
  /** Evaluation failures caught (a bug guard: getters never throw). */
  readonly internalErrors: number;
}

interface SourcePlan {
  readonly rules: readonly LoadedRule[];
  readonly outputs: readonly CompiledOutput[];
  readonly templates: readonly (readonly MessagePart[])[];
  /** Per rule: its output's JSON kinds, undefined when every field is a string. */
  readonly fieldKinds: readonly (Readonly<Record<string, JsonFieldKind>> | undefined)[];
  readonly dispatch: Dispatch;
  /** Per rule: its index among the stateful rules when it has `suppress`, else -1. */
  readonly suppressed: readonly number[];
  /** Per step condition: [stateful rule index, step]. */
  readonly steps: readonly (readonly [number, number])[];
}

const SOURCES: readonly EventSource[] = ['k8s_audit', 'k8s_admission'];

// A rule with `suppress` renders through its step matcher instead.
const NO_OUTPUT: CompiledOutput = { text: () => '', fields: () => ({}), jsonKinds: {} };

/**
 * Compiles the enabled rules of each source into one dispatch function and returns an
 * engine that turns events into Falco-shaped alerts.
 *
 * @example
 * const engine = createEngine({ rules: loadRules(sources).rules });
 * for (const alert of engine.process(record)) console.log(formatAlertText(alert));
 */
export function createEngine(opts: EngineOptions): Engine {
  const registry = opts.registry ?? defaultFieldRegistry;
  const first = (opts.ruleMatching ?? 'first') === 'first';
  const minRank = opts.minPriority === undefined ? 7 : priorityRank(opts.minPriority);
  const host = opts.hostname ?? '';
  const plans = new Map<EventSource, SourcePlan>();
  const active: LoadedRule[] = [];
  const selected = selectRules(opts.rules, opts.selections ?? []);
  const clusterField = registry.get('ka.cluster.name')?.bind(undefined);
  const stateful: LoadedRule[] = [];
  for (const source of SOURCES) {
    const all = selected.filter(
      (r) => r.enabled && r.source === source && priorityRank(r.priority) <= minRank,
    );
    if (all.length === 0) continue;
    const env = { registry, source };
    // Correlated rules run as steps (always, whatever `first` says); the others as rules.
    const rules = all.filter((r) => r.correlation === undefined);
    const steps: [number, number][] = [];
    for (const r of all) {
      if (r.correlation === undefined) continue;
      const index = stateful.push(r) - 1;
      // Last step first: an event matching several steps must move a sequence once.
      for (let s = r.correlation.steps.length - 1; s >= 0; s--) steps.push([index, s]);
    }
    const suppressed = rules.map((r) => (r.suppress === undefined ? -1 : stateful.push(r) - 1));
    const segments = rules.map((r) => parseOutputFormat(r.output, env));
    // A suppressed rule's alert is built by the correlator (its output knows the count).
    const outputs = rules.map((r, i) =>
      r.suppress === undefined
        ? compileOutputFormat(segments[i] as OutputSegment[], env)
        : NO_OUTPUT,
    );
    const templates = segments.map(toMessageParts);
    const fieldKinds = outputs.map((o) =>
      Object.keys(o.jsonKinds).length > 0 ? o.jsonKinds : undefined,
    );
    const dispatch = compileDispatch(
      rules.map((r) => r.condition),
      env,
      first,
      steps.map(([i, s]) => stateful[i]?.correlation?.steps[s]?.condition as Expr),
    );
    plans.set(source, { rules, outputs, templates, fieldKinds, dispatch, suppressed, steps });
    active.push(...all);
  }
  const matchers = stateful.map((r, i) =>
    createStepMatcher(r, i, {
      registry,
      keepEvent: opts.keepEvent === true,
      ...(clusterField !== undefined ? { cluster: clusterField } : {}),
    }),
  );
  const steps: StepMatch[] = [];
  const stats = createMatchStats(opts.rules.map((r) => r.name));
  let internalErrors = 0;
  // The interpreter re-reads every field; like the getters it must never throw here.
  const explainSafely = (rule: LoadedRule, rec: AuditRecord): Pick<Alert, 'explanation'> => {
    try {
      return { explanation: explainRule(rule, rec, registry) };
    } catch {
      internalErrors++;
      return {};
    }
  };

  const addStep = (index: number, step: number, rec: AuditRecord): void => {
    const m = (matchers[index] as StepMatcher)(rec, step);
    if (m !== undefined) steps.push(m);
  };

  /** The alert of rule `i` of `plan` on `rec`. */
  function buildAlert(
    plan: SourcePlan,
    i: number,
    rec: AuditRecord,
    eventId: string | undefined,
  ): Alert {
    const rule = plan.rules[i] as LoadedRule;
    const out = plan.outputs[i] as CompiledOutput;
    const outputFields = out.fields(rec);
    // An input labelled with its cluster labels every alert, as Falco's k8saudit
    // cluster label does for its sidekick outputs.
    if (rec.cluster !== undefined && clusterField !== undefined) {
      outputFields['ka.cluster.name'] = (clusterField(rec) as string | undefined) ?? null;
    }
    return {
      rule: rule.name,
      priority: rule.priority,
      source: rule.source,
      tags: rec.bodiesDropped === true ? withBodiesDroppedTag(rule.tags) : rule.tags,
      timeNs: rec.timeNs,
      message: out.text(rec),
      template: plan.templates[i] as readonly MessagePart[],
      outputFields,
      ...(plan.fieldKinds[i] === undefined ? {} : { fieldKinds: plan.fieldKinds[i] }),
      hostname: host,
      ...(eventId !== undefined ? { eventId } : {}),
      ...(opts.keepEvent ? { event: rec.obj, eventText: rec.text } : {}),
      ...(rec.origin !== undefined ? { origin: rec.origin } : {}),
      ...(rec.line !== undefined ? { line: rec.line } : {}),
    };
  }

  // Chosen once: without --explain, alerts are built exactly as they always were.
  const makeAlert: typeof buildAlert = opts.explain
    ? (plan, i, rec, eventId) => ({
        ...buildAlert(plan, i, rec, eventId),
        ...explainSafely(plan.rules[i] as LoadedRule, rec),
      })
    : buildAlert;

  const engine: Engine = {
    activeRules: active,
    statefulRules: stateful,
    steps,
    stats,
    get internalErrors() {
      return internalErrors;
    },
    dispatchSource: (s) => plans.get(s)?.dispatch.source,
    process(rec) {
      const plan = plans.get(rec.source);
      if (plan === undefined) return [];
      const { dispatch } = plan;
      try {
        dispatch.run(rec);
      } catch {
        // Generated code only calls never-throwing getters; count rather than crash.
        internalErrors++;
        dispatch.matches.length = 0;
        dispatch.stepMatches.length = 0;
        return [];
      }
      if (dispatch.stepMatches.length > 0) {
        for (const j of dispatch.stepMatches) {
          const [index, step] = plan.steps[j] as readonly [number, number];
          addStep(index, step, rec);
        }
        dispatch.stepMatches.length = 0;
      }
      if (dispatch.matches.length === 0) return [];
      const alerts: Alert[] = [];
      const eventId = eventIdentity(rec);
      for (const i of dispatch.matches) {
        const held = plan.suppressed[i] as number;
        if (held >= 0) {
          addStep(held, 0, rec);
          continue;
        }
        const rule = plan.rules[i] as LoadedRule;
        countMatch(stats, rule.name, rule.priority);
        alerts.push(makeAlert(plan, i, rec, eventId));
      }
      dispatch.matches.length = 0;
      return alerts;
    },
  };
  return engine;
}

/**
 * The tag an alert gets when its event was over the size limit and was judged without
 * its bodies (requestObject/responseObject): falcosidekick shows and routes by tags.
 */
export const BODIES_DROPPED_TAG = 'bodies_dropped';

function withBodiesDroppedTag(tags: readonly string[]): readonly string[] {
  return [...tags, BODIES_DROPPED_TAG].sort();
}

/** A parsed output template as the parts an output can render again (see Alert.template). */
export function toMessageParts(segments: readonly OutputSegment[]): readonly MessagePart[] {
  return segments.map((s) =>
    s.key === undefined
      ? (s.text ?? '')
      : s.width === undefined
        ? { key: s.key }
        : { key: s.key, width: s.width },
  );
}
