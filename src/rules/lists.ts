import { LOAD_LIMITS } from './limits.ts';
import { at, ITEM, MSG, type Reporter } from './messages.ts';
import type { Collection } from './model.ts';

/** A list after expanding references to earlier lists. */
export interface CompiledList {
  readonly name: string;
  readonly items: readonly string[];
  used: boolean;
}

/**
 * Compiles lists in definition order (compiler.cpp compile_list_infos): an item naming a
 * list visible to this one (defined earlier) is replaced by that list's items. An item
 * naming a list defined later stays a literal string, as in Falco; we also warn
 * (LOAD_UNKNOWN_ITEM) because that is almost always a mistake in the file's order. A list
 * that would grow past LOAD_LIMITS.listItems, or take the lists together past
 * allListItems, is LOAD_ERR_VALIDATE at the item that includes too much, and stays empty.
 */
export function compileLists(col: Collection, reporter: Reporter): Map<string, CompiledList> {
  const out = new Map<string, CompiledList>();
  const usedNames: string[] = [];
  let total = 0;
  for (const list of col.lists.values()) {
    let items: string[] = [];
    for (const item of list.items) {
      const ref = col.lists.get(item.value);
      if (ref !== undefined && ref.index < list.visibility) {
        const included = out.get(ref.name)?.items ?? ref.items.map((i) => i.value);
        const overflow = listOverflow(items.length + included.length, total + included.length);
        if (overflow !== undefined) {
          reporter.error(
            'LOAD_ERR_VALIDATE',
            MSG.listTooLarge(list.name, ref.name, overflow),
            at(list.ctx, item.node, ITEM.listItem, item.value),
            { end: item.node.end },
          );
          total -= items.length;
          items = [];
          break;
        }
        // One push per item: spreading a list of 500k items as arguments overflows the stack.
        for (const v of included) items.push(v);
        total += included.length;
        usedNames.push(ref.name);
        continue;
      }
      if (ref !== undefined && ref !== list) {
        const where = ref.ctx[ref.ctx.length - 1]?.position;
        reporter.warn(
          'LOAD_UNKNOWN_ITEM',
          MSG.listDefinedLater(item.value, ref.name, where),
          at(list.ctx, item.node, ITEM.listItem, item.value),
          { end: item.node.end },
        );
      }
      items.push(item.value);
      total++;
    }
    out.set(list.name, { name: list.name, items, used: false });
  }
  for (const name of usedNames) {
    const entry = out.get(name);
    if (entry !== undefined) entry.used = true;
  }
  return out;
}

// Which limit a list of `size` items, `total` over all lists, would pass, if any.
function listOverflow(size: number, total: number): string | undefined {
  if (size > LOAD_LIMITS.listItems) return `${LOAD_LIMITS.listItems} items`;
  if (total > LOAD_LIMITS.allListItems) {
    return `${LOAD_LIMITS.allListItems} items over all lists`;
  }
  return undefined;
}
