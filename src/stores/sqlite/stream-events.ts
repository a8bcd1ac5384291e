import type { Statement, Transaction } from "better-sqlite3";
import type { StreamEventRecord, StreamEventStore } from "../types.ts";
import type { SqliteDatabase } from "./database.ts";

/**
 * The stream log on SQLite. An event's `epoch` (leases.ts) is not looked at: one process executes the
 * runs of a database file, so no other worker can have taken a run over and no event is stale.
 */
export class SqliteStreamEventStore implements StreamEventStore {
  private readonly listStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly purgeStmt: Statement;
  private readonly appendTx: Transaction<(events: StreamEventRecord[]) => void>;

  constructor(db: SqliteDatabase) {
    const insert = db.prepare(
      "INSERT OR IGNORE INTO stream_events (run_id, seq, event, data) VALUES (@run_id, @seq, @event, @data)",
    );
    // LIMIT -1 means "no limit" in SQLite.
    this.listStmt = db.prepare(
      "SELECT run_id, seq, event, data FROM stream_events WHERE run_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?",
    );
    this.deleteStmt = db.prepare("DELETE FROM stream_events WHERE run_id = ?");
    this.purgeStmt = db.prepare(
      `DELETE FROM stream_events WHERE run_id IN
         (SELECT run_id FROM runs WHERE status NOT IN ('pending', 'running') AND updated_at < ?)`,
    );
    this.appendTx = db.transaction((events: StreamEventRecord[]) => {
      for (const e of events) insert.run({ run_id: e.run_id, seq: e.seq, event: e.event, data: e.data });
    });
  }

  async append(events: StreamEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    this.appendTx.immediate(events);
  }

  async list(runId: string, afterSeq: number, limit?: number): Promise<StreamEventRecord[]> {
    const lim = limit === undefined ? -1 : Math.max(0, Math.floor(limit));
    return this.listStmt.all(runId, afterSeq, lim) as StreamEventRecord[];
  }

  async deleteByRun(runId: string): Promise<void> {
    this.deleteStmt.run(runId);
  }

  async purgeEndedBefore(cutoff: string): Promise<number> {
    return this.purgeStmt.run(cutoff).changes;
  }
}
