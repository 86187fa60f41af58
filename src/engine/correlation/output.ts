import type { AuditRecord, EventSource } from '../../events/index.ts';
import {
  CORRELATION_FIELD_PREFIX,
  type CorrelatedRecord,
  type CorrelationValues,
  type FieldRegistry,
  withCorrelationFields,
} from '../../fields/index.ts';
import type { Operand } from '../../lang/ast.ts';
import {
  type CompiledOutput,
  compileOutputFormat,
  type JsonFieldKind,
  type OutputSegment,
  parseOutputFormat,
} from '../../lang/index.ts';
import type { LoadedRule } from '../../rules/index.ts';
import type { AlertFieldValue } from '../alert.ts';
import type { PendingAlert } from './step-match.ts';

/** A stateful rule's output, split at its `correlation.*` fields. */
export interface CorrelatedOutput {
  /** Renders what the event alone decides: the text between the slots and the event fields. */
  pending(rec: AuditRecord, extra: PendingExtra): PendingAlert;
  /** The message and output fields, once the correlation values are known. */
  finish(
    p: PendingAlert,
    values: CorrelationValues | undefined,
  ): {
    message: string;
    outputFields: Record<string, AlertFieldValue>;
    /** The JSON kinds of the output fields (see Alert.fieldKinds), when any is not a string. */
    fieldKinds?: Readonly<Record<string, JsonFieldKind>>;
  };
}

/** What the engine adds to a pending alert besides the rendered output. */
export interface PendingExtra {
  readonly eventId?: string;
  readonly eventText?: string;
  readonly cluster?: string | null;
}

function readsCorrelation(op: Operand): boolean {
  return op.kind === 'field'
    ? op.name.startsWith(CORRELATION_FIELD_PREFIX)
    : readsCorrelation(op.arg);
}

/**
 * Compiles a stateful rule's output so that each match renders its event's part at once
 * (the event is gone when the rule fires, maybe on another thread) and the alert renders
 * the correlation fields when it fires.
 */
export function compileCorrelatedOutput(
  rule: LoadedRule,
  registry: FieldRegistry,
): CorrelatedOutput {
  const env = { registry: withCorrelationFields(registry), source: rule.source as EventSource };
  const segments = parseOutputFormat(rule.output, env);
  // Runs of event segments between correlation slots; one more run than slots.
  const runs: OutputSegment[][] = [[]];
  const slots: CompiledOutput[] = [];
  for (const s of segments) {
    if (s.operand !== undefined && readsCorrelation(s.operand)) {
      slots.push(compileOutputFormat([s], env));
      runs.push([]);
    } else {
      (runs[runs.length - 1] as OutputSegment[]).push(s);
    }
  }
  const pieces = runs.map((r) => compileOutputFormat(r, env));
  const eventFields = compileOutputFormat(
    segments.filter((s) => s.operand !== undefined && !readsCorrelation(s.operand)),
    env,
  );
  const slotFields = compileOutputFormat(
    segments.filter((s) => s.operand !== undefined && readsCorrelation(s.operand)),
    env,
  );
  const kinds = { ...eventFields.jsonKinds, ...slotFields.jsonKinds };
  const fieldKinds = Object.keys(kinds).length > 0 ? kinds : undefined;
  return {
    pending(rec, extra) {
      const fields: Record<string, AlertFieldValue> = eventFields.fields(rec);
      if (extra.cluster !== undefined) fields['ka.cluster.name'] = extra.cluster;
      return {
        pieces: pieces.map((p) => p.text(rec)),
        fields,
        ...(extra.eventId !== undefined ? { eventId: extra.eventId } : {}),
        ...(rec.origin !== undefined ? { origin: rec.origin } : {}),
        ...(rec.line !== undefined ? { line: rec.line } : {}),
        ...(extra.eventText !== undefined ? { eventText: extra.eventText } : {}),
      };
    },
    finish(p, values) {
      const stub = { correlation: values } as CorrelatedRecord;
      let message = p.pieces[0] ?? '';
      for (let i = 0; i < slots.length; i++) {
        message += (slots[i] as CompiledOutput).text(stub) + (p.pieces[i + 1] ?? '');
      }
      const outputFields =
        slots.length === 0 ? { ...p.fields } : { ...p.fields, ...slotFields.fields(stub) };
      return fieldKinds === undefined
        ? { message, outputFields }
        : { message, outputFields, fieldKinds };
    },
  };
}
