/**
 * The run lifecycle writes on SQLite: each admission and each run end is one IMMEDIATE
 * transaction over the runs, threads and journal tables, built from those stores' own statements.
 */
import type { Transaction } from "better-sqlite3";
import type { Admission, NewRun, RunEnd, RunLifecycleStore, RunRecord, ThreadPatch } from "../types.ts";
import type { SqliteDatabase } from "./database.ts";
import type { SqliteJournalStore } from "./journal.ts";
import type { SqliteRunStore } from "./runs.ts";
import type { SqliteThreadStore } from "./threads.ts";

export class SqliteRunLifecycleStore implements RunLifecycleStore {
  private readonly admitTx: Transaction<(run: NewRun, thread: ThreadPatch, ifIdle: boolean) => Admission>;
  private readonly finishTx: Transaction<(end: RunEnd) => RunRecord | null>;

  constructor(db: SqliteDatabase, threads: SqliteThreadStore, runs: SqliteRunStore, journal: SqliteJournalStore) {
    this.admitTx = db.transaction((run: NewRun, thread: ThreadPatch, ifIdle: boolean): Admission => {
      if (ifIdle && runs.hasActive(run.thread_id)) return { run: null, refused: "thread-busy" };
      // The thread row is read (and written) before the run goes in, so a missing thread writes nothing.
      if (!threads.updateRow(run.thread_id, thread)) return { run: null, refused: "thread-missing" };
      return { run: runs.insertRow(run) };
    });
    this.finishTx = db.transaction((end: RunEnd): RunRecord | null => {
      if (end.journal.length > 0) journal.appendRows(end.journal);
      const run = runs.transitionRow(end.run_id, end.from, end.to, end.patch) ?? runs.getRow(end.run_id);
      threads.updateRow(end.thread_id, end.thread(runs.countActive(end.thread_id)));
      return run;
    });
  }

  async admit(run: NewRun, thread: ThreadPatch, opts: { ifIdle: boolean }): Promise<Admission> {
    return this.admitTx.immediate(run, thread, opts.ifIdle);
  }

  async finish(end: RunEnd): Promise<RunRecord | null> {
    return this.finishTx.immediate(end);
  }
}
