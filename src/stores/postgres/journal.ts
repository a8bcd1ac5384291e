/**
 * The journal on Postgres: `run_events`, each thread's entries numbered 1, 2, ... in order. The next
 * seq is read from MAX(seq) under the thread's advisory lock (sql/locks.ts), so concurrent appends on
 * one thread, from any process, number one after the other.
 */
import type { Json, JournalCategory, JournalEntry, JournalPageQuery, JournalStore, NewJournalEntry } from "../types.ts";
import type { PgJournalAppend } from "./contracts.ts";
import { transaction, type PgPool, type Queryable } from "./pool.ts";
import { LOCK_JOURNAL_SEQ, lockThreads } from "./sql/locks.ts";
import { Params } from "./sql/params.ts";
import { isoColumn } from "./sql/time.ts";

interface JournalRow {
  thread_id: string;
  run_id: string;
  seq: number;
  event_type: string;
  category: JournalCategory;
  content: unknown;
  metadata: Json;
  created_at: string;
}

const COLUMNS = `thread_id, run_id, seq, event_type, category, content, metadata, ${isoColumn("created_at")}`;

type Page = { data: JournalEntry[]; has_more: boolean };

function limitOf(n: number): number {
  return Math.max(0, Math.floor(n));
}

function toEntry(row: JournalRow): JournalEntry {
  return { ...row, content: row.content ?? null, metadata: row.metadata ?? {} };
}

export class PgJournalStore implements JournalStore, PgJournalAppend {
  constructor(private readonly pool: PgPool) {}

  /** Appends on `q`, which must be a transaction (the threads' locks are held until it ends). */
  async appendRowsIn(q: Queryable, entries: NewJournalEntry[]): Promise<JournalEntry[]> {
    if (entries.length === 0) return [];
    const threads = [...new Set(entries.map((e) => e.thread_id))];
    await lockThreads(q, LOCK_JOURNAL_SEQ, threads);
    const { rows } = await q.query<{ thread_id: string; m: number }>(
      `SELECT id AS thread_id, (SELECT COALESCE(MAX(seq), 0) FROM run_events WHERE thread_id = id) AS m
       FROM unnest($1::text[]) AS id`,
      [threads],
    );
    const next = new Map(rows.map((r) => [r.thread_id, r.m + 1]));
    const createdAt = new Date().toISOString();
    const p = new Params();
    const at = `${p.add(createdAt)}::timestamptz`;
    const values: string[] = [];
    const out = entries.map((e) => {
      const seq = next.get(e.thread_id)!;
      next.set(e.thread_id, seq + 1);
      const entry: JournalEntry = {
        thread_id: e.thread_id,
        run_id: e.run_id,
        seq,
        event_type: e.event_type,
        category: e.category,
        content: e.content === undefined ? null : e.content,
        metadata: e.metadata ?? {},
        created_at: createdAt,
      };
      values.push(
        `(${p.add(entry.thread_id)}, ${p.add(entry.run_id)}, ${p.add(seq)}, ${p.add(entry.event_type)},
          ${p.add(entry.category)}, ${p.add(JSON.stringify(entry.content))}::json, ${p.json(entry.metadata)}, ${at})`,
      );
      return entry;
    });
    await q.query(
      `INSERT INTO run_events (thread_id, run_id, seq, event_type, category, content, metadata, created_at)
       VALUES ${values.join(", ")}`,
      p.values,
    );
    return out;
  }

  async appendIn(q: Queryable, entries: NewJournalEntry[]): Promise<void> {
    await this.appendRowsIn(q, entries);
  }

  async append(entries: NewJournalEntry[]): Promise<JournalEntry[]> {
    if (entries.length === 0) return [];
    return transaction(this.pool, (client) => this.appendRowsIn(client, entries));
  }

  /** A thread's or a run's messages: forward from `after_seq`, or the newest page before `before_seq`. */
  private async messages(column: "thread_id" | "run_id", key: string, query: JournalPageQuery): Promise<Page> {
    const limit = limitOf(query.limit);
    const p = new Params();
    const where = [`${column} = ${p.add(key)}`, "category = 'message'"];
    if (query.before_seq !== undefined) where.push(`seq < ${p.add(query.before_seq)}::bigint`);
    const forward = query.after_seq !== undefined;
    if (forward) where.push(`seq > ${p.add(query.after_seq)}::bigint`);
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${COLUMNS} FROM run_events WHERE ${where.join(" AND ")}
       ORDER BY seq ${forward ? "ASC" : "DESC"} LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    const data = rows.slice(0, limit).map(toEntry);
    return { data: forward ? data : data.reverse(), has_more: rows.length > limit };
  }

  async listThreadMessages(threadId: string, query: JournalPageQuery): Promise<Page> {
    return this.messages("thread_id", threadId, query);
  }

  async listRunMessages(runId: string, query: JournalPageQuery): Promise<Page> {
    return this.messages("run_id", runId, query);
  }

  async lastMessageSeqs(runIds: readonly string[], eventType: string): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (runIds.length === 0) return found;
    // Per run, the index (run_id, seq) walked back from the run's end to the first match.
    const { rows } = await this.pool.query<{ run_id: string; seq: number | null }>(
      `SELECT r.id AS run_id,
              (SELECT seq FROM run_events
               WHERE run_id = r.id AND category = 'message' AND event_type = $2
               ORDER BY seq DESC LIMIT 1) AS seq
       FROM unnest($1::text[]) AS r (id)`,
      [runIds, eventType],
    );
    for (const row of rows) if (row.seq !== null) found.set(row.run_id, row.seq);
    return found;
  }

  async listRunEvents(
    runId: string,
    query: { limit: number; after_seq?: number; event_types?: string[] },
  ): Promise<Page> {
    const limit = limitOf(query.limit);
    const p = new Params();
    const where = [`run_id = ${p.add(runId)}`];
    if (query.after_seq !== undefined) where.push(`seq > ${p.add(query.after_seq)}::bigint`);
    if (query.event_types !== undefined) where.push(`event_type = ANY(${p.add(query.event_types)}::text[])`);
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${COLUMNS} FROM run_events WHERE ${where.join(" AND ")} ORDER BY seq ASC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    return { data: rows.slice(0, limit).map(toEntry), has_more: rows.length > limit };
  }
}
