/**
 * `fail`: START -> fail -> END where node `fail` throws `new Error("boom")`.
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
  .addNode("fail", (): typeof State.Update => {
    throw new Error("boom");
  })
  .addEdge(START, "fail")
  .addEdge("fail", END)
  .compile({ name: "fail" });
