// The webhook reads a pure-ASCII body as Latin-1 (a plain copy) and any other as UTF-8:
// both must give exactly the string UTF-8 decoding gives, bad bytes as U+FFFD.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyText } from '../../../src/server/webhook/read-body.ts';

test('an ASCII body reads as its UTF-8 decoding', () => {
  const body = Buffer.from('{"kind":"EventList","items":[{"user":{"username":"a\\u00e9"}}]}');
  assert.equal(bodyText(body), body.toString('utf8'));
});

test('a body with UTF-8 beyond ASCII keeps its characters (not read as Latin-1)', () => {
  const body = Buffer.from('{"user":"zoë 用户"}', 'utf8');
  assert.equal(bodyText(body), '{"user":"zoë 用户"}');
});

test('invalid UTF-8 becomes U+FFFD, as the apiserver reads it', () => {
  const body = Buffer.concat([
    Buffer.from('{"a":"x'),
    Buffer.from([0xff, 0xc3]),
    Buffer.from('"}'),
  ]);
  assert.equal(bodyText(body), '{"a":"x\ufffd\ufffd"}');
});
