/**
 * `two_node`: START -> first -> second -> END; each node appends its own name
 * to `value`. Fully deterministic, used to pin exact stream sequences.
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

export const graph = new StateGraph(State)
  .addNode("first", () => ({ value: ["first"] }))
  .addNode("second", () => ({ value: ["second"] }))
  .addEdge(START, "first")
  .addEdge("first", "second")
  .addEdge("second", END)
  .compile({ name: "two_node" });
