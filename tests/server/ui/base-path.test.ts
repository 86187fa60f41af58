import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BasePathError, normalizeBasePath, renderIndexHtml } from '../../../src/server/ui/index.ts';

test('normalizeBasePath() accepts plain paths in their usual spellings', () => {
  assert.equal(normalizeBasePath(''), '');
  assert.equal(normalizeBasePath('/'), '');
  assert.equal(normalizeBasePath('/kaudit/'), '/kaudit');
  assert.equal(normalizeBasePath('kaudit'), '/kaudit');
  assert.equal(normalizeBasePath('/a/b.c/~d'), '/a/b.c/~d');
});

test('normalizeBasePath() rejects what is not a path of this origin', () => {
  for (const bad of [
    '//evil.example/x',
    '/a/../b',
    '/./a',
    '/a b',
    '/a?x=1',
    '/a#f',
    '/"x',
    '/<x>',
    '/a\\b',
  ]) {
    assert.throws(
      () => normalizeBasePath(bad),
      (e: unknown) => e instanceof BasePathError && e.code === 'invalid_base_path',
      bad,
    );
  }
});

test('renderIndexHtml() escapes the base for an attribute', () => {
  assert.equal(
    renderIndexHtml('<meta content="{{base}}"><a href="{{base}}/x">', `/a'&"<`),
    '<meta content="/a&#39;&#38;&#34;&#60;"><a href="/a&#39;&#38;&#34;&#60;/x">',
  );
});
