import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInWorker } from '../helpers/bounded-worker.ts';
import type { ConditionCase, ConditionResult } from './hostile-probe.ts';

/**
 * Issue #11, "evaluation that attacker data cannot stall": each case took seconds to
 * minutes per event before (V8's backtracking on translated regexes and globs). Each
 * runs in a worker that is terminated after DEADLINE_MS, so a regression fails here
 * instead of hanging the suite; the deadline also covers loading TypeScript in the worker.
 */
const DEADLINE_MS = 20_000;
const PROBE = new URL('./hostile-probe.ts', import.meta.url);

const event = (fields: {
  name?: string;
  uri?: string;
  target?: string;
}): Record<string, unknown> => ({
  auditID: 'a1',
  verb: 'get',
  user: { username: fields.name ?? 'alice' },
  requestURI: fields.uri ?? '/api',
  objectRef: { name: fields.target ?? 'x' },
});

interface Regression {
  readonly title: string;
  readonly condition: string;
  /** Hostile value first, then values that must still match or not. */
  readonly events: readonly { readonly event: Record<string, unknown>; readonly want: boolean }[];
}

const A31 = 'a'.repeat(31);
const KEY = 'AKIAABCDEFGHIJKLMNOP';

const REGRESSIONS: readonly Regression[] = [
  {
    // 27 s per event before.
    title: 'regex "(a+)+$" on a 32-character name',
    condition: 'ka.user.name regex "(a+)+$"',
    events: [
      { event: event({ name: `${A31}!` }), want: false },
      { event: event({ name: `${A31}a` }), want: true },
    ],
  },
  {
    title: 'regex "(a|aa)+b", which no rewriting makes safe for backtracking',
    condition: 'ka.user.name regex "(a|aa)+b"',
    events: [
      { event: event({ name: 'a'.repeat(48) }), want: false },
      { event: event({ name: 'aaab' }), want: true },
    ],
  },
  {
    // Quadratic before: every key restarted the trailing .* up to the newline.
    title: 'regex ".*AKIA[0-9A-Z]{16}.*" on a 1 MB value of keys ending in a newline',
    condition: 'ka.target.name regex ".*AKIA[0-9A-Z]{16}.*"',
    events: [
      { event: event({ target: `${KEY} `.repeat(50_000).concat('\n') }), want: false },
      { event: event({ target: `${KEY} `.repeat(50_000) }), want: true },
    ],
  },
  {
    // 24 s per event before.
    title: 'glob "*/namespaces/*/pods/*/exec*" on a 40 KB request URI',
    condition: 'ka.uri glob "*/namespaces/*/pods/*/exec*"',
    events: [
      { event: event({ uri: '/namespaces/n/pods/p'.repeat(2000) }), want: false },
      { event: event({ uri: '/api/v1/namespaces/d/pods/web/exec?command=ls' }), want: true },
    ],
  },
  {
    title: 'iglob with many stars on a long name',
    condition: 'ka.user.name iglob "*A*A*A*A*A*B"',
    events: [
      { event: event({ name: 'a'.repeat(4000) }), want: false },
      { event: event({ name: 'xaAaaAaB' }), want: true },
    ],
  },
  {
    title: 'pmatch with a glob component on one long path component',
    condition: 'ka.uri pmatch (/*a*a*a*a*b)',
    events: [
      { event: event({ uri: `/${'a'.repeat(4000)}` }), want: false },
      { event: event({ uri: '/xaaaab/c' }), want: true },
    ],
  },
];

for (const r of REGRESSIONS) {
  test(`hostile input: ${r.title} is answered at once`, async () => {
    const cases: ConditionCase[] = r.events.map((e) => ({
      condition: r.condition,
      event: e.event,
    }));
    const results = await runInWorker<ConditionResult[]>(
      PROBE,
      'evaluateConditions',
      cases,
      DEADLINE_MS,
    );
    assert.deepEqual(
      results,
      r.events.map((e) => ({ compiled: e.want, interpreted: e.want })),
    );
  });
}
