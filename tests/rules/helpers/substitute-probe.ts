import { plainText } from '../../../src/rules/mapped-text.ts';
import { substituteList } from '../../../src/rules/substitute-lists.ts';

/** Substitutes the one-item list `lst` into `lst,lst,...` (n names); the text's length. */
export function substituteRepeated(n: number): number {
  const out = substituteList(plainText(Array(n).fill('lst').join(',')), {
    name: 'lst',
    items: ['a'],
    used: false,
  });
  return out === undefined || 'kind' in out ? -1 : out.text.length;
}
