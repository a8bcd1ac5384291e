/**
 * Waiters by key: each `wait` resolves when `wake(key)` is called, when its signal aborts, or after its
 * timeout, whichever comes first, and then leaves the set. Register before looking at what you wait
 * for, so a change in between still wakes you.
 */
export class Wakeups {
  private readonly waiting = new Map<string, Set<() => void>>();

  wait(key: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    const { signal, timeoutMs } = opts;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let set = this.waiting.get(key);
      if (!set) this.waiting.set(key, (set = new Set()));
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        const waiting = this.waiting.get(key);
        waiting?.delete(done);
        if (waiting?.size === 0) this.waiting.delete(key);
        resolve();
      };
      set.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  wake(key: string): void {
    const set = this.waiting.get(key);
    if (set) for (const done of [...set]) done();
  }
}
