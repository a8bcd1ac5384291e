/**
 * Storage contract for feedback on runs (a Threadgate/DeerFlow extension): one rating per user per run.
 * Every backend implements this and passes test/stores/conformance/feedback.ts. A row belongs to its run:
 * deleting the run, or its thread, deletes it. The run as the API shows it carries the counts (its
 * `feedback` field), so a backend that keeps runs' JSON between reads must forget a run's on every write here.
 */

export interface FeedbackRecord {
  feedback_id: string;
  run_id: string;
  thread_id: string;
  /** Who gave it: the caller's identity. */
  user_id: string;
  /** The message it is about, when the client named one. */
  message_id: string | null;
  /** +1 or -1. */
  rating: 1 | -1;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

export type NewFeedback = Pick<FeedbackRecord, "feedback_id" | "run_id" | "thread_id" | "user_id" | "rating"> &
  Partial<Pick<FeedbackRecord, "message_id" | "comment">>;

export interface FeedbackStats {
  total: number;
  positive: number;
  negative: number;
}

/** The counts of a run nobody has rated (as a run just created). */
export const NO_FEEDBACK: Readonly<FeedbackStats> = Object.freeze({ total: 0, positive: 0, negative: 0 });

export interface FeedbackStore {
  /** Null (nothing written) when this user already has feedback on the run. The run must exist. */
  insert(feedback: NewFeedback): Promise<FeedbackRecord | null>;
  /**
   * This user's feedback on the run set to `rating` and `comment`, and `message_id` when one is given
   * (created with `feedback_id` when there is none; an existing row keeps its id and `created_at`).
   */
  upsert(feedback: NewFeedback): Promise<FeedbackRecord>;
  /** Oldest first; only `user_id`'s when given. */
  listByRun(runId: string, query?: { user_id?: string }): Promise<FeedbackRecord[]>;
  /** This user's feedback on each of the runs that has one, keyed by run id. */
  forRuns(runIds: readonly string[], userId: string): Promise<Map<string, FeedbackRecord>>;
  /** Counts over every user's feedback on the run. */
  statsByRun(runId: string): Promise<FeedbackStats>;
  /** The counts of each of the runs, keyed by run id: every id given, zeros where there is none. */
  statsForRuns(runIds: readonly string[]): Promise<Map<string, FeedbackStats>>;
  /** Deletes this user's feedback on the run; false when there was none. */
  deleteByUser(runId: string, userId: string): Promise<boolean>;
  /** Deletes the row only when it is on that run and this user's; false otherwise. */
  deleteById(feedbackId: string, runId: string, userId: string): Promise<boolean>;
}
