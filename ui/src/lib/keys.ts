import { useEffect, useRef } from 'preact/hooks';

/**
 * Handlers by key (KeyboardEvent.key: "j", "ArrowDown", "/", "Escape", "?"). A handler
 * that returns false leaves the key to the browser (e.g. Enter on a button).
 */
export type KeyMap = Readonly<Record<string, (e: KeyboardEvent) => unknown>>;

/** True when keys typed now belong to a text field, not to the page's shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'submit';
}

/**
 * Page shortcuts. Keys with Ctrl, Meta or Alt are left to the browser; while a text field
 * has focus only Escape reaches the map, so typing "j" in the search box types a "j".
 */
export function useKeys(map: KeyMap): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.key !== 'Escape' && isTyping(e.target)) return;
      // A modal dialog (the help overlay) owns the keyboard while it is open.
      if (document.querySelector('dialog[open]') !== null && e.key !== '?') return;
      const h = ref.current[e.key];
      if (h === undefined) return;
      if (h(e) !== false) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
