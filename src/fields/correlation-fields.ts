import type { AuditRecord } from '../events/record.ts';
import { FieldArgError, type FieldDef, type FieldRegistry, type FieldValue } from './field.ts';
import { createRegistryOf } from './registry.ts';

/**
 * What an alert of a correlated (or suppressed) rule knows beyond its closing event: the
 * engine sets it when the rule fires, and the `correlation.*` fields of its output read it.
 */
export interface CorrelationValues {
  /** Events, distinct values or steps that made the alert; alerts suppressed on a summary. */
  readonly count: number;
  readonly windowMs: number;
  /** The window as the rule wrote it (`10m`). */
  readonly window: string;
  /** The group key: term label → value. */
  readonly group: Readonly<Record<string, string>>;
  /** The auditIDs of the events that made the alert (bounded). */
  readonly auditIds: readonly string[];
  /** The distinct values counted (distinct rules only). */
  readonly values?: readonly string[];
  /** On the alert that closes a suppression window: how many alerts it suppressed. */
  readonly suppressed?: number;
}

/** A record as a correlated rule's output sees it. */
export interface CorrelatedRecord extends AuditRecord {
  readonly correlation?: CorrelationValues;
}

/** The prefix of every correlation field: they read the alert, not the event. */
export const CORRELATION_FIELD_PREFIX = 'correlation.';

type Read = (c: CorrelationValues) => FieldValue;

const ROWS: readonly (readonly [string, FieldDef['type'], boolean, string, Read])[] = [
  [
    'count',
    'uint64',
    false,
    'Events (threshold), distinct values (distinct) or steps (sequences) that made the alert; on the alert closing a suppression window, the alerts it suppressed.',
    (c) => String(c.count),
  ],
  ['window', 'string', false, 'The window of the correlation, e.g. 10m.', (c) => c.window],
  [
    'group',
    'string',
    false,
    'The group key as compact JSON: each term of `by` with its value.',
    (c) => JSON.stringify(c.group),
  ],
  [
    'auditids',
    'string',
    true,
    'The auditIDs of the events that made the alert (at most 64, the newest).',
    (c) => (c.auditIds.length > 0 ? c.auditIds : undefined),
  ],
  [
    'values',
    'string',
    true,
    'The distinct values counted by a distinct rule.',
    (c) => (c.values !== undefined && c.values.length > 0 ? c.values : undefined),
  ],
  [
    'suppressed',
    'uint64',
    false,
    'On the alert closing a suppression window: how many alerts of that key it suppressed.',
    (c) => (c.suppressed === undefined ? undefined : String(c.suppressed)),
  ],
];

/** The `correlation.*` fields: valid only in the output of a correlated or suppressed rule. */
export const CORRELATION_FIELDS: readonly FieldDef[] = ROWS.map(
  ([suffix, type, isList, description, read]) => {
    const name = `${CORRELATION_FIELD_PREFIX}${suffix}`;
    return {
      name,
      sources: ['*'],
      type,
      isList,
      arg: { kind: 'none', required: false },
      description,
      needs: 'metadata',
      bind(arg: string | undefined) {
        if (arg !== undefined) throw new FieldArgError(name, `field '${name}' takes no argument`);
        return (rec: AuditRecord) => {
          const c = (rec as CorrelatedRecord).correlation;
          return c === undefined ? undefined : read(c);
        };
      },
    } satisfies FieldDef;
  },
);

const extended = new WeakMap<FieldRegistry, FieldRegistry>();

/**
 * `registry` plus the correlation fields, for the outputs of correlated and suppressed
 * rules (their conditions keep the plain registry: a condition cannot read an alert).
 */
export function withCorrelationFields(registry: FieldRegistry): FieldRegistry {
  let out = extended.get(registry);
  if (out === undefined) {
    out = createRegistryOf([...registry.list(), ...CORRELATION_FIELDS]);
    extended.set(registry, out);
  }
  return out;
}
