import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageRepository } from '../../src/fields/container-extract.ts';
import { parseJsonPointer } from '../../src/fields/json-fields.ts';
import { compilePath } from '../../src/fields/path.ts';
import { readQueryParam, unescapeQuery } from '../../src/fields/query-param.ts';
import { renderArray, renderValue } from '../../src/fields/render.ts';
import { editDistance, suggestName } from '../../src/fields/suggest.ts';

test('renderValue() keeps strings raw and renders the rest as compact JSON', () => {
  assert.equal(renderValue('a "b"'), 'a "b"');
  assert.equal(renderValue(201), '201');
  assert.equal(renderValue(false), 'false');
  assert.equal(renderValue(null), 'null');
  assert.equal(renderValue({ a: [1, { b: 'c' }] }), '{"a":[1,{"b":"c"}]}');
  assert.equal(renderValue(undefined), undefined);
});

test('renderArray() renders each element; an empty or non-array value is absent', () => {
  assert.deepEqual(renderArray(['x', 1, true, null]), ['x', '1', 'true', 'null']);
  assert.equal(renderArray([]), undefined);
  assert.equal(renderArray('x'), undefined);
});

test('imageRepository() drops tag and digest but keeps a registry port', () => {
  assert.equal(imageRepository('nginx'), 'nginx');
  assert.equal(imageRepository('nginx:1.27'), 'nginx');
  assert.equal(imageRepository('falcosecurity/falco:0.38.0'), 'falcosecurity/falco');
  assert.equal(imageRepository('registry:5000/app:1'), 'registry:5000/app');
  assert.equal(imageRepository('registry:5000/app'), 'registry:5000/app');
  assert.equal(imageRepository('nginx@sha256:0123abcd'), 'nginx');
  assert.equal(imageRepository('r.example:443/team/app:2@sha256:ff'), 'r.example:443/team/app');
});

test('readQueryParam() decodes the first value of a parameter', () => {
  assert.equal(readQueryParam('/x?command=bash&command=-c', 'command'), 'bash');
  assert.equal(readQueryParam('/x?a=1&&b=%2Ftmp%2Fx', 'b'), '/tmp/x');
  assert.equal(readQueryParam('/x?flag', 'flag'), '');
  assert.equal(readQueryParam('/x?a%20b=c+d', 'a b'), 'c d');
  assert.equal(readQueryParam('/x?a=1', 'b'), undefined);
  assert.equal(readQueryParam('/x', 'a'), undefined);
});

test('readQueryParam() yields nothing for a URI Go would reject', () => {
  assert.equal(readQueryParam('/x?a=1&b=%G1', 'a'), undefined);
  assert.equal(readQueryParam('/x?a=1;b=2', 'a'), undefined);
  assert.equal(readQueryParam('/x%zz/y?a=1', 'a'), undefined);
  assert.equal(readQueryParam('/x?a=1\nb', 'a'), undefined);
});

test('unescapeQuery() decodes UTF-8 bytes and rejects short escapes', () => {
  assert.equal(unescapeQuery('%E2%9C%93', true), '✓');
  assert.equal(unescapeQuery('€+x', true), '€ x');
  assert.equal(unescapeQuery('a+b', false), 'a+b');
  assert.equal(unescapeQuery('%4', true), undefined);
});

test('parseJsonPointer() follows RFC 6901 with an optional leading slash', () => {
  assert.deepEqual(parseJsonPointer('/a/b'), ['a', 'b']);
  assert.deepEqual(parseJsonPointer('a/b'), ['a', 'b']);
  assert.deepEqual(parseJsonPointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
  assert.deepEqual(parseJsonPointer('/'), []);
  assert.deepEqual(parseJsonPointer(''), []);
  assert.deepEqual(parseJsonPointer('/a//b'), ['a', '', 'b']);
});

test('compilePath() reads objects and arrays, never the prototype', () => {
  const doc = JSON.parse('{"a":{"b":[{"c":1}]},"__proto__":{"x":2},"k":{"":3}}') as unknown;
  assert.equal(compilePath(['a', 'b', '0', 'c'])(doc), 1);
  assert.equal(compilePath(['a', 'b', '1', 'c'])(doc), undefined);
  assert.equal(compilePath(['a', 'b', 'length'])(doc), undefined);
  assert.equal(compilePath(['a', 'toString'])(doc), undefined);
  assert.deepEqual(compilePath(['__proto__'])(doc), { x: 2 });
  assert.equal(compilePath(['k', ''])(doc), 3);
  assert.equal(compilePath(['a', 'b', '0', 'c', 'd', 'e', 'f'])(doc), undefined);
  assert.equal(compilePath([])(doc), doc);
});

test('compilePath() embeds hostile keys as literals, never as code', () => {
  const keys = [
    '"]; throw new Error("x"); //',
    "'+process.exit(1)+'",
    '\u2028',
    '</script>',
    ['`$', '{x}`'].join(''),
  ];
  for (const k of keys) {
    const doc = JSON.parse(JSON.stringify({ [k]: { [k]: 'ok' } })) as unknown;
    assert.equal(compilePath([k, k])(doc), 'ok', k);
  }
});

test('renderValue() spells numbers as JSON does', () => {
  for (const n of [0, -0, 1.5, -12, 1e21, 1e-7, 2 ** 53 + 2]) {
    assert.equal(renderValue(n), JSON.stringify(n));
  }
});

test('editDistance() counts a transposition as one edit', () => {
  assert.equal(editDistance('ka.verb', 'ka.verb', 2), 0);
  assert.equal(editDistance('ka.vreb', 'ka.verb', 2), 1);
  assert.equal(editDistance('ka.vb', 'ka.verb', 2), 2);
  assert.equal(editDistance('ka', 'ka.verb', 2), 3);
});

test('suggestName() prefers the nearest, then a longer name, then a parent name', () => {
  const names = ['ka.verb', 'ka.user.name', 'ka.user.groups', 'jevt.value'];
  assert.equal(suggestName('ka.vreb', names), 'ka.verb');
  assert.equal(suggestName('ka.user', names), 'ka.user.name');
  assert.equal(suggestName('jevt.value.x.y', names), 'jevt.value');
  assert.equal(suggestName('k', names), undefined);
});
