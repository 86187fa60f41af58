/**
 * How much a rules file may make the loader build. A rules file is small text that can
 * stand for far more: YAML aliases repeat nodes, lists include lists, list names are
 * substituted as text, and macros expand inside macros. Each limit below bounds one of
 * these, so a hostile or broken file ends in a positioned load error instead of
 * exhausting memory. Every limit is far above what real rulesets need: Falco's and
 * kaudit's own k8s rules expand to at most 88 nodes a rule and under 1,000 in all.
 */
export const LOAD_LIMITS = {
  /**
   * Nodes that YAML aliases add to one file, counting every use of an alias as the nodes
   * it stands for (a 9-level anchor bomb of 10 aliases a level stands for 10^9).
   */
  aliasedNodes: 1_000_000,
  /** Items of one list after including the lists it names. */
  listItems: 1_000_000,
  /** Items of every list together (a list that includes another copies its items). */
  allListItems: 4_000_000,
  /** Characters of one condition after list names are replaced by their items. */
  conditionChars: 32 * 1024 * 1024,
  /**
   * `and`/`or`/`not`/check nodes of one condition after macro expansion, counting a macro
   * once for every place it is used: the work to compile, print or evaluate it.
   */
  conditionNodes: 100_000,
  /** The same, over the expanded conditions of every rule loaded together. */
  allConditionNodes: 250_000,
  /** Values (list items included) of one expanded condition, counted the same way. */
  conditionValues: 1_000_000,
  /** The same, over every rule loaded together. */
  allConditionValues: 2_000_000,
  /**
   * Nesting of an expanded condition, in `and`/`or`/`not` levels. Conditions are walked
   * recursively (expanded, checked, printed, compiled); at about 3,000 levels Node's
   * stack runs out, which the parser's limit of 1,000 parentheses (up to three levels
   * each) did not prevent even without macros.
   */
  conditionDepth: 2000,
} as const;
