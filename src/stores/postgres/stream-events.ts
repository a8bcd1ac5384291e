/**
 * The stream log on Postgres: each run's SSE events by (run_id, seq), `data` kept as the exact text
 * it was given. An append is one INSERT of the whole batch (its columns as arrays, so the statement's
 * size does not grow with the batch); a (run, seq) already there keeps its first event.
 */
import type { StreamEventRecord, StreamEventStore } from "../types.ts";
import type { Queryable } from "./pool.ts";

const COLUMNS = "run_id, seq, event, data";

export class PgStreamEventStore implements StreamEventStore {
  constructor(private readonly db: Queryable) {}

  async append(events: StreamEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    // Rows go in in the batch's order, so of two events of one seq in a batch the first is kept too.
    // An event with an epoch goes in only while its run's lease is still at that epoch: one of a
    // worker that lost the run to another (leases.ts) is dropped.
    await this.db.query(
      `INSERT INTO stream_events (${COLUMNS})
       SELECT e.run_id, e.seq, e.event, e.data
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY
         AS e(run_id, seq, event, data, epoch, ord)
       WHERE e.epoch IS NULL
          OR EXISTS (SELECT 1 FROM runs r WHERE r.run_id = e.run_id AND r.lease_epoch = e.epoch)
       ORDER BY e.ord
       ON CONFLICT (run_id, seq) DO NOTHING`,
      [
        events.map((e) => e.run_id),
        events.map((e) => e.seq),
        events.map((e) => e.event),
        events.map((e) => e.data),
        events.map((e) => e.epoch ?? null),
      ],
    );
  }

  async list(runId: string, afterSeq: number, limit?: number): Promise<StreamEventRecord[]> {
    // LIMIT NULL is no limit.
    const lim = limit === undefined ? null : Math.max(0, Math.floor(limit));
    const { rows } = await this.db.query<StreamEventRecord>(
      `SELECT ${COLUMNS} FROM stream_events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, afterSeq, lim],
    );
    return rows;
  }

  async deleteByRun(runId: string): Promise<void> {
    await this.db.query("DELETE FROM stream_events WHERE run_id = $1", [runId]);
  }

  async purgeEndedBefore(cutoff: string): Promise<number> {
    // A run has ended when it is neither pending nor running; its last update is when it ended.
    const { rowCount } = await this.db.query(
      `DELETE FROM stream_events WHERE run_id IN
         (SELECT run_id FROM runs WHERE status NOT IN ('pending', 'running') AND updated_at < $1)`,
      [cutoff],
    );
    return rowCount ?? 0;
  }
}
