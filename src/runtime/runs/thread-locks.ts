/**
 * The per-thread admission lock of this process: one admission at a time per thread, so concurrent
 * creates see each other's runs; state writes that must not race a new run (state updates, thread
 * deletion, the TTL sweep) take the same lock. Taken in call order.
 */
export class ThreadLocks {
  private readonly held = new Map<string, Promise<void>>();

  async exclusive<T>(threadId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.held.get(threadId) ?? Promise.resolve();
    let release!: () => void;
    const mine = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.held.set(threadId, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.held.get(threadId) === mine) this.held.delete(threadId);
    }
  }
}
