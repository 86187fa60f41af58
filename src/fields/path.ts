/** Reads one step of a path from a parsed JSON value; `undefined` when it is not there. */
export type PathReader = (root: unknown) => unknown;

const ARRAY_INDEX = /^\d+$/;

/**
 * Compiles a key path (`['objectRef', 'name']`) into a reader. Array values are indexed
 * by decimal keys, as fastjson's `Get` does. Keys that name members of Object.prototype
 * (`constructor`, `__proto__`, …) are read as own properties only, so a rule's pointer
 * never reaches the prototype.
 */
export function compilePath(path: readonly string[]): PathReader {
  const steps = path.map(compileStep);
  const [a, b, c, d] = steps;
  // Unrolled for the common depths: the field table's paths are 1 to 4 keys long.
  switch (steps.length) {
    case 0:
      return (o) => o;
    case 1:
      return a as Step;
    case 2:
      return (o) => (b as Step)((a as Step)(o));
    case 3:
      return (o) => (c as Step)((b as Step)((a as Step)(o)));
    case 4:
      return (o) => (d as Step)((c as Step)((b as Step)((a as Step)(o))));
    default:
      return (o) => {
        let cur = o;
        for (const s of steps) cur = s(cur);
        return cur;
      };
  }
}

type Step = (o: unknown) => unknown;

function compileStep(key: string): Step {
  const index = ARRAY_INDEX.test(key) ? Number(key) : -1;
  const inherited = key in Object.prototype;
  return (o) => {
    if (typeof o !== 'object' || o === null) return undefined;
    if (Array.isArray(o)) return index >= 0 ? o[index] : undefined;
    if (inherited && !Object.hasOwn(o, key)) return undefined;
    return (o as Record<string, unknown>)[key];
  };
}

/** The value at `o[key]` when `o` is a plain JSON object, else `undefined`. */
export function member(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  return (o as Record<string, unknown>)[key];
}
