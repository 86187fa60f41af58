import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CREDENTIAL_KINDS } from '../../../src/fields/credentials/index.ts';
import { kindsOf } from './helpers.ts';
import { HARMLESS, SAMPLES } from './samples.ts';

// Kinds judged on a whole value only (its key or its shape): they are not found inside text.
const WHOLE_VALUE_KINDS = new Set([
  'high-entropy',
  'kubernetes-bootstrap-token',
  'discord-bot-token',
  'gcp-service-account-key',
]);

describe('credential catalogue', () => {
  test('every kind has a sample, and every sample names a known kind', () => {
    const sampled = new Set(SAMPLES.map((s) => s.kind));
    assert.deepEqual(
      Object.keys(CREDENTIAL_KINDS).filter((k) => !sampled.has(k)),
      [],
    );
    assert.deepEqual(
      [...sampled].filter((k) => !(k in CREDENTIAL_KINDS)),
      [],
    );
  });

  for (const s of SAMPLES) {
    test(`finds ${s.kind} in ${JSON.stringify(s.value.slice(0, 40))}…`, () => {
      assert.deepEqual(kindsOf(s.value, s.key), [s.kind]);
    });
    if (s.key === undefined && !WHOLE_VALUE_KINDS.has(s.kind)) {
      test(`finds ${s.kind} inside a longer text`, () => {
        assert.deepEqual(kindsOf(`# settings\nvalue: x\n${s.value}\nend: true\n`), [s.kind]);
      });
    }
  }

  for (const [key, value] of HARMLESS) {
    test(`finds nothing in ${key}: ${JSON.stringify(value.slice(0, 50))}`, () => {
      assert.deepEqual(kindsOf(value, key), []);
    });
  }

  test('key names are read whatever their case and separators', () => {
    for (const key of [
      'DB_PASSWORD',
      'dbPassword',
      'db-password',
      'db.password',
      'Password',
      'PASSWD',
    ]) {
      assert.deepEqual(kindsOf('Tr0ub4dor', key), ['password'], key);
    }
    for (const key of [
      'password_file',
      'PASSWORD_MIN_LENGTH',
      'passwordSecretRef',
      'existingPassword',
    ]) {
      assert.deepEqual(kindsOf('Tr0ub4dor', key), [], key);
    }
  });
});
