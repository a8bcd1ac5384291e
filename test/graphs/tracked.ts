/**
 * `tracked`: one node `work` that sleeps `configurable.step_ms` (default 150,
 * abortable) and appends its run id to `done`. While it works it counts itself
 * in a process-wide tracker, so tests of the in-process server can see how many
 * runs of a thread execute at once and in which order they started.
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { abortableSleep } from "./slow.ts";

export interface RunTracker {
  active: Map<string, number>;
  maxActive: Map<string, number>;
  started: Map<string, string[]>;
}

const KEY = Symbol.for("threadgate.test.runTracker");
export function runTracker(): RunTracker {
  const g = globalThis as unknown as Record<symbol, RunTracker>;
  g[KEY] ??= { active: new Map(), maxActive: new Map(), started: new Map() };
  return g[KEY];
}

const State = new StateSchema({
  done: new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.array(z.string()),
      reducer: (current: string[], next: string[]) => current.concat(next),
    },
  ),
});

export const graph = new StateGraph(State)
  .addNode("work", async (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const threadId = String(config.configurable?.thread_id);
    const runId = String(config.configurable?.run_id);
    const tracker = runTracker();
    const now = (tracker.active.get(threadId) ?? 0) + 1;
    tracker.active.set(threadId, now);
    tracker.maxActive.set(threadId, Math.max(now, tracker.maxActive.get(threadId) ?? 0));
    tracker.started.set(threadId, [...(tracker.started.get(threadId) ?? []), runId]);
    try {
      await abortableSleep(Number(config.configurable?.step_ms ?? 150), config.signal);
    } finally {
      tracker.active.set(threadId, (tracker.active.get(threadId) ?? 1) - 1);
    }
    return { done: [runId] };
  })
  .addEdge(START, "work")
  .addEdge("work", END)
  .compile({ name: "tracked" });
