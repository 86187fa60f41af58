/** Falco priorities, most severe first; the numeric order is Falco's (Emergency = 0). */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;

export type Priority = (typeof PRIORITIES)[number];

const BY_NAME: ReadonlyMap<string, Priority> = new Map<string, Priority>([
  ...PRIORITIES.map((p) => [p.toLowerCase(), p] as [string, Priority]),
  ['info', 'Informational'],
]);

/** Parses a priority name case-insensitively (full names and Falco's short forms). */
export function parsePriority(text: string): Priority | undefined {
  return BY_NAME.get(text.trim().toLowerCase());
}

/** 0 for Emergency … 7 for Debug. */
export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/** The label used in Falco's end-of-run summary: upper case, Informational as INFO. */
export function prioritySummaryLabel(p: Priority): string {
  return p === 'Informational' ? 'INFO' : p.toUpperCase();
}
