/**
 * `countdown`: one node that loops on itself, doing only synchronous work,
 * until `remaining` reaches 0. Each step is a superstep with its own
 * checkpoint, so a long countdown is a long run that never waits for I/O.
 */
import { END, START, StateGraph, StateSchema } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  remaining: z.number().default(0),
  steps: z.number().default(0),
});

export const graph = new StateGraph(State)
  .addNode("tick", (s: { remaining: number; steps: number }) => ({ remaining: s.remaining - 1, steps: s.steps + 1 }))
  .addEdge(START, "tick")
  .addConditionalEdges("tick", (s: { remaining: number }) => (s.remaining > 0 ? "tick" : END))
  .compile({ name: "countdown" });
