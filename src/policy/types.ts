/** The audit levels, least detail first. */
export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = (typeof LEVELS)[number];

/** The audit stages an event can be emitted at. */
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = (typeof STAGES)[number];

/** One `resources` entry of a policy rule (audit.k8s.io/v1 GroupResources). */
export interface GroupResources {
  readonly group?: string;
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** One policy rule as decoded; absent lists are the Go zero value (match anything). */
export interface PolicyRule {
  /** Kept as text: validation decides whether it is a known level. */
  readonly level?: string;
  readonly users?: readonly string[];
  readonly userGroups?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resources?: readonly GroupResources[];
  readonly namespaces?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly omitStages?: readonly string[];
  /** Unset is different from false: unset falls back to the policy default. */
  readonly omitManagedFields?: boolean;
}

/** An audit.k8s.io/v1 Policy. */
export interface Policy {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly rules: readonly PolicyRule[];
  readonly omitStages?: readonly string[];
  readonly omitManagedFields?: boolean;
}

/** A place in a policy file (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Field path (`rules[0].resources[1].group`) → where it is written in the file. */
export type PositionMap = ReadonlyMap<string, SourcePosition>;

/** Looks up a field path, falling back to its closest written parent. */
export function findPosition(positions: PositionMap, path: string, file = ''): SourcePosition {
  let p = path;
  for (;;) {
    const hit = positions.get(p);
    if (hit !== undefined) return hit;
    if (p === '') return { file, line: 1, column: 1 };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}

/** Renders `file:line:col`. */
export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** The index of a level in LEVELS, -1 when unknown. */
export function levelRank(level: string | undefined): number {
  return LEVELS.indexOf(level as Level);
}
