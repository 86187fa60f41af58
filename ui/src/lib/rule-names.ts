import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api/client.ts';

let cache: readonly string[] | undefined;

/** The loaded rules' names (for suggestions); asked once per page load. */
export function useRuleNames(): readonly string[] {
  const [names, setNames] = useState<readonly string[]>(cache ?? []);
  useEffect(() => {
    if (cache !== undefined) return;
    const ac = new AbortController();
    getJson<readonly { readonly name: string }[]>('rules', {}, ac.signal).then(
      (rules) => {
        cache = rules.map((r) => r.name).filter((n) => typeof n === 'string');
        setNames(cache);
      },
      () => {
        // Suggestions are a convenience; the field works without them.
      },
    );
    return () => ac.abort();
  }, []);
  return names;
}
