import type { LoadResult, RulesSource } from '../../../src/rules/types.ts';

/**
 * Position checks that hold for every upstream case (the upstream assertions name codes,
 * items and texts, not lines): each error and warning has a location in one of the
 * case's files, on a real line, and a rule/macro/list item's location is the line that
 * names it.
 */
export function positionFailures(files: readonly RulesSource[], result: LoadResult): string[] {
  const byName = new Map(files.map((f) => [f.name, f.content.split('\n')]));
  const failures: string[] = [];
  for (const m of [...result.errors, ...result.warnings]) {
    const outer = m.locations[0];
    if (outer === undefined) {
      failures.push(`${m.code} has no location`);
      continue;
    }
    const lines = byName.get(outer.position.name);
    const { line, column } = outer.position;
    if (lines === undefined || line < 1 || line > lines.length || column < 1) {
      failures.push(`${m.code} at ${outer.position.name}:${line}:${column} is outside the files`);
      continue;
    }
    const named = ['rule', 'macro', 'list'].includes(outer.itemType) && outer.itemName !== '';
    if (named && !(lines[line - 1] ?? '').includes(outer.itemName)) {
      failures.push(`${m.code} for ${outer.itemType} '${outer.itemName}' points at line ${line}`);
    }
  }
  return failures;
}
