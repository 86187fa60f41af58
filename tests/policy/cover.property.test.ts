import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { explainRuleMiss, type PolicyRequest } from '../../src/policy/checker.ts';
import { ruleCovers, sameSelectors } from '../../src/policy/cover.ts';
import type { PolicyRule } from '../../src/policy/types.ts';

const sub = <T>(xs: readonly T[]) => fc.subarray([...xs]);

const entry = fc.record(
  {
    group: fc.constantFrom('', 'apps', '*'),
    resources: sub(['pods', 'pods/log', '*', 'pods/*', '*/log', 'deployments']),
    resourceNames: sub(['n1']),
  },
  { requiredKeys: ['group'] },
);

const rule: fc.Arbitrary<PolicyRule> = fc
  .record({
    level: fc.constant('Metadata'),
    users: sub(['a', 'b']),
    userGroups: sub(['g1', 'g2']),
    verbs: sub(['get', 'list', 'create']),
    branch: fc.constantFrom('resource', 'url', 'any'),
    namespaces: sub(['', 'ns1']),
    resources: fc.array(entry, { maxLength: 2 }),
    nonResourceURLs: sub(['/healthz', '/healthz*', '/h*', '*', '/version']),
  })
  .map(({ branch, namespaces, resources, nonResourceURLs, ...rest }) => ({
    ...rest,
    // Valid policies only: resourceNames need resources, URLs exclude resources/namespaces.
    ...(branch === 'resource'
      ? {
          namespaces,
          resources: resources.map((e) =>
            (e.resources ?? []).length === 0 ? { group: e.group } : e,
          ),
        }
      : {}),
    ...(branch === 'url' ? { nonResourceURLs } : {}),
  }));

const request: fc.Arbitrary<PolicyRequest> = fc.record({
  user: fc.option(
    fc.record({ name: fc.constantFrom('a', 'b', 'c'), groups: sub(['g1', 'g2', 'g3']) }),
    {
      nil: undefined,
    },
  ),
  verb: fc.constantFrom('get', 'list', 'create', 'delete'),
  isResourceRequest: fc.boolean(),
  namespace: fc.constantFrom('', 'ns1', 'ns2'),
  apiGroup: fc.constantFrom('', 'apps', 'x'),
  resource: fc.constantFrom('pods', 'deployments', 'secrets'),
  subresource: fc.constantFrom('', 'log', 'exec'),
  name: fc.constantFrom('', 'n1', 'n2'),
  path: fc.constantFrom('/healthz', '/healthz/x', '/hello', '/version', '/v'),
});

const matches = (r: PolicyRule, req: PolicyRequest): boolean =>
  explainRuleMiss(r, req) === undefined;

test('ruleCovers() is sound: when it says A covers B, every request B matches is matched by A', () => {
  fc.assert(
    fc.property(rule, rule, fc.array(request, { minLength: 30, maxLength: 30 }), (a, b, reqs) => {
      if (!ruleCovers(a, b)) return true;
      return reqs.every((r) => !matches(b, r) || matches(a, r));
    }),
    { numRuns: 3000, seed: 7 },
  );
});

test('ruleCovers() proves a rule covers itself and a narrower copy', () => {
  fc.assert(
    fc.property(rule, (a) => {
      assert.ok(ruleCovers(a, a));
      assert.ok(sameSelectors(a, a));
      const narrower = { ...a, verbs: (a.verbs ?? []).length > 0 ? a.verbs?.slice(0, 1) : ['get'] };
      assert.ok(ruleCovers(a, narrower));
    }),
    { numRuns: 500, seed: 11 },
  );
});
