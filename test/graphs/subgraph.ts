/**
 * `subgraph`: parent START -> child -> END, where `child` is a compiled
 * subgraph (START -> inner -> END) whose node `inner` appends "inner" to
 * `value`. With `subgraphs: true` stream events from `inner` arrive under a
 * namespace like `child:<task_id>`.
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
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

export const child = new StateGraph(State)
  .addNode("inner", () => ({ value: ["inner"] }))
  .addEdge(START, "inner")
  .addEdge("inner", END)
  .compile({ name: "child" });

export const graph = new StateGraph(State)
  .addNode("child", child)
  .addEdge(START, "child")
  .addEdge("child", END)
  .compile({ name: "subgraph" });
