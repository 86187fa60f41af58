/** Optimal-string-alignment (Damerau–Levenshtein) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

const MAX_DISTANCE = 2;

/**
 * The known name closest to `name`: the smallest edit distance up to 2 (first in table
 * order on a tie), else the shortest name that extends `name` (`ka.req.pod.containers`
 * → `ka.req.pod.containers.name`), else the longest name `name` extends past a `.`.
 */
export function suggestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = MAX_DISTANCE + 1;
  for (const n of names) {
    const d = editDistance(name, n, MAX_DISTANCE);
    if (d < bestDist) {
      best = n;
      bestDist = d;
    }
  }
  if (best !== undefined && bestDist > 0) return best;
  if (name.length < 4) return undefined;
  let longer: string | undefined;
  for (const n of names) {
    if (n.startsWith(name) && (longer === undefined || n.length < longer.length)) longer = n;
  }
  if (longer !== undefined) return longer;
  let shorter: string | undefined;
  for (const n of names) {
    if (name.startsWith(`${n}.`) && (shorter === undefined || n.length > shorter.length))
      shorter = n;
  }
  return shorter;
}
