import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintPolicy } from '../../src/policy/lint.ts';
import type { LintFinding } from '../../src/policy/lint-rules/finding.ts';
import { readPolicy } from '../../src/policy/read.ts';

/** Reads (must succeed) and lints a policy text. */
export function lintText(text: string, file = 'policy.yaml'): LintFinding[] {
  const r = readPolicy(text, file);
  assert.ok(r.ok && r.policy !== undefined, JSON.stringify(r.errors));
  return lintPolicy({ policy: r.policy, positions: r.positions, file });
}

/** Reads and lints a policy file. */
export function lintFile(path: string): LintFinding[] {
  return lintText(readFileSync(path, 'utf8'), path);
}

/** `code@path` keys, sorted, for compact assertions. */
export function keys(findings: readonly LintFinding[], code?: string): string[] {
  return findings
    .filter((f) => code === undefined || f.code === code)
    .map((f) => `${f.code}@${f.path}`)
    .sort();
}

/** A policy text with the header and the given rules YAML (indented under `rules:`). */
export function policyText(rules: string, head = 'omitStages: ["RequestReceived"]\n'): string {
  return `apiVersion: audit.k8s.io/v1\nkind: Policy\n${head}rules:\n${rules}`;
}
