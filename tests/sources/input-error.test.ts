import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/sources/index.ts';
import { toInputError } from '../../src/sources/input-error.ts';

test('toInputError() maps fs and zlib error codes to InputError codes', () => {
  const cases: [string, InputError['code']][] = [
    ['ENOENT', 'ENOENT'],
    ['ENOTDIR', 'ENOENT'],
    ['EACCES', 'EACCES'],
    ['EPERM', 'EACCES'],
    ['EISDIR', 'EISDIR'],
    ['Z_BUF_ERROR', 'GZIP_TRUNCATED'],
    ['Z_DATA_ERROR', 'GZIP_CORRUPT'],
    ['EIO', 'READ_FAILED'],
  ];
  for (const [code, expected] of cases) {
    const err = toInputError(Object.assign(new Error('x'), { code }), '/var/log/a.log');
    assert.ok(err instanceof InputError);
    assert.equal(err.code, expected, code);
    assert.equal(err.path, '/var/log/a.log');
    assert.ok(err.message.startsWith('/var/log/a.log: '));
  }
});

test('toInputError() keeps an InputError as it is', () => {
  const e = new InputError('GZIP_CORRUPT', 'x.gz');
  assert.equal(toInputError(e, 'other'), e);
});
