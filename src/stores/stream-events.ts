/** The stream event store's contract: the SSE log of each run, for replay (re-exported by types.ts). */
/** One SSE event of a run, kept so any reader can replay the stream. */
export interface StreamEventRecord {
  run_id: string;
  /** Per-run sequence number starting at 0; the SSE `id:`. */
  seq: number;
  event: string;
  /** The `data:` payload, already serialised as one line of JSON. */
  data: string;
  /**
   * The lease epoch of the worker that published it (leases.ts), when it executes the run: where
   * processes share the database, an event whose epoch is no longer the run's is not stored (its worker
   * lost the run to another). Absent: stored whatever the epoch.
   */
  epoch?: number;
}

export interface StreamEventStore {
  append(events: StreamEventRecord[]): Promise<void>;
  /** Events with seq > afterSeq, ascending. */
  list(runId: string, afterSeq: number, limit?: number): Promise<StreamEventRecord[]>;
  deleteByRun(runId: string): Promise<void>;
  /** Deletes the events of runs that ended before the cutoff (ISO time); returns how many. */
  purgeEndedBefore(cutoff: string): Promise<number>;
}
