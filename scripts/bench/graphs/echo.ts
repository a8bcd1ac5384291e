/**
 * `echo`: the benchmark's small graph. One node answers the last message with
 * "echo: <text>". START -> echo -> END, state = MessagesAnnotation.
 *
 * Both servers load this very file's source (the LangGraph.js server a copy
 * the bench writes next to its own node_modules), so it imports nothing but
 * `@langchain/langgraph`.
 */
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return JSON.stringify(content ?? "");
}

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("echo", (state: typeof MessagesAnnotation.State) => {
    const last = state.messages[state.messages.length - 1];
    return { messages: [{ role: "ai", content: `echo: ${textOf(last?.content)}` }] };
  })
  .addEdge(START, "echo")
  .addEdge("echo", END)
  .compile({ name: "echo" });
