import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRng } from '../../bench/gen/prng.ts';
import { generateEvents } from '../../bench/generate.ts';
import { QUERY_FILTERS } from '../../bench/suites/query.ts';
import { createDecoder } from '../../src/events/index.ts';
import { createLineSkipper, createLiteralFilter } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import type { Expr } from '../../src/lang/ast.ts';
import { interpretCondition, parseCondition } from '../../src/lang/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';
import { serializeVariant } from './helpers/json-variants.ts';

const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };

test('createLiteralFilter() needs one pinned value of every pinned field', () => {
  const f = createLiteralFilter([
    parseCondition('ka.verb in (create, delete) and ka.target.resource = namespaces'),
  ]);
  assert.ok(f);
  assert.equal(f('{"verb":"create","objectRef":{"resource":"namespaces"}}'), true);
  assert.equal(f('{"verb":"get","objectRef":{"resource":"namespaces"}}'), false);
  assert.equal(f('{"verb":"delete","objectRef":{"resource":"pods"}}'), false);
  // An escape could spell the value: the line must go on to a real parse.
  assert.equal(f('{"verb":"cr\\u0065ate","objectRef":{"resource":"namespaces"}}'), true);
  // A key of the same text is not a value: `"namespaces":` alone does not count.
  assert.equal(
    f('{"verb":"create","objectRef":{"resource":"pods"},"x":{"namespaces" : 1}}'),
    false,
  );
  // Go's own escapes (&, <, >) cannot spell a plain token: the test still applies.
  assert.equal(
    f('{"verb":"get","requestURI":"/api?a=1\\u0026b=2","objectRef":{"resource":"namespaces"}}'),
    false,
  );
});

test('createLiteralFilter() finds short tokens from their rarest character, keys aside', () => {
  const f = createLiteralFilter([parseCondition('ka.target.subresource in (exec, attach)')]);
  assert.ok(f);
  assert.equal(f('{"objectRef":{"subresource":"exec"}}'), true);
  assert.equal(f('{"objectRef":{"subresource":"attach"}}'), true);
  // `x` all over the line, never in a quoted "exec" value.
  assert.equal(f('{"x":"xexec","exec":{"command":["exec x"]},"y":"execx"}'), false);
  // A key first, then the value: the value counts.
  assert.equal(f('{"exec":{},"objectRef":{"subresource":"exec"}}'), true);
  assert.equal(f('{"subresource" : "exec" }'), true);
  assert.equal(f('"exec"'), true);
  assert.equal(f('"exec" :'), false);
});

test('createLiteralFilter() gives up on values it cannot search verbatim', () => {
  assert.equal(createLiteralFilter([parseCondition('ka.verb != create')]), undefined);
  assert.equal(createLiteralFilter([parseCondition('ka.user.name = "a<b"')]), undefined);
  assert.equal(createLiteralFilter([parseCondition('ka.response.code = 200')]), undefined);
  // One unsearchable condition among several means any line may match.
  assert.equal(
    createLiteralFilter([
      parseCondition('ka.verb = create'),
      parseCondition('ka.user.name exists'),
    ]),
    undefined,
  );
});

function corpus(): string[] {
  const lines = [...generateEvents({ mix: 'busy', events: 3000, seed: 11, attackShare: 0.1 })];
  const random = createRng(5).next;
  const variants = lines.slice(0, 1500).map((l) =>
    serializeVariant(JSON.parse(l) as unknown, {
      random,
      shuffle: random() < 0.5,
      whitespace: random() < 0.5,
      escapes: random() < 0.5,
      duplicates: random() < 0.5,
    }),
  );
  return [...lines, ...variants];
}

/** Every line the skipper drops must be a line on which no condition is true. */
function assertSound(
  conditions: readonly { name: string; expr: Expr }[],
  lines: readonly string[],
): number {
  const decoder = createDecoder({});
  const skipper = createLineSkipper(
    conditions.map((c) => c.expr),
    env,
    { literals: true },
  );
  assert.ok(skipper);
  let skipped = 0;
  lines.forEach((line, i) => {
    if (!skipper(line)) return;
    skipped++;
    for (const rec of decoder.decodeLine(line, 'corpus', i + 1)) {
      for (const c of conditions) {
        assert.equal(
          interpretCondition(c.expr, rec, env),
          false,
          `${c.name} matches skipped line ${i + 1}`,
        );
      }
    }
  });
  return skipped;
}

test('the line skipper never drops a line a query matches (the six jq filters)', () => {
  const lines = corpus();
  for (const f of QUERY_FILTERS) {
    const expr = parseCondition(f.condition);
    const skipped = assertSound([{ name: f.name, expr }], lines);
    assert.ok(skipped > lines.length / 2, `${f.name}: skipped only ${skipped}`);
    // The literal test itself, not only the header scan, must be doing the dropping.
    const literal = createLiteralFilter([expr]);
    assert.ok(literal, f.name);
    const byLiteral = lines.filter((l) => l.startsWith('{"kind":"Event"') && !literal(l)).length;
    assert.ok(byLiteral > lines.length / 3, `${f.name}: literals dropped only ${byLiteral}`);
  }
});

test("the line skipper never drops a line one of Falco's rules matches", {
  skip: SHARED_SKIP,
}, () => {
  const path = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
  const r = loadRules([{ name: path, content: readFileSync(path, 'utf8') }]);
  const rules = r.rules.filter((x) => x.enabled && x.source === 'k8s_audit');
  assertSound(
    rules.map((x) => ({ name: x.name, expr: x.condition })),
    corpus(),
  );
});
