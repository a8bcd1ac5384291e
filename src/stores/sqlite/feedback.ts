import type { Statement } from "better-sqlite3";
import type { FeedbackRecord, FeedbackStats, FeedbackStore, NewFeedback } from "../feedback.ts";
import { nowIso, writeReturning, type SqliteDatabase } from "./database.ts";
import type { RunJsonCache } from "./run-json-cache.ts";

const COLUMNS = "feedback_id, run_id, thread_id, user_id, message_id, rating, comment, created_at, updated_at";

type FeedbackRow = FeedbackRecord;

/** The counts over feedback rows `f`, as the columns total, positive and negative. */
const COUNTS =
  "COUNT(f.run_id) AS total, COALESCE(SUM(f.rating = 1), 0) AS positive, COALESCE(SUM(f.rating = -1), 0) AS negative";

/**
 * SQL of the JSON `{"total":…,"positive":…,"negative":…}` of the run whose id is `runId` (a column of the
 * enclosing query): the `feedback` field of the run's wire JSON, which the run store writes in SQL.
 */
export function feedbackSummaryJsonSql(runId: string): string {
  return `(SELECT json_object('total', COUNT(*), 'positive', COALESCE(SUM(rating = 1), 0),
                              'negative', COALESCE(SUM(rating = -1), 0))
           FROM feedback WHERE feedback.run_id = ${runId})`;
}

function toRecord(row: FeedbackRow): FeedbackRecord {
  return { ...row, rating: row.rating > 0 ? 1 : -1 };
}

function params(feedback: NewFeedback) {
  const now = nowIso();
  return {
    feedback_id: feedback.feedback_id,
    run_id: feedback.run_id,
    thread_id: feedback.thread_id,
    user_id: feedback.user_id,
    message_id: feedback.message_id ?? null,
    rating: feedback.rating,
    comment: feedback.comment ?? null,
    created_at: now,
    updated_at: now,
  };
}

export class SqliteFeedbackStore implements FeedbackStore {
  private readonly insertStmt: Statement;
  private readonly upsertStmt: Statement;
  private readonly listStmt: Statement;
  private readonly forRunsStmt: Statement;
  private readonly statsStmt: Statement;
  private readonly statsForRunsStmt: Statement;
  private readonly deleteByUserStmt: Statement;
  private readonly deleteByIdStmt: Statement;

  /**
   * `runJson`: where the run store keeps finished runs' wire JSON, which shows the counts; every write
   * here forgets the run's there first (before the statement: nothing can read in between).
   */
  constructor(
    db: SqliteDatabase,
    private readonly runJson: RunJsonCache | null = null,
  ) {
    const values = `(@feedback_id, @run_id, @thread_id, @user_id, @message_id, @rating, @comment, @created_at, @updated_at)`;
    // DO NOTHING: a second create by the same user is an answer (null), not a constraint error.
    this.insertStmt = db.prepare(
      `INSERT INTO feedback (${COLUMNS}) VALUES ${values}
       ON CONFLICT (run_id, user_id) DO NOTHING RETURNING ${COLUMNS}`,
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO feedback (${COLUMNS}) VALUES ${values}
       ON CONFLICT (run_id, user_id) DO UPDATE SET
         rating = excluded.rating, comment = excluded.comment,
         message_id = COALESCE(excluded.message_id, feedback.message_id),
         updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    );
    // rowid breaks ties between rows made in the same millisecond: insertion order.
    this.listStmt = db.prepare(
      `SELECT ${COLUMNS} FROM feedback WHERE run_id = @run_id AND (@user_id IS NULL OR user_id = @user_id)
       ORDER BY created_at, rowid`,
    );
    this.forRunsStmt = db.prepare(
      `SELECT ${COLUMNS} FROM feedback
       WHERE user_id = @user_id AND run_id IN (SELECT value FROM json_each(@run_ids))`,
    );
    this.statsStmt = db.prepare(`SELECT ${COUNTS} FROM feedback f WHERE f.run_id = ?`);
    this.statsForRunsStmt = db.prepare(
      `SELECT r.value AS run_id, ${COUNTS}
       FROM json_each(@run_ids) AS r LEFT JOIN feedback f ON f.run_id = r.value GROUP BY r.value`,
    );
    this.deleteByUserStmt = db.prepare("DELETE FROM feedback WHERE run_id = ? AND user_id = ?");
    this.deleteByIdStmt = db.prepare("DELETE FROM feedback WHERE feedback_id = ? AND run_id = ? AND user_id = ?");
  }

  async insert(feedback: NewFeedback): Promise<FeedbackRecord | null> {
    this.runJson?.forget(feedback.run_id);
    const row = writeReturning<FeedbackRow>(this.insertStmt, params(feedback));
    return row ? toRecord(row) : null;
  }

  async upsert(feedback: NewFeedback): Promise<FeedbackRecord> {
    this.runJson?.forget(feedback.run_id);
    return toRecord(writeReturning<FeedbackRow>(this.upsertStmt, params(feedback))!);
  }

  async listByRun(runId: string, query: { user_id?: string } = {}): Promise<FeedbackRecord[]> {
    return (this.listStmt.all({ run_id: runId, user_id: query.user_id ?? null }) as FeedbackRow[]).map(toRecord);
  }

  async forRuns(runIds: readonly string[], userId: string): Promise<Map<string, FeedbackRecord>> {
    const found = new Map<string, FeedbackRecord>();
    if (runIds.length === 0) return found;
    const rows = this.forRunsStmt.all({ user_id: userId, run_ids: JSON.stringify(runIds) }) as FeedbackRow[];
    for (const row of rows) found.set(row.run_id, toRecord(row));
    return found;
  }

  async statsByRun(runId: string): Promise<FeedbackStats> {
    return this.statsStmt.get(runId) as FeedbackStats;
  }

  async statsForRuns(runIds: readonly string[]): Promise<Map<string, FeedbackStats>> {
    const found = new Map<string, FeedbackStats>();
    if (runIds.length === 0) return found;
    const rows = this.statsForRunsStmt.all({ run_ids: JSON.stringify(runIds) }) as (FeedbackStats & {
      run_id: string;
    })[];
    for (const { run_id, ...stats } of rows) found.set(run_id, stats);
    return found;
  }

  async deleteByUser(runId: string, userId: string): Promise<boolean> {
    this.runJson?.forget(runId);
    return this.deleteByUserStmt.run(runId, userId).changes > 0;
  }

  async deleteById(feedbackId: string, runId: string, userId: string): Promise<boolean> {
    this.runJson?.forget(runId);
    return this.deleteByIdStmt.run(feedbackId, runId, userId).changes > 0;
  }
}
