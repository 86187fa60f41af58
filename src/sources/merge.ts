/**
 * Interleaves several async iterables, yielding each value as soon as it is ready (for
 * following several files at once). An error from any of them ends the merge.
 */
export async function* mergeAsync<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  const pull = (i: number): void => {
    const it = its[i] as AsyncIterator<T>;
    pending.set(
      i,
      it.next().then((r) => ({ i, r })),
    );
  };
  for (let i = 0; i < its.length; i++) pull(i);
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pull(i);
      yield r.value;
    }
  } finally {
    await Promise.allSettled(its.map((it) => it.return?.()));
  }
}
