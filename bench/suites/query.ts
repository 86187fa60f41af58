import { JQ, JSON_PARSE_ROW, kaudit } from './common.ts';
import type { CommandRow, Suite } from './types.ts';

/** A classic audit-log question, as a jq filter and as a kaudit condition. */
export interface QueryFilter {
  readonly name: string;
  /** Goes inside `select(...)`. */
  readonly jq: string;
  readonly condition: string;
}

/** The six classic jq audit-log filters and the same questions in the rule language. */
export const QUERY_FILTERS: readonly QueryFilter[] = [
  {
    name: 'namespace created',
    jq: '.verb == "create" and .objectRef.resource == "namespaces"',
    condition: 'ka.verb=create and ka.target.resource=namespaces',
  },
  {
    name: 'namespace deleted',
    jq: '.verb == "delete" and .objectRef.resource == "namespaces"',
    condition: 'ka.verb=delete and ka.target.resource=namespaces',
  },
  {
    name: 'configmap with aws_access_key_id',
    jq: '.verb == "create" and .objectRef.resource == "configmaps" and (.requestObject | tostring | contains("aws_access_key_id"))',
    condition:
      'ka.verb=create and ka.target.resource=configmaps and ka.req.configmap.obj contains aws_access_key_id',
  },
  {
    name: 'privileged pod',
    jq: '.verb == "create" and .objectRef.resource == "pods" and .objectRef.subresource == null and any(.requestObject.spec.containers[]?; .securityContext.privileged == true)',
    condition:
      'ka.verb=create and ka.target.resource=pods and not ka.target.subresource exists and ka.req.pod.containers.privileged intersects (true)',
  },
  {
    name: 'anonymous allowed',
    jq: '.user.username == "system:anonymous" and .annotations["authorization.k8s.io/decision"] == "allow"',
    condition: 'ka.user.name=system:anonymous and ka.auth.decision=allow',
  },
  {
    name: 'exec or attach',
    jq: '.objectRef.subresource == "exec" or .objectRef.subresource == "attach"',
    condition: 'ka.target.subresource in (exec, attach)',
  },
];

function rowsFor(f: QueryFilter): CommandRow[] {
  const jqName = `jq: ${f.name}`;
  return [
    {
      kind: 'command',
      name: jqName,
      role: 'jq',
      requires: JQ,
      argv: (c) => [JQ, '-c', `select(${f.jq})`, c.file],
    },
    {
      kind: 'command',
      name: `kaudit query: ${f.name}`,
      jqRow: jqName,
      argv: (c) => kaudit(c, 'query', f.condition, c.file, '--count'),
    },
  ];
}

/**
 * The six questions in one pass, as a responder writes them: OR'd in one condition, and
 * in one jq select(). Issue #16 asks for 5x jq here, on one thread.
 */
export const COMBINED_FILTER: QueryFilter = {
  name: 'six questions OR-ed',
  jq: QUERY_FILTERS.map((f) => `(${f.jq})`).join(' or '),
  condition: QUERY_FILTERS.map((f) => `(${f.condition})`).join(' or '),
};

/** The combined question alone (`--suite combined`), quick to run on a busy machine. */
export const COMBINED_SUITE: Suite = {
  name: 'combined',
  description: 'the six questions OR-ed in one kaudit query --count vs one jq select()',
  cases: [{ corpus: { mix: 'busy' }, rows: rowsFor(COMBINED_FILTER) }],
};

export const QUERY_SUITE: Suite = {
  name: 'query',
  description: 'kaudit query --count vs jq 1.6 select() on the busy mix',
  cases: [
    {
      corpus: { mix: 'busy' },
      rows: [JSON_PARSE_ROW, ...QUERY_FILTERS.flatMap(rowsFor)],
    },
  ],
};
