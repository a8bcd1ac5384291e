/**
 * `logs`: a graph that logs through `@langchain/langgraph-sdk/logging`'s getLogger(), as graphs
 * written for LangGraph Platform do: the logger is taken at import (so the server must have
 * registered it before it imports graphs), and used in a node with winston-style calls.
 * Registered only in test/graphs/broken/langgraph.json.
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import { getLogger } from "@langchain/langgraph-sdk/logging";
import { z } from "zod";

const logger = getLogger();
logger.info("logs graph loaded", { graph: "logs" });

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
  .addNode("log", (state: typeof State.State): typeof State.Update => {
    logger.warn("logs node ran", { values: state.value.length });
    return { value: ["logged"] };
  })
  .addEdge(START, "log")
  .addEdge("log", END)
  .compile({ name: "logs" });
