/**
 * The run lifecycle's writes on Postgres: each admission (or batch of them) and each run end is one
 * transaction over threads, runs and the journal (and, for a cron's run, the cron's slot), made of
 * those stores' own statements on the transaction's client. Each first takes the advisory lock of its
 * threads (sql/locks.ts), even of a thread not created yet: "is the thread idle?" and "how many runs are
 * still active on it?" are answered and acted on before another process can admit or end a run there,
 * as under SQLite's single writer.
 */
import type {
  Admission,
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

/** Thrown inside a batch's transaction to roll it back on a refusal. */
class Refused extends Error {
  constructor(readonly outcome: Extract<BatchAdmission, { runs: null }>) {
    super(outcome.refused);
  }
}

export class PgRunLifecycleStore implements RunLifecycleStore {
  constructor(
    private readonly pool: PgPool,
    private readonly threads: PgThreadStore,
    private readonly runs: PgRunStore,
    private readonly journal: PgJournalAppend,
    private readonly crons: PgCronSlots,
  ) {}

  /** One admission on `q`, whose transaction holds the thread's lock already. */
  private async admitIn(q: Queryable, { run, thread, opts }: AdmitRequest): Promise<Admission> {
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

  async admit(run: NewRun, thread: ThreadPatch, opts: AdmitOptions): Promise<Admission> {
    // A refusal commits too: it has written nothing but a cron slot's claim, which stands.
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [run.thread_id]);
      return this.admitIn(client, { run, thread, opts });
    });
  }

  async admitAll(requests: AdmitRequest[]): Promise<BatchAdmission> {
    if (requests.length === 0) return { runs: [] };
    try {
      const runs = await transaction(this.pool, async (client) => {
        await lockThreads(
          client,
          LOCK_THREAD_RUNS,
          requests.map((r) => r.run.thread_id),
        );
        const admitted: RunRecord[] = [];
        for (const [index, request] of requests.entries()) {
          const out = await this.admitIn(client, request);
          if (out.run === null) throw new Refused({ runs: null, index, refused: out.refused });
          admitted.push(out.run);
        }
        return admitted;
      });
      return { runs };
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
  }

  async finish(end: RunEnd): Promise<RunRecord | null> {
    return transaction(this.pool, async (client) => {
      await lockThreads(client, LOCK_THREAD_RUNS, [end.thread_id]);
      if (end.journal.length > 0) await this.journal.appendIn(client, end.journal);
      const moved = await this.runs.updateIn(client, end.run_id, { ...end.patch, status: end.to }, end.from);
      const active = await this.runs.countActiveIn(client, end.thread_id);
      await this.threads.updateIn(client, end.thread_id, end.thread(active, moved !== null));
      return moved ?? (await this.runs.getIn(client, end.run_id));
    });
  }
}
