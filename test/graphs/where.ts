/**
 * `where`: one node `look` that appends where it ran to `seen`: the process id
 * and the worker thread id (0 in a process's main thread), after sleeping
 * `configurable.step_ms` (default 0) so that runs can overlap. With
 * `configurable.crash` it instead throws outside any promise (an uncaught
 * exception, which kills the thread it runs in) and waits to be stopped. With
 * `configurable.hog` it keeps allocating memory until its thread runs out.
 */
import { threadId } from "node:worker_threads";
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { abortableSleep } from "./slow.ts";

const Place = z.object({ pid: z.number(), thread: z.number() });

const State = new StateSchema({
  seen: new ReducedValue(
    z.array(Place).default(() => []),
    {
      inputSchema: z.array(Place),
      reducer: (current: z.infer<typeof Place>[], next: z.infer<typeof Place>[]) => current.concat(next),
    },
  ),
});

export const graph = new StateGraph(State)
  .addNode("look", async (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    if (config.configurable?.crash === true) {
      setImmediate(() => {
        throw new Error("the graph's thread crashed");
      });
      await abortableSleep(60_000, config.signal);
    }
    if (config.configurable?.hog === true) {
      const kept: number[][] = [];
      for (;;) {
        kept.push(new Array<number>(1_000_000).fill(kept.length + 0.5));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const stepMs = Number(config.configurable?.step_ms ?? 0);
    if (stepMs > 0) await abortableSleep(stepMs, config.signal);
    return { seen: [{ pid: process.pid, thread: threadId }] };
  })
  .addEdge(START, "look")
  .addEdge("look", END)
  .compile({ name: "where" });
