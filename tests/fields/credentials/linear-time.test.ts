import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  readCredentialScanCounters,
  scanRequestObject,
} from '../../../src/fields/credentials/index.ts';

/*
 * Every scanner runs on attacker-controlled text. For each hostile shape, scanning an
 * input 8x as large once must cost at most 3x the CPU time of scanning the small input 8
 * times: 1x for a linear scan, 8x for a quadratic one. CPU time (not wall time) of the
 * best of several rounds, so that other processes on a shared machine do not count; no
 * absolute time is asserted.
 */

const SMALL = 32 * 1024;
const GROWTH = 8;
const MAX_RATIO = 3;

/** CPU microseconds of scanning `obj` `times` times, best of `rounds`. */
function cpuTime(obj: unknown, times: number, rounds = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < times; i++) scanRequestObject(obj);
    const used = process.cpuUsage(before);
    best = Math.min(best, used.user + used.system);
  }
  return best;
}

/**
 * CPU time of one scan of the large input over that of 8 scans of the small one. A ratio
 * over the limit is measured again (up to 3 times, the best counts): a collector's pause
 * or a loaded machine can slow one measurement, superlinear work stays over every time.
 */
function growthRatio(at: (size: number) => unknown, small: number): number {
  const s = at(small);
  const l = at(small * GROWTH);
  cpuTime(s, GROWTH, 2); // warm up the JIT
  cpuTime(l, 1, 1);
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= MAX_RATIO; attempt++) {
    best = Math.min(best, cpuTime(l, 1) / Math.max(1, cpuTime(s, GROWTH)));
  }
  return best;
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

// Texts that keep each scanner's anchors firing: prefixes without a valid body, bodies
// without an end, keys without values, JSON that almost parses.
const HOSTILE_TEXTS: Readonly<Record<string, string>> = {
  'token prefixes': 'ghp_AKIAsk-proj-xoxb-SG.npm_glpat-',
  'a prefix with a maximal run': `pypi-AgEIcHlwaS5vcmc${'A'.repeat(600)}`,
  'one long token run': 'aB3-',
  'JWT starts': 'eyJ',
  'JWT-like runs': 'eyJhbGciOiJIUzI1NiJ9.eyJ.',
  'URL schemes': 'a://b:',
  'URL userinfo without @': 'https://user:pass',
  'DSN anchors': 'x:@tcp(',
  'PEM headers without END': '-----BEGIN PRIVATE KEY-----',
  'PEM begins without label end': '-----BEGIN ',
  'encoded PEM starts': 'LS0tLS1CRUdJTi',
  'telegram anchors': '1234567890:AA',
  'azure secret anchors': 'ab1Q~',
  'SAS signatures without sv=': `sig=${'A'.repeat(43)} `,
  'assignment keys': 'password=',
  'quoted assignment values': 'secret: "',
  'long unquoted values': `token=${'x'.repeat(300)} `,
  'credential words': 'passpwdsecrettokenkeyauth',
  'service-account JSON': '"type": "service_account", "private_key"',
  'base64 text': Buffer.from('token: ghp_x\n'.repeat(50)).toString('base64'),
};

describe('scanning time on hostile input', () => {
  for (const [name, unit] of Object.entries(HOSTILE_TEXTS)) {
    test(`${name}: 8x the text costs at most ${MAX_RATIO}x eight small scans`, () => {
      const ratio = growthRatio((size) => ({ data: { v: fill(unit, size) } }), SMALL);
      assert.ok(ratio < MAX_RATIO, `${name}: ${ratio.toFixed(2)}x`);
    });
  }

  test(`many credential-named keys: 8x the keys cost at most ${MAX_RATIO}x eight small scans`, () => {
    const ratio = growthRatio((n) => {
      const data: Record<string, string> = {};
      for (let i = 0; i < n; i++) data[`DB_PASSWORD_${i}`] = `\${VAR_${i}}`;
      return { data };
    }, 512);
    assert.ok(ratio < MAX_RATIO, `${ratio.toFixed(2)}x`);
  });

  test('text past the budget is not read, and the scan says it stopped', () => {
    const before = readCredentialScanCounters();
    const big = `${'x'.repeat(1.5 * 1024 * 1024)} ghp_${'a1B2'.repeat(9)}`;
    const scan = scanRequestObject({ data: { a: 'ok', b: big } });
    assert.equal(scan.truncated, true);
    assert.deepEqual(scan.entries, []);
    const after = readCredentialScanCounters();
    assert.equal(after.truncated, before.truncated + 1);
    assert.equal(after.scanned, before.scanned + 1);
    // What lies within the budget is still reported, the scan still marked as stopped.
    const early = scanRequestObject({ data: { b: `ghp_${'a1B2'.repeat(9)} ${big}` } });
    assert.deepEqual([early.truncated, early.kinds], [true, ['github-token']]);
    // Within the budget the same token is found, and the scan is complete.
    const small = scanRequestObject({ data: { b: big.slice(big.length - 200) } });
    assert.deepEqual([small.truncated, small.kinds], [false, ['github-token']]);
  });

  test('the scan stops at its node and finding limits', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 150_000; i++) wide[`k${i}`] = i;
    assert.equal(scanRequestObject({ spec: wide }).truncated, true);
    const many: Record<string, string> = {};
    for (let i = 0; i < 100; i++) many[`k${i}`] = `ghp_${'a1B2'.repeat(9)}`;
    const scan = scanRequestObject({ data: many });
    assert.deepEqual([scan.truncated, scan.findings.length], [true, 64]);
  });
});
