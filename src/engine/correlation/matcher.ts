import { type AuditRecord, type EventSource, eventIdentity } from '../../events/index.ts';
import type { FieldGetter, FieldRegistry, FieldValue } from '../../fields/index.ts';
import { compileOutputFormat, parseOutputFormat } from '../../lang/index.ts';
import type { KeyTerm, LoadedRule } from '../../rules/index.ts';
import {
  boundKeyValue,
  compileKeyCombinations,
  compileTermValues,
  type KeyCombinations,
  type TermValues,
} from './key-terms.ts';
import { type CorrelatedOutput, compileCorrelatedOutput } from './output.ts';
import type { StepMatch } from './step-match.ts';

/** Turns "this event matched step `step` of the rule" into a StepMatch. */
export type StepMatcher = (rec: AuditRecord, step: number) => StepMatch | undefined;

/** What the matcher needs besides the rule. */
export interface StepMatcherOptions {
  readonly registry: FieldRegistry;
  /** Keep each event's JSON text on its alert (stores, `kaudit serve`). */
  readonly keepEvent: boolean;
  /** Reads `ka.cluster.name`, when the registry has it. */
  readonly cluster?: FieldGetter;
}

// Suppression keys render as outputs do (a list as `(a,b)`, an absent field as `<NA>`):
// every alert has one, so every alert is either fired or counted.
function compileSuppressKey(
  terms: readonly KeyTerm[],
  registry: FieldRegistry,
  source: EventSource,
): (rec: AuditRecord) => string[] {
  const env = { registry, source };
  const outs = terms.map((t) => compileOutputFormat(parseOutputFormat(t.template, env), env));
  return (rec) => outs.map((o) => boundKeyValue(o.text(rec)));
}

function auditIdOf(rec: AuditRecord): string | undefined {
  const id = rec.obj.auditID;
  if (typeof id === 'string' && id !== '') return boundKeyValue(id);
  const uid = (rec.obj.request as { uid?: unknown } | undefined)?.uid;
  return typeof uid === 'string' && uid !== '' ? boundKeyValue(uid) : undefined;
}

/**
 * Compiles the matcher of one stateful rule (index `index` among the engine's stateful
 * rules): each step's group key combinations, the distinct value, the suppression key,
 * and the output rendered as far as the event decides it.
 */
export function createStepMatcher(
  rule: LoadedRule,
  index: number,
  opts: StepMatcherOptions,
): StepMatcher {
  const source = rule.source as EventSource;
  const { registry } = opts;
  const spec = rule.correlation;
  const keysOf: KeyCombinations[] =
    spec === undefined
      ? [compileKeyCombinations([], registry, source)]
      : spec.steps.map((s) => compileKeyCombinations([...spec.by, ...s.by], registry, source));
  const valuesOf: TermValues | undefined =
    spec?.field === undefined ? undefined : compileTermValues(spec.field, registry, source);
  const suppressOf =
    rule.suppress === undefined
      ? undefined
      : compileSuppressKey(rule.suppress.by, registry, source);
  const output: CorrelatedOutput = compileCorrelatedOutput(rule, registry);
  const clusterOf = opts.cluster;
  const pendingOf = (rec: AuditRecord, cluster: FieldValue) => {
    const eventId = eventIdentity(rec);
    const labelled = rec.cluster !== undefined && clusterOf !== undefined;
    return output.pending(rec, {
      ...(eventId !== undefined ? { eventId } : {}),
      ...(opts.keepEvent ? { eventText: rec.text ?? JSON.stringify(rec.obj) } : {}),
      ...(labelled ? { cluster: typeof cluster === 'string' ? cluster : null } : {}),
    });
  };
  return (rec, step) => {
    const keys = keysOf[step]?.(rec);
    if (keys === undefined || keys.length === 0) return undefined;
    const values = valuesOf?.(rec);
    if (valuesOf !== undefined && (values === undefined || values.length === 0)) return undefined;
    const cluster = clusterOf?.(rec);
    const auditId = auditIdOf(rec);
    return {
      rule: index,
      step,
      timeNs: rec.timeNs,
      keys,
      ...(values !== undefined ? { values } : {}),
      ...(suppressOf !== undefined ? { suppressKey: suppressOf(rec) } : {}),
      ...(typeof cluster === 'string' ? { cluster } : {}),
      ...(auditId !== undefined ? { auditId } : {}),
      alert: pendingOf(rec, cluster),
    };
  };
}
