/**
 * The messages between the server thread and a graph worker thread
 * (pool.ts ⇄ worker.ts). Everything in them is plain data,
 * copied by structured clone.
 */
import type { CancelAction, GraphJob, GraphRunEnd } from "../run.ts";
import type { ProjectGraph } from "../../../project/langgraph-json.ts";
import type { StoreOp, StoreOpResult } from "../../store/operations.ts";
import type { CheckpointsLocation } from "../../../stores/checkpointing.ts";

/** What a graph worker is started with (its `workerData`). */
export interface GraphWorkerData {
  index: number;
  /** Where the worker opens its checkpointer (the checkpoints' SQLite file, or the Postgres schema). */
  checkpoints: CheckpointsLocation;
  /** langgraph.json's graphs, as the server thread read them (the file is read once). */
  graphs: ProjectGraph[];
  logLevel: string;
  /** Bytes of events that may be on their way to the server thread at once (see outbox.ts). */
  streamBufferBytes: number;
}

export type ToGraphWorker =
  | { type: "start"; job: GraphJob }
  | { type: "cancel"; runId: string; action: CancelAction | null }
  /** The server thread has taken this many bytes of events: room for as many more. */
  | { type: "credit"; bytes: number }
  /** No run is executing: close the database and exit. */
  | { type: "close" }
  /** The answer to a graph's store batch of the same `id`: its results, or why it failed. */
  | { type: "store-result"; id: number; results?: StoreOpResult[]; error?: { name: string; message: string } };

export type FromGraphWorker =
  /** Graphs loaded, database open: runs may come. */
  | { type: "ready" }
  /** Events of any runs, in order, flattened: run id, event name, wire JSON, run id, ... */
  | { type: "events"; events: string[]; bytes: number }
  /** A run's graph has ended; every event of the run came before this. */
  | { type: "end"; runId: string; end: GraphRunEnd }
  /** A graph's store batch, for the server thread's StoreService to carry out (store-proxy.ts). */
  | { type: "store"; id: number; owner: string | null; ops: StoreOp[] };
