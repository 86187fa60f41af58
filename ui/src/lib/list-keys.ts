import type { StoredAlert } from '../api/types.ts';
import { useKeys } from './keys.ts';

/** Focuses the link of the row with this id (it scrolls into view). */
function focusRow(id: string): void {
  for (const tr of document.querySelectorAll<HTMLTableRowElement>('table.alerts tbody tr')) {
    if (tr.dataset.id === id) {
      tr.querySelector<HTMLAnchorElement>('a.row-link')?.focus();
      tr.scrollIntoView({ block: 'nearest' });
      return;
    }
  }
}

/** j/k and the arrow keys move the selection through the list's rows. */
export function useListKeys(
  items: readonly StoredAlert[],
  selectedId: string | undefined,
  select: (id: string) => void,
): void {
  const move = (delta: number) => {
    if (items.length === 0) return;
    const at = selectedId === undefined ? -1 : items.findIndex((a) => a.id === selectedId);
    const next = at < 0 ? 0 : Math.min(items.length - 1, Math.max(0, at + delta));
    const id = (items[next] as StoredAlert).id;
    select(id);
    focusRow(id);
  };
  useKeys({
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
  });
}
