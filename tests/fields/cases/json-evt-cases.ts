import { casesOn, type FieldCase } from './case.ts';
import { podCreate, rec, TIME_NS } from './events.ts';
import { review } from './kar-cases.ts';

const pod = rec(podCreate());
const small = rec({ kind: 'Event', auditID: 'a', n: [1, 2], o: {}, 'a~b': { 'c/d': true } });
const admission = review({ operation: 'DELETE', name: 'gone', oldObject: null });
const SECONDS = String(Date.UTC(2026, 10, 2, 10, 15, 30) / 1000);

const SMALL_INDENTED =
  '{\n  "kind": "Event",\n  "auditID": "a",\n  "n": [\n    1,\n    2\n  ],\n  "o": {},\n  "a~b": {\n    "c/d": true\n  }\n}';

/** Host name the runner puts in FALCO_HOSTNAME before binding. */
export const TEST_HOSTNAME = 'falco-test-host';

/** json.*, jevt.* and evt.* fields; evt times expect TZ=UTC. */
export const JSON_EVT_CASES: FieldCase[] = [
  ...casesOn(pod, [
    ['jevt.value', '/objectRef/resource', 'pods', 'pointer to a string'],
    ['json.value', 'objectRef/resource', 'pods', 'leading slash optional'],
    ['jevt.value', '/annotations/authorization.k8s.io~1decision', 'allow', '~1 is a slash'],
    ['jevt.value', '/requestObject/spec/containers/1/name', 'sidecar', 'array index'],
    ['jevt.value', '/requestObject/spec/containers/9/name', undefined, 'index out of range'],
    ['jevt.value', '/requestObject/spec/containers/x', undefined, 'non-numeric key on an array'],
    ['jevt.value', '/responseStatus/code', '201', 'number as text'],
    ['jevt.value', '/requestObject/spec/hostNetwork', 'true', 'bool as text'],
    ['jevt.value', '/sourceIPs', '["10.0.0.12","192.168.1.5"]', 'array as compact JSON'],
    ['jevt.value', '/stage/deeper', undefined, 'path through a string'],
    ['jevt.value', '/constructor', undefined, 'no prototype members'],
    ['json.rawtime', undefined, TIME_NS, 'event time in ns'],
    ['jevt.rawtime', undefined, TIME_NS, 'alias'],
    ['evt.num', undefined, '42', 'record number'],
    ['evt.time', undefined, '10:15:30.234567000', 'local clock with ns'],
    ['evt.time.s', undefined, '10:15:30', 'local clock'],
    ['evt.time.iso8601', undefined, '2026-11-02T10:15:30.234567000+0000', 'UTC ISO 8601'],
    ['evt.datetime', undefined, '2026-11-02 10:15:30.234567000', 'local date and time'],
    ['evt.datetime.s', undefined, '2026-11-02 10:15:30', 'local date and time, s'],
    ['evt.rawtime', undefined, TIME_NS, 'ns since epoch'],
    ['evt.rawtime.s', undefined, SECONDS, 'whole seconds'],
    ['evt.rawtime.ns', undefined, '234567000', 'ns part'],
    ['evt.source', undefined, 'k8s_audit', 'source'],
    ['evt.pluginname', undefined, 'k8saudit', 'plugin'],
    ['evt.is_async', undefined, 'false', 'never async'],
    ['evt.asynctype', undefined, undefined, 'never async'],
    ['evt.hostname', undefined, TEST_HOSTNAME, 'FALCO_HOSTNAME'],
  ]),
  ...casesOn(small, [
    ['json.obj', undefined, SMALL_INDENTED, 'two-space indent'],
    ['jevt.obj', undefined, SMALL_INDENTED, 'alias'],
    ['jevt.value', '/a~0b/c~1d', 'true', '~0 is a tilde'],
    [
      'jevt.value',
      '/',
      '{"kind":"Event","auditID":"a","n":[1,2],"o":{},"a~b":{"c/d":true}}',
      'empty pointer: whole event',
    ],
    ['jevt.value', '/o', '{}', 'empty object'],
  ]),
  ...casesOn(admission, [
    ['jevt.value', '/request/oldObject', 'null', 'JSON null renders as null'],
    ['json.value', '/request/name', 'gone', 'json fields read admission events'],
    ['evt.source', undefined, 'k8s_admission', 'source'],
    ['evt.pluginname', undefined, 'k8sadmission', 'plugin'],
  ]),
];
