// Compiles a condition that is a DAG (each level `(x or x)` over one shared node, as a
// macro used twice expands); loaded in a worker by runInWorker, so a compiler that copies
// the tree out (2^levels nodes) ends in a terminated worker, not a hung suite.
import type { Expr } from '../../src/lang/ast.ts';
import { compileCondition } from '../../src/lang/compile.ts';
import { interpretCondition } from '../../src/lang/interpret.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

/** `levels` of `(prev or prev)` over `leaf`, each level's two children the same object. */
export function doublingDag(leaf: string, levels: number): Expr {
  let e = parseCondition(leaf);
  for (let i = 0; i < levels; i++) e = { kind: 'or', children: [e, e], start: 0, end: 0 };
  return e;
}

export interface DagAnswers {
  /** Length of the generated source. */
  readonly sourceLength: number;
  /** The compiled answers on a matching and a non-matching event. */
  readonly compiled: readonly boolean[];
  /** The interpreter's answers, when `interpret` (it walks 2^levels nodes on a miss). */
  readonly interpreted: readonly boolean[];
}

/** Compiles doublingDag(leaf, levels) and answers it on events with these verbs. */
export function answerDag(input: {
  readonly leaf: string;
  readonly levels: number;
  readonly verbs: readonly string[];
  readonly interpret: boolean;
}): DagAnswers {
  const dag = doublingDag(input.leaf, input.levels);
  const { fn, source } = compileCondition(dag, TEST_ENV);
  const records = input.verbs.map((verb) => testRecord({ auditID: 'x', verb }));
  return {
    sourceLength: source.length,
    compiled: records.map((r) => fn(r)),
    interpreted: input.interpret ? records.map((r) => interpretCondition(dag, r, TEST_ENV)) : [],
  };
}
