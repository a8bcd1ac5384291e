/**
 * Feedback on Postgres: one row per (run, user), written with INSERT … ON CONFLICT on that pair, so
 * concurrent writers of one user's feedback never make two rows. Rows go with their run (foreign key).
 */
import type { FeedbackRecord, FeedbackStats, FeedbackStore, NewFeedback } from "../feedback.ts";
import type { Queryable } from "./pool.ts";
import { isoText } from "./sql/time.ts";

/** A TIMESTAMPTZ column as the records carry times: ISO-8601 in UTC, milliseconds, `Z`. */

const COLUMNS = `feedback_id, run_id, thread_id, user_id, message_id, rating, comment,
  ${isoText("created_at")} AS created_at, ${isoText("updated_at")} AS updated_at`;

/** The counts over feedback rows `f`, as the columns total, positive and negative. */
const COUNTS = `COUNT(f.run_id)::int AS total, (COUNT(*) FILTER (WHERE f.rating = 1))::int AS positive,
  (COUNT(*) FILTER (WHERE f.rating = -1))::int AS negative`;

/**
 * SQL of the JSONB `{"total":…,"positive":…,"negative":…}` of the run whose id is `runId` (a column of
 * the enclosing query): the `feedback` field of the run's wire JSON, for the run store to select.
 */
export function feedbackSummaryJsonSql(runId: string): string {
  return `(SELECT jsonb_build_object('total', COUNT(*), 'positive', COUNT(*) FILTER (WHERE fb.rating = 1),
                                     'negative', COUNT(*) FILTER (WHERE fb.rating = -1))
           FROM feedback fb WHERE fb.run_id = ${runId})`;
}

type FeedbackRow = Omit<FeedbackRecord, "rating"> & { rating: number };

function toRecord(row: FeedbackRow): FeedbackRecord {
  return { ...row, rating: row.rating > 0 ? 1 : -1 };
}

/** The parameters $1..$8 of an insert, in the order of INSERT_VALUES' columns ($8: now, both times). */
function values(feedback: NewFeedback): unknown[] {
  return [
    feedback.feedback_id,
    feedback.run_id,
    feedback.thread_id,
    feedback.user_id,
    feedback.message_id ?? null,
    feedback.rating,
    feedback.comment ?? null,
    new Date().toISOString(),
  ];
}

const INSERT_VALUES = `INSERT INTO feedback AS f
    (feedback_id, run_id, thread_id, user_id, message_id, rating, comment, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $8::timestamptz)`;

export class PgFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Queryable) {}

  async insert(feedback: NewFeedback): Promise<FeedbackRecord | null> {
    // DO NOTHING: a second create by the same user is an answer (null), not a constraint error.
    const { rows } = await this.db.query<FeedbackRow>(
      `${INSERT_VALUES} ON CONFLICT (run_id, user_id) DO NOTHING RETURNING ${COLUMNS}`,
      values(feedback),
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async upsert(feedback: NewFeedback): Promise<FeedbackRecord> {
    const { rows } = await this.db.query<FeedbackRow>(
      `${INSERT_VALUES}
       ON CONFLICT (run_id, user_id) DO UPDATE SET
         rating = excluded.rating, comment = excluded.comment,
         message_id = COALESCE(excluded.message_id, f.message_id),
         updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
      values(feedback),
    );
    return toRecord(rows[0]);
  }

  async listByRun(runId: string, query: { user_id?: string } = {}): Promise<FeedbackRecord[]> {
    const { rows } = await this.db.query<FeedbackRow>(
      `SELECT ${COLUMNS} FROM feedback
       WHERE run_id = $1 AND ($2::text IS NULL OR user_id = $2)
       ORDER BY feedback.created_at, seq`,
      [runId, query.user_id ?? null],
    );
    return rows.map(toRecord);
  }

  async forRuns(runIds: readonly string[], userId: string): Promise<Map<string, FeedbackRecord>> {
    const found = new Map<string, FeedbackRecord>();
    if (runIds.length === 0) return found;
    const { rows } = await this.db.query<FeedbackRow>(
      `SELECT ${COLUMNS} FROM feedback WHERE user_id = $1 AND run_id = ANY ($2::text[])`,
      [userId, [...runIds]],
    );
    for (const row of rows) found.set(row.run_id, toRecord(row));
    return found;
  }

  async statsByRun(runId: string): Promise<FeedbackStats> {
    const { rows } = await this.db.query<FeedbackStats>(`SELECT ${COUNTS} FROM feedback f WHERE f.run_id = $1`, [
      runId,
    ]);
    return rows[0];
  }

  async statsForRuns(runIds: readonly string[]): Promise<Map<string, FeedbackStats>> {
    const found = new Map<string, FeedbackStats>();
    if (runIds.length === 0) return found;
    const { rows } = await this.db.query<FeedbackStats & { run_id: string }>(
      `SELECT r.run_id, ${COUNTS}
       FROM unnest($1::text[]) AS r (run_id) LEFT JOIN feedback f ON f.run_id = r.run_id
       GROUP BY r.run_id`,
      [[...runIds]],
    );
    for (const { run_id, ...stats } of rows) found.set(run_id, stats);
    return found;
  }

  async deleteByUser(runId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM feedback WHERE run_id = $1 AND user_id = $2", [
      runId,
      userId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async deleteById(feedbackId: string, runId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "DELETE FROM feedback WHERE feedback_id = $1 AND run_id = $2 AND user_id = $3",
      [feedbackId, runId, userId],
    );
    return (rowCount ?? 0) > 0;
  }
}
