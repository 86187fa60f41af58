import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Charset } from '../../../src/fields/credentials/charsets.ts';
import { TOKEN_FORMATS, type TokenFormat } from '../../../src/fields/credentials/token-formats.ts';
import { kindsOf } from './helpers.ts';

function charsOf(set: Charset): string {
  let s = '';
  for (let c = 0; c < 128; c++) if (set[c] === 1) s += String.fromCharCode(c);
  return s;
}

// A body of `n` characters of the format's set, varied, shaped to pass its check.
function body(f: TokenFormat, n: number): string {
  const chars = charsOf(f.body).replace(/[^A-Za-z0-9]/g, '') || charsOf(f.body);
  let s = '';
  for (let i = 0; i < n; i++) s += chars[(i * 7 + 3) % chars.length];
  const put = (at: number, t: string): string => s.slice(0, at) + t + s.slice(at + t.length);
  if (f.kind === 'sendgrid-key') s = put(22, '.');
  if (f.kind === 'slack-webhook' || f.kind === 'discord-webhook') s = put(10, '/');
  if (f.kind === 'openai-api-key' && f.max === 48) s = put(20, 'T3BlbkFJ');
  return s;
}

const around = (f: TokenFormat, token: string): string =>
  f.context === undefined ? ` ${token} ` : `?${f.context}2022-11-02&x=${token}`;

describe('prefixed token formats', () => {
  for (const f of TOKEN_FORMATS) {
    for (const p of f.prefixes) {
      test(`${f.kind} ${p}: bodies of ${f.min} and ${f.max} characters match`, () => {
        assert.ok(kindsOf(around(f, p + body(f, f.min))).includes(f.kind));
        assert.ok(kindsOf(around(f, p + body(f, f.max))).includes(f.kind));
      });
      test(`${f.kind} ${p}: one character short or long, or glued to a word, does not`, () => {
        assert.ok(!kindsOf(around(f, p + body(f, f.min - 1))).includes(f.kind));
        assert.ok(!kindsOf(around(f, p + body(f, f.max + 1))).includes(f.kind));
        // `xoxe.xoxp-` glued to a word still holds a token: `xoxp-…` after the dot.
        if (!f.prefixes.some((q) => q !== p && p.indexOf(q) > 0)) {
          assert.ok(!kindsOf(around(f, `x${p}${body(f, f.min)}`)).includes(f.kind));
        }
        const outside = [...'zZxX9'].find((c) => f.body[c.charCodeAt(0)] !== 1);
        if (outside !== undefined) {
          assert.ok(!kindsOf(around(f, p + body(f, f.min) + outside)).includes(f.kind));
        }
      });
      if (f.context !== undefined) {
        test(`${f.kind} ${p}: needs ${f.context} in the same value`, () => {
          assert.ok(!kindsOf(` ${p}${body(f, f.min)} `).includes(f.kind));
        });
      }
    }
  }
});
