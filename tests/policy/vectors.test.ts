import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { evaluatePolicy, type PolicyRequest } from '../../src/policy/checker.ts';
import { readPolicy } from '../../src/policy/read.ts';
import type { Policy } from '../../src/policy/types.ts';
import { formatFieldError, validatePolicy } from '../../src/policy/validate.ts';
import { HAS_SHARED, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

interface Vector {
  readonly name: string;
  readonly [k: string]: unknown;
}

function loadVectors(file: string): Vector[] {
  if (!HAS_SHARED) return [];
  return JSON.parse(readFileSync(sharedFixture('kubernetes', file), 'utf8')) as Vector[];
}

interface VectorRequest {
  readonly user: { readonly username: string; readonly groups: string[] } | null;
  readonly verb: string;
  readonly isResourceRequest: boolean;
  readonly namespace: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  readonly path: string;
}

function toRequest(r: VectorRequest): PolicyRequest {
  return {
    ...(r.user === null ? {} : { user: { name: r.user.username, groups: r.user.groups } }),
    verb: r.verb,
    isResourceRequest: r.isResourceRequest,
    namespace: r.namespace,
    apiGroup: r.apiGroup,
    resource: r.resource,
    subresource: r.subresource,
    name: r.name,
    path: r.path,
  };
}

// Zero values are equal to absent keys (README "Compare after treating a missing key as its zero value").
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined && n !== '' && n !== false) out[k] = n;
    }
    return out;
  }
  return v;
}

describe('policy checker vectors', { skip: SHARED_SKIP }, () => {
  const vectors = loadVectors('policy-checker-vectors.json');
  test('evaluatePolicy() vectors file holds 115 cases', () => assert.equal(vectors.length, 115));
  for (const v of vectors) {
    test(`evaluatePolicy() ${v.name}`, () => {
      const expected = v.expected as {
        level: string;
        omitStages: string[];
        omitManagedFields: boolean;
      };
      const got = evaluatePolicy(v.policy as Policy, toRequest(v.request as VectorRequest));
      assert.equal(got.level, expected.level);
      assert.equal(got.omitManagedFields, expected.omitManagedFields);
      assert.deepEqual(new Set(got.omitStages), new Set(expected.omitStages));
      if (v.omitStagesDistinct === true) {
        assert.equal(new Set(got.omitStages).size, got.omitStages.length);
      }
    });
  }
});

describe('policy validation vectors', { skip: SHARED_SKIP }, () => {
  const vectors = loadVectors('policy-validation-vectors.json');
  test('validatePolicy() vectors file holds 31 cases', () => assert.equal(vectors.length, 31));
  for (const v of vectors) {
    test(`validatePolicy() ${v.name}`, () => {
      const raw = v.policy as Partial<Policy>;
      const errors = validatePolicy({ ...raw, rules: raw.rules ?? [] });
      assert.equal(errors.length === 0, v.valid);
      const text = errors.map(formatFieldError).join('\n');
      for (const s of (v.errorContains as string[] | undefined) ?? []) {
        assert.ok(text.includes(s), `missing ${JSON.stringify(s)} in:\n${text}`);
      }
      const want = v.errors as
        | { field: string; type: string; value?: unknown; detailContains: string }[]
        | undefined;
      if (want === undefined) return;
      assert.deepEqual(
        errors.map((e) => [e.field, e.type]),
        want.map((e) => [e.field, e.type]),
      );
      want.forEach((w, i) => {
        const e = errors[i];
        assert.ok(e !== undefined);
        if ('value' in w) assert.deepEqual(e.value, w.value);
        assert.ok(formatFieldError(e).includes(w.detailContains));
      });
    });
  }
});

describe('policy reader vectors', { skip: SHARED_SKIP }, () => {
  const vectors = loadVectors('policy-reader-vectors.json');
  test('readPolicy() vectors file holds 13 cases', () => assert.equal(vectors.length, 13));
  for (const v of vectors) {
    test(`readPolicy() ${v.name}`, () => {
      const r = readPolicy(v.yaml as string, 'policy.yaml');
      assert.equal(r.ok, v.ok, JSON.stringify(r.errors));
      if (!r.ok) {
        const text = r.errors.map((e) => e.message).join('\n');
        for (const s of (v.errorContains as string[] | undefined) ?? []) {
          assert.ok(text.includes(s), `missing ${JSON.stringify(s)} in:\n${text}`);
        }
        for (const e of r.errors) assert.ok(e.position.line >= 1 && e.position.column >= 1);
        return;
      }
      const warnings = r.warnings.map((w) => w.message);
      const want = v.warnings as string[] | undefined;
      if (want !== undefined && want.length === 0) assert.deepEqual(warnings, []);
      for (const s of want ?? []) assert.ok(warnings.includes(s), `missing warning ${s}`);
      if (v.expectedPolicy !== undefined) {
        const p = r.policy as Policy;
        const exp = v.expectedPolicy as Record<string, unknown>;
        assert.deepEqual(
          normalize({
            rules: p.rules,
            omitStages: p.omitStages,
            omitManagedFields: p.omitManagedFields,
          }),
          normalize({
            rules: exp.rules,
            omitStages: exp.omitStages,
            omitManagedFields: exp.omitManagedFields,
          }),
        );
      }
    });
  }
});
