import type { Alert } from '../engine/index.ts';
import { type Priority, priorityRank } from '../rules/priority.ts';

/**
 * Which alerts an output takes: at least this priority, rules by name glob, tags. Plain
 * data, so a parallel scan's worker threads can apply the same selection.
 */
export interface AlertFilterSpec {
  readonly minPriority?: Priority;
  /** Rule name globs (`*` for any run of characters); any may match. */
  readonly rules?: readonly string[];
  /** Tags; an alert with any of them matches. */
  readonly tags?: readonly string[];
}

function globTest(glob: string): (s: string) => boolean {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${body}$`, 's');
  return (s) => re.test(s);
}

/** Compiles a filter spec; undefined when it selects everything. */
export function compileAlertFilter(spec: AlertFilterSpec): ((a: Alert) => boolean) | undefined {
  const checks: ((a: Alert) => boolean)[] = [];
  if (spec.minPriority !== undefined) {
    const max = priorityRank(spec.minPriority);
    checks.push((a) => priorityRank(a.priority) <= max);
  }
  if (spec.rules !== undefined && spec.rules.length > 0) {
    const tests = spec.rules.map(globTest);
    checks.push((a) => tests.some((t) => t(a.rule)));
  }
  if (spec.tags !== undefined && spec.tags.length > 0) {
    const tags = new Set(spec.tags);
    checks.push((a) => a.tags.some((t) => tags.has(t)));
  }
  if (checks.length === 0) return undefined;
  return (a) => checks.every((c) => c(a));
}
