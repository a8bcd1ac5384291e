/** A thread's time to live, as the thread store keeps it (re-exported by types.ts). */
export type ThreadTtlStrategy = "delete" | "keep_latest";

/** A thread's time to live: `minutes` after its last update, it is swept with `strategy`. */
export interface ThreadTtl {
  strategy: ThreadTtlStrategy;
  minutes: number;
  /** Its last update plus `minutes`; null once a `keep_latest` sweep has pruned it (until its next update). */
  expires_at: string | null;
}
