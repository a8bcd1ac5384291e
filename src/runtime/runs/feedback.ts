/**
 * Feedback on runs (a Threadgate/DeerFlow extension): one rating per user per run. The run is reached
 * through the caller's access first (another user's run is a 404, as a missing one), and the rows are
 * always the caller's own: `user_id` is the authenticated identity, or `local` without authentication.
 * Message listings carry the caller's feedback on each run's last AI message, as the gateway does.
 */
import { randomUUID } from "node:crypto";
import type { Access } from "../../auth/access.ts";
import { ConflictError, NotFoundError } from "../../http/errors.ts";
import type { Schema } from "../../contract.ts";
import type { FeedbackRecord, FeedbackStats } from "../../stores/feedback.ts";
import type { JournalEntry, Stores } from "../../stores/types.ts";

/** Who owns feedback given without authentication: the one local user. */
export const LOCAL_FEEDBACK_USER = "local";

/** The journal event type of an AI message: what feedback attaches to. */
const AI_MESSAGE = "llm.ai.response";

export type AttachedFeedback = Schema<"AttachedFeedback">;
export type MessageEntry = JournalEntry & { feedback: AttachedFeedback };

export function feedbackUserOf(access: Access): string {
  return access.user?.identity ?? LOCAL_FEEDBACK_USER;
}

/** The run the feedback is on: the caller may see it, on this thread. */
export interface FeedbackTarget {
  thread_id: string;
  run_id: string;
}

interface FeedbackInput {
  rating: 1 | -1;
  comment?: string | null;
  message_id?: string | null;
}

export async function putFeedback(
  stores: Stores,
  target: FeedbackTarget,
  access: Access,
  input: FeedbackInput,
): Promise<FeedbackRecord> {
  return stores.feedback.upsert({
    feedback_id: randomUUID(),
    ...target,
    user_id: feedbackUserOf(access),
    rating: input.rating,
    comment: input.comment ?? null,
  });
}

/** 409 when the caller has feedback on the run already: one per user per run, replaced only by PUT. */
export async function createFeedback(
  stores: Stores,
  target: FeedbackTarget,
  access: Access,
  input: FeedbackInput,
): Promise<FeedbackRecord> {
  const row = await stores.feedback.insert({
    feedback_id: randomUUID(),
    ...target,
    user_id: feedbackUserOf(access),
    rating: input.rating,
    comment: input.comment ?? null,
    message_id: input.message_id ?? null,
  });
  if (!row) throw new ConflictError(`Feedback on run ${target.run_id} exists already; PUT replaces it`);
  return row;
}

export function listFeedback(stores: Stores, target: FeedbackTarget, access: Access): Promise<FeedbackRecord[]> {
  return stores.feedback.listByRun(target.run_id, { user_id: feedbackUserOf(access) });
}

/** Every user's feedback counted: numbers only, for whoever may read the run. */
export async function feedbackStats(
  stores: Stores,
  target: FeedbackTarget,
): Promise<FeedbackStats & { run_id: string }> {
  return { run_id: target.run_id, ...(await stores.feedback.statsByRun(target.run_id)) };
}

export async function deleteFeedback(
  stores: Stores,
  target: FeedbackTarget,
  access: Access,
  feedbackId?: string,
): Promise<void> {
  const user = feedbackUserOf(access);
  const deleted =
    feedbackId === undefined
      ? await stores.feedback.deleteByUser(target.run_id, user)
      : await stores.feedback.deleteById(feedbackId, target.run_id, user);
  if (!deleted) throw new NotFoundError("Feedback not found");
}

/**
 * The entries with `feedback` on each: the caller's feedback on the run, on the run's last AI message
 * (its last `llm.ai.response` across the whole run, as the gateway attaches it, wherever the page
 * ends), null on every other entry.
 */
export async function withFeedback(
  stores: Stores,
  access: Access,
  entries: readonly JournalEntry[],
): Promise<MessageEntry[]> {
  // Only a run with an AI message on this page can have its last one here.
  const runs = [...new Set(entries.filter((e) => e.event_type === AI_MESSAGE).map((e) => e.run_id))];
  const [lastAi, mine] =
    runs.length > 0
      ? await Promise.all([
          stores.journal.lastMessageSeqs(runs, AI_MESSAGE),
          stores.feedback.forRuns(runs, feedbackUserOf(access)),
        ])
      : [new Map<string, number>(), new Map<string, FeedbackRecord>()];
  return entries.map((e) => {
    const row = lastAi.get(e.run_id) === e.seq ? mine.get(e.run_id) : undefined;
    return { ...e, feedback: row ? { feedback_id: row.feedback_id, rating: row.rating, comment: row.comment } : null };
  });
}
