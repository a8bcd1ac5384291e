/**
 * The run lifecycle writes on SQLite: each admission (or batch of them) and each run end is one
 * IMMEDIATE transaction over the runs, threads and journal tables (and, for a cron's run, the cron's slot),
 * built from those stores' own statements.
 */
import type { Transaction } from "better-sqlite3";
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
import type { SqliteDatabase } from "./database.ts";
import type { SqliteJournalStore } from "./journal.ts";
import type { SqliteRunStore } from "./runs.ts";
import type { SqliteThreadStore } from "./threads.ts";
import type { SqliteCronStore } from "./crons.ts";

/** Thrown inside a batch's transaction to roll it back on a refusal. */
class Refused extends Error {
  constructor(readonly outcome: Extract<BatchAdmission, { runs: null }>) {
    super(outcome.refused);
  }
}

export class SqliteRunLifecycleStore implements RunLifecycleStore {
  private readonly admitTx: Transaction<(request: AdmitRequest) => Admission>;
  private readonly admitAllTx: Transaction<(requests: AdmitRequest[]) => RunRecord[]>;
  private readonly finishTx: Transaction<(end: RunEnd) => RunRecord | null>;

  constructor(
    db: SqliteDatabase,
    threads: SqliteThreadStore,
    runs: SqliteRunStore,
    journal: SqliteJournalStore,
    crons: SqliteCronStore,
  ) {
    // The statements of one admission, inside a caller's transaction.
    const admitRows = ({ run, thread, opts }: AdmitRequest): Admission => {
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
    this.admitTx = db.transaction(admitRows);
    this.admitAllTx = db.transaction((requests: AdmitRequest[]): RunRecord[] =>
      requests.map((request, index) => {
        const admitted = admitRows(request);
        if (admitted.run === null) throw new Refused({ runs: null, index, refused: admitted.refused });
        return admitted.run;
      }),
    );
    this.finishTx = db.transaction((end: RunEnd): RunRecord | null => {
      if (end.journal.length > 0) journal.appendRows(end.journal);
      const moved = runs.transitionRow(end.run_id, end.from, end.to, end.patch);
      threads.updateRow(end.thread_id, end.thread(runs.countActive(end.thread_id), moved !== null));
      return moved ?? runs.getRow(end.run_id);
    });
  }

  async admit(run: NewRun, thread: ThreadPatch, opts: AdmitOptions): Promise<Admission> {
    return this.admitTx.immediate({ run, thread, opts });
  }

  async admitAll(requests: AdmitRequest[]): Promise<BatchAdmission> {
    try {
      return { runs: this.admitAllTx.immediate(requests) };
    } catch (err) {
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
  }

  async finish(end: RunEnd): Promise<RunRecord | null> {
    return this.finishTx.immediate(end);
  }
}
