/**
 * The run lifecycle writes on SQLite: each admission (or batch of them) and each run end is one
 * IMMEDIATE transaction over the runs, threads and journal tables (and, for a cron's run, the cron's slot;
 * for a request with an idempotency key, the key), built from those stores' own statements.
 */
import type { Transaction } from "better-sqlite3";
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
import type { SqliteDatabase } from "./database.ts";
import type { SqliteJournalStore } from "./journal.ts";
import type { SqliteRunStore } from "./runs.ts";
import type { SqliteThreadStore } from "./threads.ts";
import type { SqliteCronStore } from "./crons.ts";
import type { Keyed, IdempotencyClaim, StoredKey } from "../idempotency.ts";
import type { SqliteIdempotencyKeys } from "./idempotency-keys.ts";

/** An admission before its key: admitted, or refused for its thread or slot. */
type UnkeyedAdmission = Extract<Admission, { run: RunRecord } | { refused: AdmissionRefusal }>;

/** Thrown inside a batch's transaction to roll it back on a refusal. */
class Refused extends Error {
  constructor(readonly outcome: Extract<BatchAdmission, { runs: null }>) {
    super(outcome.refused);
  }
}

type KeyedRequest = AdmitRequest & { opts: AdmitOptions & Keyed };

export class SqliteRunLifecycleStore implements RunLifecycleStore {
  private readonly admitTx: Transaction<(request: KeyedRequest) => Admission>;
  private readonly admitAllTx: Transaction<(requests: AdmitRequest[], key?: IdempotencyClaim) => RunRecord[]>;
  private readonly finishTx: Transaction<(end: RunEnd) => RunRecord | null>;

  constructor(
    db: SqliteDatabase,
    threads: SqliteThreadStore,
    runs: SqliteRunStore,
    journal: SqliteJournalStore,
    crons: SqliteCronStore,
    private readonly keys: SqliteIdempotencyKeys,
  ) {
    // The statements of one admission, inside a caller's transaction.
    const admitRows = ({ run, thread, opts }: AdmitRequest): UnkeyedAdmission => {
      // A cron's slot is taken first: a slot another tick took writes nothing at all.
      if (opts.cronSlot && !crons.claimRow(opts.cronSlot)) return { run: null, refused: "slot-taken" };
      // Another user's thread is as missing as one that is not there, and is never written.
      if (opts.scope && threads.getRow(run.thread_id) && !threads.getRow(run.thread_id, opts.scope))
        return { run: null, refused: "thread-missing" };
      if (opts.ifIdle && runs.hasActive(run.thread_id)) return { run: null, refused: "thread-busy" };
      if (opts.createThread) threads.insertRow({ metadata: {}, ...opts.createThread, thread_id: run.thread_id });
      // The thread row is read (and written) before the run goes in, so a missing thread writes nothing.
      if (!threads.updateRow(run.thread_id, thread)) return { run: null, refused: "thread-missing" };
      return { run: runs.insertRow(run) };
    };
    // The key is looked for first (a stored one writes nothing) and stored last, with the runs it made.
    const earlierOf = (key: IdempotencyClaim | undefined): StoredKey | null =>
      key ? keys.findRow(key.owner, key.key) : null;
    const storeKey = (key: IdempotencyClaim | undefined, runs: RunRecord[]) => {
      // Unreachable under the IMMEDIATE lock, which saw no key: thrown to roll back rather than make a second run.
      if (
        key &&
        !keys.claimRow(
          key,
          runs.map((r) => r.run_id),
        )
      )
        throw new Error("idempotency key taken meanwhile");
    };
    this.admitTx = db.transaction((request: KeyedRequest): Admission => {
      const earlier = earlierOf(request.opts.idempotency);
      if (earlier) return { run: null, refused: "key-taken", earlier };
      const admitted = admitRows(request);
      if (admitted.run) storeKey(request.opts.idempotency, [admitted.run]);
      return admitted;
    });
    this.admitAllTx = db.transaction((requests: AdmitRequest[], key?: IdempotencyClaim): RunRecord[] => {
      const earlier = earlierOf(key);
      if (earlier) throw new Refused({ runs: null, refused: "key-taken", earlier });
      const admitted = requests.map((request, index) => {
        const out = admitRows(request);
        if (out.run === null) throw new Refused({ runs: null, index, refused: out.refused });
        return out.run;
      });
      storeKey(key, admitted);
      return admitted;
    });
    this.finishTx = db.transaction((end: RunEnd): RunRecord | null => {
      // A worker whose run was taken over (its epoch is no longer the run's) ends nothing: the run, its
      // thread and the journal are left to the run's new worker.
      const epoch = end.epoch ?? null;
      if (epoch !== null) {
        const stored = runs.epochRow(end.run_id);
        if (stored !== null && stored !== epoch) return runs.getRow(end.run_id);
      }
      if (end.journal.length > 0) journal.appendRows(end.journal);
      const moved = runs.transitionRow(end.run_id, end.from, end.to, end.patch, epoch);
      threads.updateRow(end.thread_id, end.thread(runs.countActive(end.thread_id), moved !== null));
      return moved ?? runs.getRow(end.run_id);
    });
  }

  async admit(run: NewRun, thread: ThreadPatch, opts: AdmitOptions & Keyed): Promise<Admission> {
    return this.admitTx.immediate({ run, thread, opts });
  }

  async admitAll(requests: AdmitRequest[], opts: Keyed = {}): Promise<BatchAdmission> {
    if (requests.length === 0) return { runs: [] };
    try {
      return { runs: this.admitAllTx.immediate(requests, opts.idempotency) };
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
  }

  async findKey(owner: string, key: string): Promise<StoredKey | null> {
    return this.keys.findRow(owner, key);
  }

  async purgeExpiredKeys(now: string): Promise<number> {
    return this.keys.purgeRows(now);
  }

  async finish(end: RunEnd): Promise<RunRecord | null> {
    return this.finishTx.immediate(end);
  }
}
