/**
 * Resolves once every promise settled, or after `ms`, whichever comes first: shutdown
 * waits for outputs and deliveries this way, so one stuck output cannot hold the exit.
 */
export function settleWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.allSettled(promises).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
