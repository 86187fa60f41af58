import type { Alert } from '../../src/engine/index.ts';
import type { Priority } from '../../src/rules/index.ts';
import { auditEvent } from './events.ts';

/** 2026-11-02T10:00:00Z in ns: alerts of the store tests count from here. */
export const BASE_NS = 1_793_613_600_000_000_000n;
export const SECOND_NS = 1_000_000_000n;

export interface AlertSpec {
  readonly rule?: string;
  readonly priority?: Priority;
  readonly source?: string;
  readonly tags?: readonly string[];
  /** Seconds after BASE_NS (a bigint offset in ns with `atNs`). */
  readonly at?: number;
  readonly atNs?: bigint;
  readonly message?: string;
  readonly namespace?: string;
  readonly user?: string;
  readonly verb?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  readonly cluster?: string;
  /** Keys replacing those of the generated event; `event: null` leaves the event out. */
  readonly event?: Record<string, unknown> | null;
}

/** An engine alert with its event, as `createEngine({ keepEvent: true })` makes one. */
export function makeAlert(s: AlertSpec = {}): Alert {
  const timeNs = s.atNs ?? BASE_NS + BigInt(s.at ?? 0) * SECOND_NS;
  const ref: Record<string, unknown> = {
    resource: s.resource ?? 'pods',
    namespace: s.namespace ?? 'default',
    name: s.name ?? 'web',
    apiVersion: 'v1',
  };
  if (s.subresource !== undefined) ref.subresource = s.subresource;
  const event =
    s.event === null
      ? undefined
      : auditEvent({
          verb: s.verb ?? 'create',
          user: { username: s.user ?? 'alice@example.com', groups: ['system:authenticated'] },
          objectRef: ref,
          ...(s.cluster === undefined
            ? {}
            : {
                annotations: { 'authorization.k8s.io/decision': 'allow', cluster_name: s.cluster },
              }),
          ...s.event,
        });
  const message = s.message ?? `${s.rule ?? 'Create Pod'} (user=${s.user ?? 'alice@example.com'})`;
  return {
    rule: s.rule ?? 'Create Pod',
    priority: s.priority ?? 'Warning',
    source: s.source ?? 'k8s_audit',
    tags: s.tags ?? ['k8s'],
    timeNs: timeNs.toString(),
    message,
    outputFields: { 'ka.user.name': s.user ?? 'alice@example.com', 'ka.target.name': null },
    hostname: 'kaudit-test',
    ...(event === undefined ? {} : { event }),
  };
}
