/**
 * `tracked`: one node `work` that sleeps `configurable.step_ms` (default 150,
 * abortable) and appends its run id to `done`. It writes a line to the file
 * `configurable.tracker_file` (if given) when it starts and when it stops, so a
 * test can see how many runs of a thread executed at once and in which order
 * they started, wherever the graph ran (a graph worker thread or the server's).
 */
import fs from "node:fs";
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { abortableSleep } from "./slow.ts";

export interface RunTracker {
  maxActive: Map<string, number>;
  started: Map<string, string[]>;
}

interface TrackerLine {
  event: "start" | "stop";
  thread_id: string;
  run_id: string;
}

/** What the tracker file says so far: per thread, the most runs at once and the runs in the order they started. */
export function readTracker(file: string): RunTracker {
  const tracker: RunTracker = { maxActive: new Map(), started: new Map() };
  const active = new Map<string, number>();
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  for (const line of text.split("\n")) {
    if (!line) continue;
    const { event, thread_id, run_id } = JSON.parse(line) as TrackerLine;
    const now = (active.get(thread_id) ?? 0) + (event === "start" ? 1 : -1);
    active.set(thread_id, now);
    if (event === "start") {
      tracker.maxActive.set(thread_id, Math.max(now, tracker.maxActive.get(thread_id) ?? 0));
      tracker.started.set(thread_id, [...(tracker.started.get(thread_id) ?? []), run_id]);
    }
  }
  return tracker;
}

function track(file: unknown, line: TrackerLine): void {
  if (typeof file === "string") fs.appendFileSync(file, JSON.stringify(line) + "\n");
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
    const file = config.configurable?.tracker_file;
    track(file, { event: "start", thread_id: threadId, run_id: runId });
    try {
      await abortableSleep(Number(config.configurable?.step_ms ?? 150), config.signal);
    } finally {
      track(file, { event: "stop", thread_id: threadId, run_id: runId });
    }
    return { done: [runId] };
  })
  .addEdge(START, "work")
  .addEdge("work", END)
  .compile({ name: "tracked" });
