/**
 * `configured`: a graph factory `(config) => graph`. Its one node is named by
 * `configurable.nodeName` (default "default") and appends its own name to
 * `value`: START -> <nodeName> -> END. A thread run with `nodeName: "runtime"`
 * has checkpoints only the graph built with that config can read or update.
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  value: new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.array(z.string()),
      reducer: (current: string[], next: string[]) => current.concat(next),
    },
  ),
});

export function graph(config: LangGraphRunnableConfig) {
  const name = String(config?.configurable?.nodeName ?? "default");
  return new StateGraph(State)
    .addNode(name, () => ({ value: [name] }))
    .addEdge(START, name)
    .addEdge(name, END)
    .compile({ name: "configured" });
}
