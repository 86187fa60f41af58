import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { scanRequestObject } from '../../../src/fields/credentials/index.ts';
import { TOKEN_FORMATS } from '../../../src/fields/credentials/token-formats.ts';
import { scanValue } from './helpers.ts';
import { B62, SAMPLES } from './samples.ts';

const PUBLIC_PREFIXES = [
  '',
  'eyJ',
  ...TOKEN_FORMATS.flatMap((f) => f.prefixes),
  ...['EC ', 'RSA ', 'OPENSSH ', ''].map((t) => `-----BEGIN ${t}PRIVATE KEY-----`),
];
// kind@place, a public prefix, the ellipsis, at most 4 token characters, the length.
const PREVIEW = /^([a-z0-9-]+)@(\S+) (.*)…([A-Za-z0-9+/=_.~-]{0,4}) \((\d+) chars\)$/;

function assertMasked(preview: string): void {
  const m = PREVIEW.exec(preview);
  assert.ok(m, `preview shape: ${preview}`);
  assert.ok(PUBLIC_PREFIXES.includes(m[3] as string), `shown prefix: ${preview}`);
}

describe('previews', () => {
  test('every sample is shown as kind@place, a public prefix, at most 4 characters and its length', () => {
    for (const s of SAMPLES) {
      const scan = scanValue(s.value, s.key);
      assert.ok(scan.previews.length > 0, s.kind);
      for (const p of scan.previews) assertMasked(p);
    }
  });

  test('the shapes of the brief: AKIA…WXYZ (20 chars), nothing of a password', () => {
    assert.deepEqual(scanValue('AKIAIOSFODNN7EXAMPLE', 'k').previews, [
      'aws-access-key-id@data.k AKIA…MPLE (20 chars)',
    ]);
    assert.deepEqual(scanValue('Tr0ub4dor&3xyzwvutsrqp', 'DB_PASSWORD').previews, [
      'password@data.DB_PASSWORD … (22 chars)',
    ]);
  });

  test('no more than the last 4 characters of a random token are shown, and none of a short one', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...B62), minLength: 20, maxLength: 120 }),
        (body) => {
          const token = `ghp_${body.slice(0, 36).padEnd(36, 'Q')}`;
          const [p] = scanValue(`x ${token} y`).previews;
          assert.equal(p, `github-token@data.CONFIG ghp_…${token.slice(-4)} (40 chars)`);
        },
      ),
    );
    // 12 hidden characters: not enough to show any.
    assert.match(
      scanValue(`api_key = ${'Ab3d'.repeat(3)}`, 'x').previews[0] as string,
      /secret@data\.x … \(12 chars\)$/,
    );
  });

  test('nothing of a value under a password key is ever shown, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 100 }), (pw) => {
        const env = [{ name: 'DB_PASSWORD', value: pw }];
        const scan = scanRequestObject({ spec: { containers: [{ name: 'app', env }] } });
        for (const p of scan.previews) {
          assert.match(
            p,
            /^[a-z0-9-]+@containers\[app\]\.env\[DB_PASSWORD\](?:\(base64\)|:\S*)? (?:[A-Za-z_.-]*|eyJ|-----BEGIN [A-Z ]*PRIVATE KEY-----)…[A-Za-z0-9+/=_.~-]{0,4} \(\d+ chars\)$/,
          );
          if (p.startsWith('password@')) assert.ok(p.includes(' … ('), p);
        }
      }),
    );
  });
});
