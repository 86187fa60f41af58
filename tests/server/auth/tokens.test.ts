import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createSessionCodec,
  createTokenSet,
  generateToken,
  loadOrCreateSessionSecret,
  loadTokens,
  parseTokenFile,
  parseTokenList,
} from '../../../src/server/auth/index.ts';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';

describe('token file and KAUDIT_API_TOKENS', () => {
  it('parseTokenFile() reads TOKEN ROLE lines with comments and blank lines', () => {
    const text = `# tokens\n${A} admin\n\n  ${B}   read   # the UI team\n`;
    assert.deepEqual(parseTokenFile(text), [
      { token: A, role: 'admin' },
      { token: B, role: 'read' },
    ]);
  });

  it('parseTokenFile() names the line of a bad entry', () => {
    assert.throws(() => parseTokenFile(`${A} admin\n${B}\n`, 'tokens.txt'), {
      code: 'bad_token_line',
      message: /^tokens\.txt:2:/,
    });
    assert.throws(() => parseTokenFile(`${A} root\n`, 'f'), { code: 'bad_role', message: /^f:1:/ });
    assert.throws(() => parseTokenFile('short admin\n', 'f'), { code: 'short_token' });
  });

  it('parseTokenList() reads tok:role items; a token may hold colons', () => {
    assert.deepEqual(parseTokenList(`${A}:admin, x:y:${B}:read`), [
      { token: A, role: 'admin' },
      { token: `x:y:${B}`, role: 'read' },
    ]);
    assert.throws(() => parseTokenList(`${A}`), { code: 'bad_token_line' });
  });

  it('loadTokens() joins file and environment, and refuses to run with no token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaudit-tokens-'));
    try {
      const file = join(dir, 'tokens');
      writeFileSync(file, `${A} read\n`);
      assert.deepEqual(
        loadTokens({ file, env: `${B}:admin` }).map((t) => t.role),
        ['read', 'admin'],
      );
      assert.throws(() => loadTokens({}), { code: 'no_tokens' });
      assert.throws(() => loadTokens({ env: ' ' }), { code: 'no_tokens' });
      assert.throws(() => loadTokens({ file: join(dir, 'missing') }), { code: 'unreadable' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('createTokenSet() gives each token its role, and none to near misses', () => {
    const set = createTokenSet(
      [
        { token: A, role: 'admin' },
        { token: B, role: 'read' },
      ],
      randomBytes(32),
    );
    assert.equal(set.roleOf(A), 'admin');
    assert.equal(set.roleOf(B), 'read');
    for (const miss of [`${A}a`, A.slice(1), A.toUpperCase(), '', `${A}\n`])
      assert.equal(set.roleOf(miss), undefined);
    assert.equal(set.roleOfFingerprint(set.fingerprintOf(B)), 'read');
    assert.equal(set.roleOfFingerprint(set.fingerprintOf('unknown-token-xxxxxxx')), undefined);
    assert.notEqual(set.fingerprintOf(A), A);
  });

  it('generateToken() makes long random tokens', () => {
    const t = generateToken();
    assert.ok(t.length >= 40);
    assert.notEqual(t, generateToken());
  });
});

describe('session cookies', () => {
  it('verify() accepts its own values until they expire or are revoked', () => {
    const c = createSessionCodec(randomBytes(32), 60_000);
    const v = c.issue('fp', 1_000_000);
    assert.equal(c.verify(v, 1_000_000), 'fp');
    assert.equal(c.verify(v, 1_000_000 + 61_000), undefined, 'expired');
    const other = createSessionCodec(randomBytes(32), 60_000);
    assert.equal(other.verify(v, 1_000_000), undefined, 'another secret');
    c.revoke(v, 1_000_000);
    assert.equal(c.verify(v, 1_000_000), undefined, 'revoked');
  });

  it('loadOrCreateSessionSecret() keeps one secret per data directory, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaudit-secret-'));
    try {
      const a = loadOrCreateSessionSecret(dir);
      const b = loadOrCreateSessionSecret(dir);
      assert.ok(a.equals(b));
      assert.equal(a.length, 32);
      assert.equal(statSync(join(dir, 'session.key')).mode & 0o777, 0o600);
      writeFileSync(join(dir, 'session.key'), 'short');
      assert.notEqual(loadOrCreateSessionSecret(dir).toString('hex'), 'short');
      assert.ok(readFileSync(join(dir, 'session.key'), 'utf8').length > 40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
