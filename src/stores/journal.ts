/** The journal store's contract: each run's audit entries, in thread order (re-exported by types.ts). */
import type { Assert, Equals, Schema } from "../contract.ts";

export type JournalCategory = "message" | "trace" | "outputs" | "error";
type _JournalCategoriesOfTheSpec = Assert<Equals<JournalCategory, Schema<"JournalEntry">["category"]>>;

/** An audit entry: what happened in a run, in thread order (messages, LLM calls, start/end). */
export interface JournalEntry {
  thread_id: string;
  run_id: string;
  /** Thread-global, strictly increasing; assigned by the store. */
  seq: number;
  event_type: string;
  category: JournalCategory;
  content: unknown;
  metadata: Record<string, unknown>;
  created_at: string;
}

export type NewJournalEntry = Omit<JournalEntry, "seq" | "created_at">;

export interface JournalPageQuery {
  limit: number;
  before_seq?: number;
  after_seq?: number;
}

export interface JournalStore {
  append(entries: NewJournalEntry[]): Promise<JournalEntry[]>;
  /** Category `message` only. With after_seq: oldest first from the cursor; otherwise the newest `limit`, ascending. */
  listThreadMessages(threadId: string, query: JournalPageQuery): Promise<{ data: JournalEntry[]; has_more: boolean }>;
  listRunMessages(runId: string, query: JournalPageQuery): Promise<{ data: JournalEntry[]; has_more: boolean }>;
  /** The seq of each run's last message entry of `eventType`, keyed by run id (runs without one are left out). */
  lastMessageSeqs(runIds: readonly string[], eventType: string): Promise<Map<string, number>>;
  listRunEvents(
    runId: string,
    query: { limit: number; after_seq?: number; event_types?: string[] },
  ): Promise<{ data: JournalEntry[]; has_more: boolean }>;
}
