import { escapeControls } from './escape-text.ts';

/**
 * Plain-text table and CSV rendering for query results. Every cell is attacker-controlled
 * event text: control characters are shown escaped in tables (as in text alerts), and CSV
 * cells that a spreadsheet would run as a formula (= + - @ tab CR) are prefixed with a
 * quote.
 */
export function escapeCell(v: string): string {
  return escapeControls(v);
}

export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const cells = [header, ...rows].map((r) => r.map(escapeCell));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}
