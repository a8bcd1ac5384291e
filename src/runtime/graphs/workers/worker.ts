/**
 * A graph worker thread: loads the graphs of `langgraph.json` with a
 * checkpointer on a connection of its own, and runs the graphs of the runs the
 * server thread sends it (`runGraph`), sending back their events and ends.
 * Runs in one worker share its event loop through RunTurns, as they share the
 * server's when graphs run in process. Its `process.env` is the copy Node makes of
 * the server thread's when the worker starts, langgraph.json's `env` included
 * (the server applies it before it starts any worker).
 */
import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "../../../logger.ts";
import { openCheckpointing } from "../../../stores/checkpointing.ts";
import { GraphRegistry } from "../registry.ts";
import { InProcessGraphExecutor } from "../executor.ts";
import { failedEnd, type CancelAction } from "../run.ts";
import type { FromGraphWorker, GraphWorkerData, ToGraphWorker } from "./protocol.ts";
import { RunTurns } from "../turns.ts";
import { WorkerOutbox } from "./outbox.ts";
import { StoreProxy } from "./store-proxy.ts";
import { ThreadgateStore } from "../../store/graph-store.ts";

const port = parentPort;
if (!port) throw new Error("graphs/workers/worker.ts runs in a worker thread");
const data = workerData as GraphWorkerData;

const send = (message: FromGraphWorker) => port.postMessage(message);
const logger = createLogger(data.logLevel).child({ graph_worker: data.index });
const turns = new RunTurns();
const checkpointing = await openCheckpointing(data.checkpoints, (write) =>
  turns.turn(write.configurable?.run_id as string | undefined),
);
// A graph that fails to load here is reported by the server thread (it loads them too); its runs fail.
const registry = await GraphRegistry.load(data.graphs, checkpointing.checkpointer, { logger });
// The store is the server thread's: graphs' store calls are posted there (store-proxy.ts).
const storeProxy = new StoreProxy(send);
// The worker runs its graphs as the server thread runs them with no workers: in its own thread, time-sliced.
const local = new InProcessGraphExecutor({
  registry,
  checkpointAdmin: checkpointing.checkpointAdmin,
  turns,
  logger,
  storeFor: (owner) => new ThreadgateStore(storeProxy, owner),
});

interface Executing {
  controller: AbortController;
  action: CancelAction | null;
}
const executing = new Map<string, Executing>();

const outbox = new WorkerOutbox(data.streamBufferBytes, (events, bytes) => send({ type: "events", events, bytes }));

function start(job: Extract<ToGraphWorker, { type: "start" }>["job"]): void {
  const runId = job.run.run_id;
  const run: Executing = { controller: new AbortController(), action: null };
  executing.set(runId, run);
  const sink = {
    publish: (event: string, json: string) => outbox.publish(runId, event, json, run.controller.signal),
  };
  const control = { signal: run.controller.signal, cancelAction: () => run.action };
  local
    .execute(job, sink, control)
    .catch((err: unknown) => {
      logger.error({ err, run_id: runId }, "graph run crashed");
      return failedEnd(err);
    })
    .then((end) => {
      executing.delete(runId);
      outbox.flush();
      try {
        send({ type: "end", runId, end });
      } catch (err) {
        // An end that cannot be cloned (a value of graph code in it) must not take the worker down.
        logger.error({ err, run_id: runId }, "a run's end could not be sent to the server thread");
        send({ type: "end", runId, end: failedEnd(err) });
      }
    });
}

port.on("message", (message: ToGraphWorker) => {
  switch (message.type) {
    case "start":
      return start(message.job);
    case "cancel": {
      const run = executing.get(message.runId);
      if (!run) return; // it has ended meanwhile
      run.action ??= message.action;
      run.controller.abort(new Error(`run cancelled (${message.action})`));
      return;
    }
    case "credit":
      outbox.credit(message.bytes);
      return;
    case "store-result":
      storeProxy.answer(message);
      return;
    case "close":
      void checkpointing.close().finally(() => port.close());
      return;
  }
});

send({ type: "ready" });
