import type { FieldRegistry } from '../fields/field.ts';
import type { MappedText } from './mapped-text.ts';
import type { Context, Reporter } from './messages.ts';
import type { Priority } from './priority.ts';
import type { CorrelateInfo, SuppressInfo } from './read-correlation.ts';
import type { Position, RuleChange } from './types.ts';
import type { SemVer } from './versions.ts';
import type { ScalarNode, YamlNode } from './yaml-node.ts';

/** A collected list (rule_loader::list_info). */
export interface ListInfo {
  readonly name: string;
  items: { readonly value: string; readonly node: ScalarNode }[];
  /** Order of first definition; redefinitions keep it. */
  readonly index: number;
  /** Items with an index below this are visible to this list. */
  visibility: number;
  ctx: Context;
}

/** A collected macro. */
export interface MacroInfo {
  readonly name: string;
  cond: MappedText;
  condCtx: Context;
  readonly index: number;
  visibility: number;
  ctx: Context;
}

/** `fields`, `comps` or one value of an exception: a string or a (nested) list. */
export interface ExceptionEntry {
  readonly isList: boolean;
  readonly item: string;
  readonly items: readonly ExceptionEntry[];
  readonly node: YamlNode;
}

/** One `exceptions:` element. */
export interface ExceptionInfo {
  readonly name: string;
  readonly fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
  readonly ctx: Context;
}

/** A collected rule (rule_loader::rule_info). */
export interface RuleInfo {
  readonly name: string;
  cond: MappedText;
  condCtx: Context;
  output: MappedText;
  outputCtx: Context;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  readonly index: number;
  visibility: number;
  ctx: Context;
  /** Where the rule was first defined (redefinitions keep it, as they keep `index`). */
  readonly firstPosition: Position;
  /** The items that changed the rule after its first definition (LoadedRule.changes). */
  changes: RuleChange[];
  unknownSource: boolean;
  /** `correlate:`: the rule's conditions are its steps' (`cond` is then empty). */
  correlate?: CorrelateInfo;
  /** `suppress:`, set in a correlated rule's definition or by `override: {suppress: replace}`. */
  suppress?: SuppressInfo;
}

/** One `required_plugin_versions` entry with its alternatives. */
export interface PluginRequirementInfo {
  readonly alternatives: readonly { readonly name: string; readonly version: string }[];
  readonly ctx: Context;
}

/** Everything read from all files so far, in definition order. */
export interface Collection {
  readonly lists: Map<string, ListInfo>;
  readonly macros: Map<string, MacroInfo>;
  readonly rules: Map<string, RuleInfo>;
  readonly plugins: PluginRequirementInfo[];
  requiredEngineVersion?: SemVer;
  nextIndex: number;
}

/** What the loader knows while reading: sources we run and where messages go. */
export interface LoaderConfig {
  /** Field tables by source name; a rule whose source is absent is skipped. */
  readonly sources: ReadonlyMap<string, FieldRegistry>;
  readonly reporter: Reporter;
}

/** Creates an empty collection. */
export function createCollection(): Collection {
  return { lists: new Map(), macros: new Map(), rules: new Map(), plugins: [], nextIndex: 0 };
}
