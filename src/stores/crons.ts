/**
 * Storage contract for crons: schedules of runs. Every backend implements this and passes
 * test/stores/conformance/crons.ts. All a cron's scheduling state is its row (`next_run_date`), so a
 * restart loses nothing; a slot is taken by compare-and-set on `next_run_date` (`claim`, or
 * `AdmitOptions.cronSlot` in the same transaction as the run it starts), so no slot fires twice.
 */
import type { AccessScope } from "./access.ts";

type Json = Record<string, unknown>;

export type CronOnRunCompleted = "delete" | "keep";

export interface CronRecord {
  cron_id: string;
  assistant_id: string;
  /** The thread its runs run on; null: stateless, a new thread per run. */
  thread_id: string | null;
  schedule: string;
  /** IANA time zone the schedule is read in; null is UTC. */
  timezone: string | null;
  end_time: string | null;
  enabled: boolean;
  /** Stateless crons only (null on a thread's cron). */
  on_run_completed: CronOnRunCompleted | null;
  /** The run request each run is made from. */
  payload: Json;
  metadata: Json;
  /** The slot it fires next; null when none is left (past `end_time`). */
  next_run_date: string | null;
  /** The owner (the creator's identity); null = shared. */
  user_id: string | null;
  /** Who the runs act for: the creator's access, as the auth gate made it (not on the wire). */
  access: Json;
  created_at: string;
  updated_at: string;
}

export type NewCron = Omit<CronRecord, "created_at" | "updated_at">;

export type CronPatch = Partial<
  Pick<
    CronRecord,
    "schedule" | "timezone" | "end_time" | "enabled" | "on_run_completed" | "payload" | "metadata" | "next_run_date"
  >
>;

export interface CronFilter {
  assistant_id?: string;
  thread_id?: string;
  enabled?: boolean;
  /** Each key must be in the cron's metadata with a JSON-equal value. */
  metadata?: Json;
  /** Only crons the caller may see (its owner, its auth filters over the cron's metadata). */
  scope?: AccessScope;
}

export type CronSortBy = "cron_id" | "assistant_id" | "thread_id" | "created_at" | "updated_at" | "next_run_date";

export interface CronSearch extends CronFilter {
  limit: number;
  offset: number;
  sort_by?: CronSortBy;
  sort_order?: "asc" | "desc";
}

/** One slot of a cron: taken only while the cron's `next_run_date` is still `due`, moving it to `next`. */
export interface CronSlot {
  cron_id: string;
  due: string;
  next: string | null;
}

export interface CronStore {
  create(cron: NewCron): Promise<CronRecord>;
  /** Null when it does not exist or lies outside `scope`. */
  get(cronId: string, scope?: AccessScope): Promise<CronRecord | null>;
  /** Null (nothing written) when it does not exist or lies outside `scope`. */
  update(cronId: string, patch: CronPatch, scope?: AccessScope): Promise<CronRecord | null>;
  delete(cronId: string, scope?: AccessScope): Promise<boolean>;
  search(query: CronSearch): Promise<CronRecord[]>;
  count(filter: CronFilter): Promise<number>;
  /** Enabled crons whose `next_run_date` is at or before `now`, the longest due first, at most `limit`. */
  due(now: string, limit: number): Promise<CronRecord[]>;
  /** Takes the slot without starting a run (compare-and-set); false when it was no longer the cron's next. */
  claim(slot: CronSlot): Promise<boolean>;
}
