/**
 * `throws_at_import`: a graph module that throws while it is imported (a missing env var, a typo in
 * top-level code). Registered only in test/graphs/broken/langgraph.json.
 */
import { END, START, StateGraph, MessagesAnnotation } from "@langchain/langgraph";

if (process.env.THREADGATE_TEST_NEVER_SET === undefined) {
  throw new Error("broken at import: THREADGATE_TEST_NEVER_SET is not set");
}

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", () => ({ messages: [] }))
  .addEdge(START, "agent")
  .addEdge("agent", END)
  .compile();
