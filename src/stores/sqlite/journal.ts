import type { Statement, Transaction } from "better-sqlite3";
import type { Json, JournalCategory, JournalEntry, JournalPageQuery, JournalStore, NewJournalEntry } from "../types.ts";
import { fromJson, nowIso, toJson, type SqliteDatabase } from "./database.ts";

interface JournalRow {
  thread_id: string;
  run_id: string;
  seq: number;
  event_type: string;
  category: string;
  content: string;
  metadata: string;
  created_at: string;
}

const COLUMNS = "thread_id, run_id, seq, event_type, category, content, metadata, created_at";

function toEntry(row: JournalRow): JournalEntry {
  return {
    thread_id: row.thread_id,
    run_id: row.run_id,
    seq: row.seq,
    event_type: row.event_type,
    category: row.category as JournalCategory,
    content: fromJson<unknown>(row.content, null),
    metadata: fromJson<Json>(row.metadata, {}),
    created_at: row.created_at,
  };
}

type Page = { data: JournalEntry[]; has_more: boolean };

/** Statements for one "scope" (a thread's or a run's messages): forward from a cursor, or the newest page. */
interface PageStatements {
  forward: Statement; // seq > after (and < before), ascending
  backward: Statement; // seq < before, descending
}

const NO_UPPER = Number.MAX_SAFE_INTEGER;

function limitOf(n: number): number {
  return Math.max(0, Math.floor(n));
}

function page(stmts: PageStatements, key: string, query: JournalPageQuery): Page {
  const limit = limitOf(query.limit);
  const before = query.before_seq ?? NO_UPPER;
  if (query.after_seq !== undefined) {
    const rows = stmts.forward.all({ key, after: query.after_seq, before, fetch: limit + 1 }) as JournalRow[];
    return { data: rows.slice(0, limit).map(toEntry), has_more: rows.length > limit };
  }
  const rows = stmts.backward.all({ key, before, fetch: limit + 1 }) as JournalRow[];
  return { data: rows.slice(0, limit).reverse().map(toEntry), has_more: rows.length > limit };
}

export class SqliteJournalStore implements JournalStore {
  private readonly threadMessages: PageStatements;
  private readonly runMessages: PageStatements;
  private readonly runEventsStmt: Statement;
  private readonly lastMessageSeqStmt: Statement;
  private readonly appendTx: Transaction<(entries: NewJournalEntry[]) => JournalEntry[]>;
  /**
   * The inserts without a transaction of their own: inside a caller's transaction (the run
   * lifecycle store), or in `appendTx`. Must run in a write transaction: seqs follow MAX(seq).
   */
  readonly appendRows: (entries: NewJournalEntry[]) => JournalEntry[];

  constructor(db: SqliteDatabase) {
    const scoped = (column: "thread_id" | "run_id"): PageStatements => ({
      forward: db.prepare(`
        SELECT ${COLUMNS} FROM run_events
        WHERE ${column} = @key AND category = 'message' AND seq > @after AND seq < @before
        ORDER BY seq ASC LIMIT @fetch`),
      backward: db.prepare(`
        SELECT ${COLUMNS} FROM run_events
        WHERE ${column} = @key AND category = 'message' AND seq < @before
        ORDER BY seq DESC LIMIT @fetch`),
    });
    this.threadMessages = scoped("thread_id");
    this.runMessages = scoped("run_id");
    this.runEventsStmt = db.prepare(`
      SELECT ${COLUMNS} FROM run_events
      WHERE run_id = @run_id AND seq > @after
        AND (@types IS NULL OR event_type IN (SELECT value FROM json_each(@types)))
      ORDER BY seq ASC LIMIT @fetch`);

    // Per run, the index (run_id, seq) walked back from the run's end to the first match.
    this.lastMessageSeqStmt = db.prepare(`
      SELECT r.value AS run_id,
             (SELECT seq FROM run_events
              WHERE run_id = r.value AND category = 'message' AND event_type = @type
              ORDER BY seq DESC LIMIT 1) AS seq
      FROM json_each(@run_ids) AS r`);

    const maxSeq = db.prepare("SELECT COALESCE(MAX(seq), 0) AS m FROM run_events WHERE thread_id = ?");
    const insert = db.prepare(`
      INSERT INTO run_events (${COLUMNS})
      VALUES (@thread_id, @run_id, @seq, @event_type, @category, @content, @metadata, @created_at)`);
    this.appendRows = (entries: NewJournalEntry[]) => {
      const next = new Map<string, number>();
      const createdAt = nowIso();
      return entries.map((e) => {
        let seq = next.get(e.thread_id);
        if (seq === undefined) seq = ((maxSeq.get(e.thread_id) as { m: number }).m ?? 0) + 1;
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
        insert.run({ ...entry, content: toJson(entry.content), metadata: toJson(entry.metadata) });
        return entry;
      });
    };
    this.appendTx = db.transaction(this.appendRows);
  }

  async append(entries: NewJournalEntry[]): Promise<JournalEntry[]> {
    if (entries.length === 0) return [];
    // IMMEDIATE: take the write lock before reading MAX(seq), so other processes cannot interleave.
    return this.appendTx.immediate(entries);
  }

  async listThreadMessages(threadId: string, query: JournalPageQuery): Promise<Page> {
    return page(this.threadMessages, threadId, query);
  }

  async listRunMessages(runId: string, query: JournalPageQuery): Promise<Page> {
    return page(this.runMessages, runId, query);
  }

  async lastMessageSeqs(runIds: readonly string[], eventType: string): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (runIds.length === 0) return found;
    const rows = this.lastMessageSeqStmt.all({ run_ids: JSON.stringify(runIds), type: eventType }) as {
      run_id: string;
      seq: number | null;
    }[];
    for (const row of rows) if (row.seq !== null) found.set(row.run_id, row.seq);
    return found;
  }

  async listRunEvents(
    runId: string,
    query: { limit: number; after_seq?: number; event_types?: string[] },
  ): Promise<Page> {
    const limit = limitOf(query.limit);
    const rows = this.runEventsStmt.all({
      run_id: runId,
      after: query.after_seq ?? -1,
      types: query.event_types !== undefined ? JSON.stringify(query.event_types) : null,
      fetch: limit + 1,
    }) as JournalRow[];
    return { data: rows.slice(0, limit).map(toEntry), has_more: rows.length > limit };
  }
}
