/**
 * GraphWorkerPool: runs graphs in worker threads (THREADGATE_GRAPH_WORKERS,
 * default 1), so a run's graph, its checkpoints and its journal take a core of
 * their own while the server thread answers requests, writes the stream log
 * and settles runs. Each worker has its own connection to the checkpoints'
 * SQLite file (the server thread writes the other one) and its own copy of the
 * graphs; a run goes to the worker with the fewest runs. A worker that dies
 * ends its runs as errors and is replaced.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "../../../logger.ts";
import type { GraphExecutor } from "../executor.ts";
import { failedEnd, type GraphEventSink, type GraphJob, type GraphRunControl, type GraphRunEnd } from "../run.ts";
import type { FromGraphWorker, GraphWorkerData, ToGraphWorker } from "./protocol.ts";
import { toJson } from "../../shared/serialize.ts";
import type { ProjectGraph } from "../../../project/langgraph-json.ts";
import type { StoreGateway } from "../../store/operations.ts";
import { answerStoreBatch } from "./store-proxy.ts";
import type { CheckpointsLocation } from "../../../stores/checkpointing.ts";

const BOOT = new URL("./boot.mjs", import.meta.url);

export interface GraphWorkerPoolOptions {
  size: number;
  checkpoints: CheckpointsLocation;
  graphs: ProjectGraph[];
  logLevel: string;
  /** Bytes of events each worker may have on their way to this thread at once. */
  streamBufferBytes: number;
  /** Old-generation heap limit of each worker (MiB); 0 leaves Node's. */
  heapMb: number;
  logger: Logger;
  /** Where the graphs' store calls go (the server thread's StoreService). */
  store: StoreGateway;
}

interface Waiting {
  sink: GraphEventSink;
  resolve: (end: GraphRunEnd) => void;
}

/** One worker thread and the runs it is executing. */
class GraphWorker {
  readonly runs = new Map<string, Waiting>();
  readonly ready: Promise<void>;
  exited = false;
  private readonly worker: Worker;

  constructor(
    data: GraphWorkerData,
    heapMb: number,
    private readonly logger: Logger,
    private readonly store: StoreGateway,
    onExit: (worker: GraphWorker) => void,
  ) {
    const resourceLimits = heapMb > 0 ? { maxOldGenerationSizeMb: heapMb } : undefined;
    this.worker = new Worker(BOOT, { workerData: data, resourceLimits });
    let outOfMemory = false;
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on("message", (message: FromGraphWorker) => {
        if (message.type === "ready") resolve();
        else this.receive(message);
      });
      this.worker.on("error", (err) => {
        outOfMemory ||= (err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
        reject(err);
        this.logger.error({ err, graph_worker: data.index }, "graph worker failed");
      });
      this.worker.on("exit", (code) => {
        this.exited = true;
        reject(new Error(`graph worker ${data.index} exited with code ${code} before it was ready`));
        if (outOfMemory)
          this.failAll(
            `graph worker ${data.index} ran out of memory (${heapMb > 0 ? `THREADGATE_GRAPH_WORKER_HEAP_MB=${heapMb}` : "Node's heap limit"}); its runs were stopped`,
            "GraphWorkerOutOfMemory",
          );
        else this.failAll(`graph worker ${data.index} exited (code ${code})`, "GraphWorkerExit");
        onExit(this);
      });
    });
    // Not every caller waits for `ready`; a failure to start is reported through the runs it fails.
    this.ready.catch(() => undefined);
  }

  post(message: ToGraphWorker): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private receive(message: FromGraphWorker): void {
    if (message.type === "events") {
      const events = message.events;
      const waits: Promise<void>[] = [];
      for (let i = 0; i < events.length; i += 3) {
        const room = this.runs.get(events[i])?.sink.publish(events[i + 1], events[i + 2]);
        if (room) waits.push(room);
      }
      // Credit once the events are taken and the store keeps up, after a turn of this thread's event
      // loop: requests are answered between two slices of a flood.
      const credit = () => setImmediate(() => this.post({ type: "credit", bytes: message.bytes }));
      if (waits.length === 0) credit();
      else void Promise.all(waits).then(credit);
    } else if (message.type === "store") {
      void answerStoreBatch(this.store, message, (answer) => this.post(answer));
    } else if (message.type === "end") {
      const waiting = this.runs.get(message.runId);
      this.runs.delete(message.runId);
      waiting?.resolve(message.end);
    }
  }

  private failAll(reason: string, name: string): void {
    const runs = [...this.runs.values()];
    this.runs.clear();
    const end = failedEnd(Object.assign(new Error(reason), { name }));
    const event = toJson(end.failure);
    for (const waiting of runs) {
      waiting.sink.publish("error", event);
      waiting.resolve(end);
    }
  }

  /** Asks the worker to close its database and exit; terminates it if it has not within `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.post({ type: "close" });
    const timer = setTimeout(() => void this.worker.terminate(), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export class GraphWorkerPool implements GraphExecutor {
  private readonly workers: GraphWorker[] = [];
  private closing = false;
  private spawned = 0;

  private constructor(private readonly options: GraphWorkerPoolOptions) {}

  /** Starts the workers; resolves once every one has loaded its graphs. */
  static async start(options: GraphWorkerPoolOptions): Promise<GraphWorkerPool> {
    const pool = new GraphWorkerPool(options);
    for (let i = 0; i < Math.max(1, options.size); i++) pool.workers.push(pool.spawn());
    try {
      await Promise.all(pool.workers.map((w) => w.ready));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  private spawn(): GraphWorker {
    const data: GraphWorkerData = {
      index: this.spawned++,
      checkpoints: this.options.checkpoints,
      graphs: this.options.graphs,
      logLevel: this.options.logLevel,
      streamBufferBytes: this.options.streamBufferBytes,
    };
    return new GraphWorker(data, this.options.heapMb, this.options.logger, this.options.store, (gone) =>
      this.replace(gone),
    );
  }

  private replace(gone: GraphWorker): void {
    const i = this.workers.indexOf(gone);
    if (i === -1 || this.closing) return;
    this.options.logger.warn("replacing a graph worker that exited");
    this.workers[i] = this.spawn();
  }

  execute(job: GraphJob, sink: GraphEventSink, control: GraphRunControl): Promise<GraphRunEnd> {
    const runId = job.run.run_id;
    let worker = this.workers[0];
    for (const w of this.workers) if (w.runs.size < worker.runs.size) worker = w;
    if (worker.exited) return Promise.resolve(failedEnd(new Error("no graph worker is running")));
    return new Promise<GraphRunEnd>((resolve) => {
      const onAbort = () => worker.post({ type: "cancel", runId, action: control.cancelAction() });
      worker.runs.set(runId, {
        sink,
        resolve: (end) => {
          control.signal.removeEventListener("abort", onAbort);
          resolve(end);
        },
      });
      try {
        worker.post({ type: "start", job });
      } catch (err) {
        // The job could not be sent (structured clone failed): the run fails here; the worker never knew it.
        worker.runs.delete(runId);
        throw err;
      }
      if (control.signal.aborted) onAbort();
      else control.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
