/** Records as the API shows them: server-internal columns stay inside. */
import type { Schema } from "../../contract.ts";
import type { FeedbackStats } from "../../stores/feedback.ts";
import type { RunRecord, ThreadRecord } from "../../stores/types.ts";

/** A thread as the API shows it: never its owner; its time to live only when asked for (`include=ttl`). */
export function threadWire(thread: ThreadRecord, withTtl = false): Schema<"Thread"> {
  const { owner_id: _owner, ttl, ...wire } = thread;
  if (!withTtl) return wire;
  return { ...wire, ttl: ttl && { strategy: ttl.strategy, ttl_minutes: ttl.minutes, expires_at: ttl.expires_at } };
}

/** A run as the API shows it: never its owner; with the counts of its feedback. */
export function runWire(run: RunRecord, feedback: FeedbackStats) {
  const { owner_id: _owner, ...wire } = run;
  return { ...wire, feedback: { ...feedback } };
}

/** Only the fields a search's `select` names, in the order the record has them (all of them without `select`). */
export function selectFields<T extends object>(record: T, select: readonly string[] | undefined): Partial<T> {
  if (!select || select.length === 0) return record;
  const wanted = new Set(select);
  return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.has(key))) as Partial<T>;
}

/** The values of a repeated or comma-separated query parameter (`?include=a,b&include=c`). */
export function listParam(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Query flags arrive as booleans or as the SDK's "0"/"1" and "true"/"false". */
export function flag(value: unknown, fallback = false): boolean {
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "boolean") return value;
  return value === "1" || value === "true";
}

/** The request's `Idempotency-Key` (the validator has held it to the spec's length), if it sent one. */
export function idempotencyKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers["idempotency-key"];
  return typeof value === "string" ? value : undefined;
}
