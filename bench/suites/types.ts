import type { Mix } from '../generate.ts';

/** Values a command line may refer to. */
export interface CommandContext {
  /** The corpus file. */
  readonly file: string;
  /** The repository root (bin/kaudit lives under it). */
  readonly root: string;
  /** Falco's k8s_audit_rules.yaml (from ../shared), else our rules/ directory. */
  readonly rules: string;
}

/** One measured subprocess: a command line (data, so it can be edited without code). */
export interface CommandRow {
  readonly kind: 'command';
  readonly name: string;
  /** What the row is compared against: `json` for the JSON.parse baseline, `jq` for jq. */
  readonly role?: 'json' | 'jq';
  /** The executable and its arguments; the corpus is `ctx.file`. */
  readonly argv: (ctx: CommandContext) => readonly string[];
  /** The jq row this row is compared with (same filter), for the ratio to jq. */
  readonly jqRow?: string;
  /** The single-threaded row this row is compared with, for the ratio to one thread. */
  readonly oneThreadRow?: string;
  /** Executable that must exist, else the row is skipped with a note (e.g. /usr/bin/jq). */
  readonly requires?: string;
}

/** One measured in-process function (e.g. loading rules). */
export interface InProcessRow {
  readonly kind: 'inproc';
  readonly name: string;
  /** Prepares and returns the function timed on each run. */
  readonly setup: (ctx: Omit<CommandContext, 'file'>) => Promise<() => unknown>;
}

export type Row = CommandRow | InProcessRow;

/** A group of rows measured side by side over one corpus. */
export interface Case {
  /** Corpus to run over (events: this case's size instead of --events); absent in-process. */
  readonly corpus?: { readonly mix: Mix; readonly events?: number };
  readonly rows: readonly Row[];
}

export interface Suite {
  readonly name: string;
  readonly description: string;
  readonly cases: readonly Case[];
}
