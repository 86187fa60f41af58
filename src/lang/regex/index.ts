export { compileRegex, type RegexMatcher } from './compile.ts';
export { parseRegex, type RegexNode, RegexSyntaxError } from './parse.ts';
