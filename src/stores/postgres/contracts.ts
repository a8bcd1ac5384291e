/**
 * What the Postgres stores offer one another inside a transaction (the run lifecycle's admission and
 * end are one transaction over threads, runs, the journal and a cron's slot): the same operations as
 * their public methods, on the transaction's client.
 */
import type { CronSlot } from "../crons.ts";
import type { NewJournalEntry } from "../types.ts";
import type { Queryable } from "./pool.ts";

/** The cron store's part of an admission: claims the cron's slot (compare-and-set); false when another took it. */
export interface PgCronSlots {
  claimIn(q: Queryable, slot: CronSlot): Promise<boolean>;
}

/** The journal's part of a run's end: its entries, appended in the end's transaction. */
export interface PgJournalAppend {
  appendIn(q: Queryable, entries: NewJournalEntry[]): Promise<void>;
}
