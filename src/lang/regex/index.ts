export { type RegexMatcher, compileRegex } from './compile.ts';
export { parseRegex, type RegexNode, RegexSyntaxError } from './parse.ts';
