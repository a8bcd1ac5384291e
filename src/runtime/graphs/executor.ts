/**
 * Where graph runs execute. The server side of a run (admission, stream log,
 * final status) is the same either way; a GraphExecutor only runs `runGraph`
 * somewhere and hands back its events and its end:
 * - `InProcessGraphExecutor`: in the calling thread, time-sliced by its RunTurns: the server's
 *   own (THREADGATE_GRAPH_WORKERS=0, or a `:memory:` database, which other threads cannot open),
 *   or a graph worker's;
 * - `GraphWorkerPool` (workers/pool.ts): in worker threads, so graphs and
 *   the server's HTTP and stores use separate cores.
 */
import {
  runGraph,
  type GraphEventSink,
  type GraphJob,
  type GraphRunControl,
  type GraphRunDeps,
  type GraphRunEnd,
} from "./run.ts";

export interface GraphExecutor {
  /** Runs the job's graph to its end; events reach `sink` in order, all of them before this resolves. */
  execute(job: GraphJob, sink: GraphEventSink, control: GraphRunControl): Promise<GraphRunEnd>;
  /** Called once no run is executing any more. */
  close(): Promise<void>;
}

export class InProcessGraphExecutor implements GraphExecutor {
  constructor(private readonly deps: GraphRunDeps) {}

  async execute(job: GraphJob, sink: GraphEventSink, control: GraphRunControl): Promise<GraphRunEnd> {
    // Start in a later turn of the event loop, so what created the run (the response with its
    // metadata, in the server thread) goes first; its slices go before those of later runs.
    return this.deps.turns.run(job.run.run_id, async () => {
      await this.deps.turns.turn(job.run.run_id);
      return runGraph(this.deps, job, sink, control);
    });
  }

  async close(): Promise<void> {}
}
