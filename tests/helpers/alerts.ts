import type { Alert } from '../../src/engine/index.ts';
import type { Priority } from '../../src/rules/index.ts';

let n = 0;

/** An alert as the engine makes one: numbered user and pod, so tests can tell them apart. */
export function makeAlert(over: Partial<Alert> = {}): Alert {
  n++;
  const fields = {
    'ka.user.name': `user-${n}`,
    'ka.target.name': `pod-${n}`,
    'ka.req.pod.containers.image': ['nginx:1.27', 'busybox'],
    'ka.target.namespace': null,
  };
  const priority: Priority = over.priority ?? 'Warning';
  return {
    rule: 'Pod Exec',
    priority,
    source: 'k8s_audit',
    tags: ['k8s', 'mitre_execution'],
    timeNs: `${1_767_225_600 + n}123456789`,
    message: `exec into pod-${n} by user-${n}`,
    outputFields: fields,
    hostname: 'kaudit-test',
    ...over,
  };
}

/** The user name a makeAlert alert carries. */
export function userOf(a: Alert): string {
  return a.outputFields['ka.user.name'] as string;
}
