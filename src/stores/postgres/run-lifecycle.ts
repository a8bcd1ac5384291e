/**
 * The run lifecycle's writes on Postgres: each admission (or batch of them) and each run end is one
 * transaction over threads, runs and the journal (and, for a cron's run, the cron's slot), made of
 * those stores' own statements on the transaction's client. Each first takes the advisory lock of its
 * threads (sql/locks.ts), even of a thread not created yet: "is the thread idle?" and "how many runs are
 * still active on it?" are answered and acted on before another process can admit or end a run there,
 * as under SQLite's single writer.
 *
 * An idempotency key is looked for once the locks are held, and stored with the admitted runs. Two
 * admissions with one key on different threads hold different locks: the second's insert of the key
 * waits for the first's transaction, then conflicts; it rolls back everything it wrote and admits
 * again, and this time finds the first's key.
 */
import type {
  Admission,
  AdmissionRefusal,
  AdmitOptions,
  AdmitRequest,
  BatchAdmission,
  NewRun,
  RunEnd,
  RunLifecycleStore,
  RunRecord,
  ThreadPatch,
} from "../types.ts";
import type { PgCronSlots, PgJournalAppend } from "./contracts.ts";
import { transaction, type PgPool, type Queryable } from "./pool.ts";
import type { PgRunStore } from "./runs.ts";
import { LOCK_THREAD_RUNS, lockThreads } from "./sql/locks.ts";
import type { PgThreadStore } from "./threads.ts";
import type { IdempotencyClaim, Keyed, StoredKey } from "../idempotency.ts";
import type { PgIdempotencyKeys } from "./idempotency-keys.ts";

/** An admission before its key: admitted, or refused for its thread or slot. */
type UnkeyedAdmission = Extract<Admission, { run: RunRecord } | { refused: AdmissionRefusal }>;

/** Thrown inside a batch's transaction to roll it back on a refusal. */
class Refused extends Error {
  constructor(readonly outcome: Extract<BatchAdmission, { runs: null }>) {
    super(outcome.refused);
  }
}

/** Thrown inside an admission's transaction to roll it back when another stored its key first. */
class KeyRace extends Error {}

/** How many times an admission that lost its key's race is tried again (the next finds the key). */
const KEY_RACE_ATTEMPTS = 3;

export class PgRunLifecycleStore implements RunLifecycleStore {
  constructor(
    private readonly pool: PgPool,
    private readonly threads: PgThreadStore,
    private readonly runs: PgRunStore,
    private readonly journal: PgJournalAppend,
    private readonly crons: PgCronSlots,
    private readonly keys: PgIdempotencyKeys,
  ) {}

  /** `attempt` again while it loses its key's race to a concurrent admission (KeyRace). */
  private async keyed<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof KeyRace) || n >= KEY_RACE_ATTEMPTS) throw err;
      }
    }
  }

  /** The key, unless missing or expired, on `q` (whose transaction holds the admission's locks). */
  private async earlierIn(q: Queryable, key: IdempotencyClaim | undefined): Promise<StoredKey | null> {
    return key ? this.keys.findIn(q, key.owner, key.key) : null;
  }

  private async storeKeyIn(q: Queryable, key: IdempotencyClaim | undefined, runs: RunRecord[]): Promise<void> {
    if (
      key &&
      !(await this.keys.claimIn(
        q,
        key,
        runs.map((r) => r.run_id),
      ))
    )
      throw new KeyRace();
  }

  /** One admission on `q`, whose transaction holds the thread's lock already. */
  private async admitIn(q: Queryable, { run, thread, opts }: AdmitRequest): Promise<UnkeyedAdmission> {
    // A cron's slot is taken first: a slot another tick took writes nothing at all.
    if (opts.cronSlot && !(await this.crons.claimIn(q, opts.cronSlot))) return { run: null, refused: "slot-taken" };
    // Another user's thread is as missing as one that is not there, and is never written.
    if (
      opts.scope &&
      (await this.threads.getIn(q, run.thread_id)) &&
      !(await this.threads.getIn(q, run.thread_id, opts.scope))
    )
      return { run: null, refused: "thread-missing" };
    if (opts.ifIdle && (await this.runs.hasActiveIn(q, run.thread_id))) return { run: null, refused: "thread-busy" };
    if (opts.createThread)
      await this.threads.insertIn(q, { metadata: {}, ...opts.createThread, thread_id: run.thread_id });
    // The thread row is written before the run goes in, so a missing thread writes nothing.
    if (!(await this.threads.updateIn(q, run.thread_id, thread))) return { run: null, refused: "thread-missing" };
    return { run: await this.runs.insertIn(q, run) };
  }

  async admit(run: NewRun, thread: ThreadPatch, opts: AdmitOptions & Keyed): Promise<Admission> {
    // A refusal commits too: it has written nothing but a cron slot's claim, which stands.
    return this.keyed(() =>
      transaction(this.pool, async (client): Promise<Admission> => {
        await lockThreads(client, LOCK_THREAD_RUNS, [run.thread_id]);
        const earlier = await this.earlierIn(client, opts.idempotency);
        if (earlier) return { run: null, refused: "key-taken", earlier };
        const admitted = await this.admitIn(client, { run, thread, opts });
        if (admitted.run) await this.storeKeyIn(client, opts.idempotency, [admitted.run]);
        return admitted;
      }),
    );
  }

  async admitAll(requests: AdmitRequest[], opts: Keyed = {}): Promise<BatchAdmission> {
    if (requests.length === 0) return { runs: [] };
    const key = opts.idempotency;
    try {
      const runs = await this.keyed(() =>
        transaction(this.pool, async (client) => {
          await lockThreads(
            client,
            LOCK_THREAD_RUNS,
            requests.map((r) => r.run.thread_id),
          );
          const earlier = await this.earlierIn(client, key);
          if (earlier) throw new Refused({ runs: null, refused: "key-taken", earlier });
          const admitted: RunRecord[] = [];
          for (const [index, request] of requests.entries()) {
            const out = await this.admitIn(client, request);
            if (out.run === null) throw new Refused({ runs: null, index, refused: out.refused });
            admitted.push(out.run);
          }
          await this.storeKeyIn(client, key, admitted);
          return admitted;
        }),
      );
      return { runs };
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
  }

  async findKey(owner: string, key: string): Promise<StoredKey | null> {
    return this.keys.findIn(this.pool, owner, key);
  }

  async purgeExpiredKeys(now: string): Promise<number> {
    return this.keys.purge(now);
  }

  async finish(end: RunEnd): Promise<RunRecord | null> {
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [end.thread_id]);
      // A worker whose run was taken over (its epoch is no longer the run's) ends nothing: the run, its
      // thread and the journal are left to the run's new worker. Every write that changes the epoch
      // holds the thread's lock, as this does, so it cannot change before the update below.
      const epoch = end.epoch ?? null;
      if (epoch !== null) {
        const stored = await this.runs.epochIn(client, end.run_id);
        if (stored !== null && stored !== epoch) return this.runs.getIn(client, end.run_id);
      }
      if (end.journal.length > 0) await this.journal.appendIn(client, end.journal);
      const moved = await this.runs.updateIn(client, end.run_id, { ...end.patch, status: end.to }, end.from, epoch);
      const active = await this.runs.countActiveIn(client, end.thread_id);
      await this.threads.updateIn(client, end.thread_id, end.thread(active, moved !== null));
      return moved ?? (await this.runs.getIn(client, end.run_id));
    });
  }
}
