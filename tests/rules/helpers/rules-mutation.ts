import fc from 'fast-check';
import { anchorBomb, exceptionAnchorBomb, macroDoubling } from './hostile-rules.ts';

// Mutations of a real rules file (Falco's k8s_audit_rules.yaml in the fuzz suite): the
// file stays mostly itself, so the loader goes deep into real lists, macros, exceptions
// and outputs before it meets the damage. Line positions are taken modulo the file's
// length, so a mutation applies to any file and shrinks towards its first lines.

type Mutation = (lines: string[]) => string[];

const at = (lines: readonly string[], i: number): number => i % Math.max(lines.length, 1);

// Tokens a condition or an item is made of, swapped for one another.
const TOKENS = ['and', 'or', 'not', 'in', '(', ')', '=', ',', ':', '[', ']', '-', '"', "'", '%'];

// Text dropped in at a line: YAML tricks, references to nothing and to everything.
const SNIPPETS = [
  '- list: k8s_audit_stages\n  items: &stages [ResponseComplete]',
  '- list: stage_bomb\n  items: [*stages, *stages, *stages, *stages]',
  '- macro: kevt\n  condition: or kevt\n  append: true',
  '- macro: kget\n  condition: and kcreate\n  append: true',
  '- macro: kcreate\n  condition: or kget\n  append: true',
  '- list: allowed_k8s_users\n  items: [allowed_k8s_users]\n  append: true',
  '- list: allowed_k8s_users\n  items: [k8s_audit_stages, eks_allowed_k8s_users]\n  append: true',
  '- *nowhere',
  '- &loop [*loop]',
  '  condition: kevt and (',
  '  exceptions:\n  - name: x\n    fields: [ka.verb, ka.uri]\n    values: [[get]]',
  '  output: %ka.verb %ka.nope %%%',
  '  priority: LOUD',
  '  source: syscall',
  '  enabled: maybe',
  '\t',
  '---',
  '',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (i): Mutation =>
      (ls) =>
        ls.filter((_, j) => j !== at(ls, i)),
  ),
  fc.nat().map(
    (i): Mutation =>
      (ls) =>
        ls.flatMap((l, j) => (j === at(ls, i) ? [l, l] : [l])),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, k]): Mutation =>
      (ls) => {
        const out = [...ls];
        const [a, b] = [at(ls, i), at(ls, k)];
        [out[a], out[b]] = [ls[b] ?? '', ls[a] ?? ''];
        return out;
      },
  ),
  // The file cut off anywhere, mid-line included.
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Mutation =>
      (ls) => {
        const text = ls.join('\n');
        return text.slice(0, Math.floor(text.length * f)).split('\n');
      },
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...TOKENS), fc.constantFrom(...TOKENS)).map(
    ([i, from, to]): Mutation =>
      (ls) =>
        ls.map((l, j) => (j === at(ls, i) ? l.replace(from, to) : l)),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS)).map(
    ([i, s]): Mutation =>
      (ls) => {
        const out = [...ls];
        out.splice(at(ls, i), 0, ...s.split('\n'));
        return out;
      },
  ),
  // A hostile file appended whole: its items override or join the real ones.
  fc
    .oneof(
      fc.integer({ min: 4, max: 9 }).map((l) => anchorBomb(l, 10)),
      fc
        .integer({ min: 4, max: 9 })
        .map((l) => exceptionAnchorBomb(l, 10).replace('rule: r', 'rule: Disallowed K8s User')),
      fc
        .integer({ min: 10, max: 40 })
        .map((l) => macroDoubling(l).replace(/\bm(\d+)\b/g, 'kevt$1')),
    )
    .map(
      (s): Mutation =>
        (ls) => [...ls, ...s.split('\n')],
    ),
);

/** `text` (a rules file) with one to four mutations applied in turn. */
export function mutatedRulesArb(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  return fc
    .array(mutation, { minLength: 1, maxLength: 4 })
    .map((ms) => ms.reduce((ls, m) => m(ls), lines).join('\n'));
}
