import type { Context } from './messages.ts';
import type { Location, Position, RuleChange } from './types.ts';

/** Where an item starts (the last location of its context). */
export function itemPosition(ctx: Context): Position {
  return (ctx[ctx.length - 1] as Location).position;
}

/** A change to an existing rule by the item at `ctx` (`rules explain` lists them). */
export function change(
  kind: RuleChange['kind'],
  keys: readonly string[],
  ctx: Context,
  enabled?: boolean,
): RuleChange {
  return {
    kind,
    keys: keys.filter((k) => k !== 'rule'),
    position: itemPosition(ctx),
    ...(enabled === undefined ? {} : { enabled }),
  };
}
