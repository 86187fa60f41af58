import type { EventSource } from './record.ts';
import { parseTimestampNs } from './timestamp.ts';
import { checkAdmissionReview, checkAuditEvent, type EventProblem, isObject } from './validate.ts';

export type { EventProblem } from './validate.ts';

/**
 * Whether one element of a payload would become a record: the same checks the decoder
 * applies (shape, types of the fields rules read, a parseable timestamp). The webhook
 * runs it on each element of a batch before storing the good ones, so that what it
 * acknowledges is what detection can read.
 */
export function checkEventObject(obj: unknown, source: EventSource): EventProblem | undefined {
  if (!isObject(obj)) return { reason: 'wrong_type', message: 'event must be a JSON object' };
  const audit = source === 'k8s_audit';
  const problem = audit ? checkAuditEvent(obj) : checkAdmissionReview(obj);
  if (problem !== undefined) return problem;
  const ts = (audit ? obj.stageTimestamp : obj.requestReceivedTimestamp) as string;
  if (parseTimestampNs(ts) === undefined) {
    const key = audit ? 'stageTimestamp' : 'requestReceivedTimestamp';
    return { reason: 'bad_timestamp', message: `${key} is not an RFC 3339 timestamp` };
  }
  return undefined;
}
