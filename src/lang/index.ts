export type * from './ast.ts';
export { type CheckEnv, checkExpr } from './check.ts';
export {
  type CodegenScope,
  type CompiledCondition,
  type CompileEnv,
  compileCondition,
  createCodegenScope,
} from './compile.ts';
export { ConditionError, type ConditionErrorReason, formatCaret } from './errors.ts';
export {
  type DecidingPart,
  decidingParts,
  EXPLAIN_LIMITS,
  type ExplainedField,
  type ExplainedNode,
  explainCondition,
  type PartResult,
} from './explain.ts';
export { compileGlob } from './glob.ts';
export { interpretCondition } from './interpret.ts';
export { listMutants, type Mutant, type MutationKind } from './mutate.ts';
export {
  type CompiledOutput,
  compileOutputFormat,
  compileOutputGetters,
  type OutputSegment,
  parseOutputFormat,
} from './output-format.ts';
export { type JsonFieldKind, jsonKindOf } from './output-json.ts';
export { type ParseOptions, parseCondition } from './parser.ts';
export { type PrintOptions, printExpr, printOperand } from './print.ts';
export { applyTransformer, TRANSFORMER_NAMES } from './transformers.ts';
