// Falco's priorities come from the engine's own table (a plain module, bundled in).
import { PRIORITIES, type Priority } from '../../../src/rules/priority.ts';

export { PRIORITIES };

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
