import fc from 'fast-check';
import {
  anchorBomb,
  deepCondition,
  exceptionAnchorBomb,
  macroDoubling,
  ruleItem,
} from './hostile-rules.ts';

// Arbitraries for rules files: well-formed items in random order and combinations (so
// lists, macros and rules refer to each other, forward and back), hostile shapes at
// small scale (alias and macro bombs, lists of lists, deep nesting) and YAML that is not
// a rules file at all.

const LISTS = ['l0', 'l1', 'l2', 'l3'];
const MACROS = ['m0', 'm1', 'm2', 'm3', 'm4'];
const FIELDS = [
  'ka.verb',
  'ka.user.name',
  'ka.uri',
  'ka.target.resource',
  'ka.req.pod.containers.image',
  'ka.user.groups',
  'jevt.value[/verb]',
  'tolower(ka.user.name)',
  'ka.nope',
];
const OPERATORS = [
  '=',
  '!=',
  'in',
  'intersects',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'glob',
  'iglob',
  'pmatch',
  'regex',
  '<',
  '>=',
];

// Pattern text as users (and attackers) write it: regex and glob syntax, RE2 rejects,
// unbalanced brackets, quotes, list and macro names.
const word = fc.oneof(
  fc.constantFrom(
    'get',
    'list',
    'system:admin',
    '(a+)+$',
    '[[:alpha:]]+',
    '\\pL',
    '(a)\\1',
    '*/exec*',
    '[a-',
    '/api/*',
    'x?y',
    '"q r"',
    "'s'",
    'l1',
    'm2',
    '',
  ),
  fc.string({
    unit: fc.constantFrom(
      'a',
      '*',
      '?',
      '[',
      ']',
      '(',
      ')',
      '\\',
      '.',
      '+',
      '^',
      '$',
      '|',
      '{',
      '}',
      ' ',
      ',',
    ),
    maxLength: 12,
  }),
);

// A value in a condition: bare when it reads as one word, else quoted (and sometimes
// raw anyway, which the parser must refuse with a position).
const value = fc.oneof(
  { arbitrary: word.map((w) => (/^[\w:/.*-]+$/.test(w) ? w : JSON.stringify(w))), weight: 6 },
  { arbitrary: fc.constantFrom(...LISTS), weight: 2 },
  { arbitrary: word, weight: 1 },
);

const valueList = fc.array(value, { maxLength: 4 }).map((ws) => `(${ws.join(', ')})`);

// Comparisons mostly get numbers (a field of numbers exists too), so that they load.
const numeric = fc.oneof(
  { arbitrary: fc.integer({ min: -1, max: 600 }).map(String), weight: 4 },
  { arbitrary: value, weight: 1 },
);

// Set operators mostly get a set, the others mostly a value (either way round is an
// error to report with its position, but rules must load often enough to run).
const operand = (op: string): fc.Arbitrary<string> =>
  op === '<' || op === '>='
    ? numeric
    : op === 'in' || op === 'intersects' || op === 'pmatch'
      ? fc.oneof({ arbitrary: valueList, weight: 4 }, { arbitrary: value, weight: 1 })
      : fc.oneof({ arbitrary: value, weight: 6 }, { arbitrary: valueList, weight: 1 });

const check = fc
  .tuple(fc.constantFrom(...FIELDS, 'ka.response.code'), fc.constantFrom(...OPERATORS))
  .chain(([f, op]) => operand(op).map((v) => `${f} ${op} ${v}`));

const fixedAtom = fc.constantFrom('ka.verb exists', 'ka.verb in (l0, l1)');

/** A condition over checks and the macros of `macros`, under `and`, `or`, `not`, `()`. */
export function conditionOf(macros: readonly string[], junk: boolean): fc.Arbitrary<string> {
  const atoms: fc.WeightedArbitrary<string>[] = [
    { arbitrary: check, weight: 4 },
    { arbitrary: fixedAtom, weight: 2 },
  ];
  if (macros.length > 0) atoms.push({ arbitrary: fc.constantFrom(...macros), weight: 3 });
  if (junk) atoms.push({ arbitrary: fc.constantFrom('not', 'and', '(', ')'), weight: 1 });
  const atom = fc.oneof(...atoms);
  return fc.letrec<{ cond: string }>((tie) => ({
    cond: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc
        .tuple(tie('cond'), fc.constantFrom('and', 'or'), tie('cond'))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('cond').map((c) => `not ${c}`),
      tie('cond').map((c) => `(${c})`),
    ),
  })).cond;
}

/** Any condition: checks, any macro name (defined or not, before or after), junk tokens. */
export const conditionArb: fc.Arbitrary<string> = conditionOf(MACROS, true);

// Scalars as YAML needs them in a flow or block context: quoted when in doubt.
const quoted = (s: string): string => JSON.stringify(s);

const listItem = fc
  .tuple(
    fc.constantFrom(...LISTS),
    fc.array(fc.oneof(word, fc.constantFrom(...LISTS)), { maxLength: 6 }),
    fc.constantFrom('', '', '', '', '', '  append: true\n', '  override:\n    items: append\n'),
    fc.constantFrom('', '', '', '&x ', '*x'),
  )
  .map(([name, items, extra, anchor]) =>
    anchor === '*x'
      ? `- list: ${name}\n  items: *x\n${extra}`
      : `- list: ${name}\n  items: ${anchor}[${items.map(quoted).join(', ')}]\n${extra}`,
  );

const macroItem = fc
  .tuple(
    fc.constantFrom(...MACROS),
    conditionArb,
    fc.constantFrom('', '', '', '', '  append: true\n'),
  )
  .map(([name, cond, extra]) => `- macro: ${name}\n  condition: ${quoted(cond)}\n${extra}`);

const exceptions = fc.constantFrom(
  '',
  '  exceptions:\n  - name: e\n    fields: [ka.user.name]\n    values: [[alice], [l1]]\n',
  '  exceptions:\n  - name: e\n    fields: ka.verb\n    comps: in\n    values: [get, l0]\n',
  '  exceptions:\n  - name: e\n    fields: [ka.verb, ka.uri]\n    comps: [=, glob]\n    values: [[get, "/a*"]]\n',
);

const ruleEntry = fc
  .tuple(fc.constantFrom('r0', 'r1', 'r2'), conditionArb, exceptions)
  .map(([name, cond, ex]) => `${ruleItem(name, quoted(cond))}${ex}`);

// YAML that is not the shape of a rules file, or not YAML.
const noise = fc.oneof(
  fc.constantFrom(
    '- {}\n',
    '- []\n',
    '- 42\n',
    '- ~\n',
    'foo: bar\n',
    '- rule: r\n  condition: [x]\n',
    '- macro: ~\n',
    '- list: l0\n  items: {a: b}\n',
    '- rule: r\n  desc: d\n',
    '---\n',
    '\t- list: x\n',
    '- list: l0\n  items: [unclosed\n',
    '- *nowhere\n',
    '- &s [*s]\n',
    '- required_engine_version: 99.0.0\n',
    '- required_plugin_versions:\n  - name: k8saudit\n    version: 9.9.9\n',
  ),
  fc.integer({ min: 1, max: 400 }).map((n) => `- ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.string({ maxLength: 40 }).map((s) => `- ${quoted(s)}\n`),
  fc.string({ maxLength: 40 }).map((s) => `${s}\n`),
);

// Hostile shapes, at sizes that keep a run of the suite short.
const bomb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 10 }))
    .map(([l, f]) => anchorBomb(l, f)),
  fc.integer({ min: 4, max: 9 }).map((l) => exceptionAnchorBomb(l, 10)),
  fc.integer({ min: 1, max: 40 }).map((l) => macroDoubling(l)),
  // Deep enough for the parser's and expansion's depth limits at the top of the range;
  // the full nesting limit (where building the engine takes seconds) is in the CLI tests.
  fc.integer({ min: 1, max: 1100 }).map((l) => deepCondition(l < 1000 ? l % 200 : l)),
  fc
    // Up to 10^4 items here: lists of the 10^6 items the limit allows take seconds to
    // build, and lists over it are in the CLI tests.
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10 }))
    .map(([levels, fanout]) => {
      const lines = [`- list: b0\n  items: [${Array(fanout).fill('x').join(', ')}]`];
      for (let i = 1; i <= levels; i++) {
        lines.push(
          `- list: b${i}\n  items: [${Array(fanout)
            .fill(`b${i - 1}`)
            .join(', ')}]`,
        );
      }
      return `${lines.join('\n')}\n${ruleItem('rb', `ka.verb in (b${levels}) or ka.uri in (b${levels})`)}`;
    }),
);

// A file in the order that loads: lists, then macros naming only earlier macros, then
// rules (exceptions and pattern operators can still make an item fail).
const orderedFile = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom(...LISTS),
        fc.array(fc.oneof(word, fc.constantFrom(...LISTS)), { maxLength: 6 }),
      ),
      { maxLength: 4 },
    ),
    fc.integer({ min: 0, max: MACROS.length }),
    fc.array(fc.tuple(conditionOf(MACROS, false), exceptions), { minLength: 1, maxLength: 4 }),
  )
  .chain(([lists, macroCount, rules]) => {
    const names = MACROS.slice(0, macroCount);
    const macros = names.map((_, i) => conditionOf(names.slice(0, i), false));
    return fc.tuple(
      fc.constant(lists),
      fc.tuple(...macros),
      fc.constant(names),
      fc.constant(rules),
    );
  })
  .map(([lists, macroConds, names, rules]) => {
    const out = lists.map(
      ([n, items]) => `- list: ${n}\n  items: [${items.map(quoted).join(', ')}]\n`,
    );
    macroConds.forEach((c, i) => {
      out.push(`- macro: ${names[i]}\n  condition: ${quoted(c)}\n`);
    });
    // Rules name only the macros defined: the others would be undefined, not interesting.
    rules.forEach(([c, ex], i) => {
      const cond = c.replace(/\bm(\d)\b/g, (m, d) =>
        Number(d) < names.length ? m : 'ka.verb = x',
      );
      out.push(`${ruleItem(`o${i}`, quoted(cond))}${ex}`);
    });
    return out.join('');
  });

// Items of every kind in any order, sometimes noise.
const chaoticFile = fc
  .tuple(
    fc.array(
      fc.oneof(
        { arbitrary: listItem, weight: 3 },
        { arbitrary: macroItem, weight: 3 },
        { arbitrary: ruleEntry, weight: 4 },
        { arbitrary: noise, weight: 1 },
      ),
      { maxLength: 10 },
    ),
    fc.option(bomb, { freq: 4 }),
  )
  .map(([items, b]) => `${items.join('')}${b ?? ''}`);

/** A rules file: ordered to load, or items in any order with noise and bombs. */
export const rulesFileArb: fc.Arbitrary<string> = fc.oneof(orderedFile, chaoticFile);
