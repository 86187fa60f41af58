import type { AlertFieldValue } from '../engine/index.ts';
import { escapeCell, formatAlertText, formatEventVerdict } from '../outputs/index.ts';
import type { Position } from '../rules/index.ts';
import type { Failure } from './expectations.ts';
import type { ExpectedValue, TestMessage } from './model.ts';
import type { CaseResult, FileResult } from './run-tests.ts';

/** `file:line:col` */
export function formatPosition(p: Position): string {
  return `${p.name}:${p.line}:${p.column}`;
}

/** A test message as rules messages are printed: location, code, text, caret snippet. */
export function formatTestMessage(m: TestMessage): string {
  const head = `${formatPosition(m.position)}: error ${m.code}: ${escapeCell(m.message)}`;
  if (m.snippet === undefined) return head;
  return `${head}\n${m.snippet
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}`;
}

function show(v: ExpectedValue | AlertFieldValue | undefined): string {
  if (v === undefined) return '(not an output field of the rule)';
  if (v === null) return '<NA>';
  if (typeof v === 'string') return escapeCell(JSON.stringify(v));
  return `[${v.map((x) => escapeCell(JSON.stringify(x))).join(', ')}]`;
}

function times(n: number): string {
  return n === 0 ? 'no alert' : n === 1 ? '1 alert' : `${n} alerts`;
}

function formatFailure(f: Failure, r: CaseResult): string[] {
  const rule = `rule '${escapeCell(f.expect.rule)}'`;
  const at = `(expected at ${formatPosition(f.expect.position)})`;
  if (f.kind === 'field') {
    return [
      `  ${rule}, alert ${f.alert}, output field ${escapeCell(f.field)}: ${at}`,
      `    expected: ${show(f.expected)}`,
      `    actual:   ${show(f.actual)}`,
    ];
  }
  const lines = [`  ${rule}: expected ${times(f.expect.count)}, got ${times(f.actual)} ${at}`];
  if (f.actual > f.expect.count) {
    for (const a of r.alerts.filter((x) => x.rule === f.expect.rule).slice(0, 5)) {
      lines.push(
        `    alert on ${a.origin ?? ''}:${a.line ?? 0}: ${escapeCell(formatAlertText(a))}`,
      );
    }
  }
  for (const m of r.misses.get(f.expect.rule) ?? []) {
    lines.push(`    event ${m.event}: ${formatEventVerdict(m.explanation)}`);
  }
  return lines;
}

/** One case's outcome: nothing for a pass (a line with `verbose`), a diff for a failure. */
export function formatCaseResult(r: CaseResult, verbose: boolean): string {
  const where = `${formatPosition(r.test.position)}: ${escapeCell(r.test.name)}`;
  if (r.status === 'pass') return verbose ? `PASS ${where}\n` : '';
  const lines = [`${r.status === 'fail' ? 'FAIL' : 'ERROR'} ${where}`];
  for (const e of r.errors) lines.push(`  ${formatTestMessage(e).replace(/\n/g, '\n  ')}`);
  for (const f of r.failures) lines.push(...formatFailure(f, r));
  return `${lines.join('\n')}\n`;
}

/** Counts over a run. */
export interface TestCounts {
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  /** Problems in tests files themselves (each file error counts once). */
  readonly fileErrors: number;
}

/** Totals of a run; it succeeded when every count but `passed` is zero. */
export function countResults(results: readonly FileResult[]): TestCounts {
  const cases = results.flatMap((f) => f.cases);
  return {
    passed: cases.filter((c) => c.status === 'pass').length,
    failed: cases.filter((c) => c.status === 'fail').length,
    errors: cases.filter((c) => c.status === 'error').length,
    fileErrors: results.reduce((n, f) => n + f.file.errors.length, 0),
  };
}

/** The whole run as text: file errors, failing cases with their diffs, the totals. */
export function formatTestRun(results: readonly FileResult[], verbose = false): string {
  let out = '';
  for (const f of results) {
    for (const e of f.file.errors) out += `${formatTestMessage(e)}\n`;
    for (const c of f.cases) out += formatCaseResult(c, verbose);
  }
  const n = countResults(results);
  const total = n.passed + n.failed + n.errors;
  const ok = n.failed + n.errors + n.fileErrors === 0;
  const parts = [`${n.passed} passed`, `${n.failed} failed`, `${n.errors} errors`];
  if (n.fileErrors > 0) parts.push(`${n.fileErrors} problems in tests files`);
  out += `${ok ? 'OK' : 'FAILED'}: ${total} tests in ${results.length} files: ${parts.join(', ')}\n`;
  return out;
}
