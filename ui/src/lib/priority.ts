import type { Priority } from '../api/types.ts';

/** Falco's priorities, most severe first. */
export const PRIORITIES: readonly Priority[] = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
];

/**
 * A glyph per priority so that colour is never the only signal: the badge shows the
 * glyph and the name, and the chart legend names each series.
 */
const GLYPHS: Readonly<Record<Priority, string>> = {
  Emergency: '⬢',
  Alert: '⬢',
  Critical: '▲',
  Error: '▲',
  Warning: '◆',
  Notice: '●',
  Informational: '○',
  Debug: '·',
};

export function isPriority(s: string): s is Priority {
  return (PRIORITIES as readonly string[]).includes(s);
}

/** The CSS class that colours a priority (`prio-warning`). */
export function priorityClass(p: string): string {
  return isPriority(p) ? `prio-${p.toLowerCase()}` : 'prio-unknown';
}

export function priorityGlyph(p: string): string {
  return isPriority(p) ? GLYPHS[p] : '?';
}

/** Sort key: 0 for Emergency, 7 for Debug, 8 for anything unknown. */
export function priorityRank(p: string): number {
  const i = (PRIORITIES as readonly string[]).indexOf(p);
  return i < 0 ? PRIORITIES.length : i;
}
