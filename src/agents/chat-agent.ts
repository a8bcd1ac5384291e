/**
 * The default Threadgate chat agent, registered in /langgraph.json as `agent`.
 *
 * One node (`agent`) calls the chat model on the conversation so far:
 * START -> agent -> END. Compiled WITHOUT a checkpointer: the server injects
 * its own (`graph.checkpointer = saver`) before running it.
 */
import { END, MessagesValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { createChatModel } from "./model.ts";

export const ChatAgentState = new StateSchema({
  messages: MessagesValue,
});

export async function callModel(
  state: typeof ChatAgentState.State,
  config: LangGraphRunnableConfig,
): Promise<typeof ChatAgentState.Update> {
  // Created per call so environment changes (API key, delay) take effect
  // without re-importing the module; construction is cheap.
  const model = createChatModel();
  const response = await model.invoke(state.messages, config);
  return { messages: [response] };
}

export const graph = new StateGraph(ChatAgentState)
  .addNode("agent", callModel)
  .addEdge(START, "agent")
  .addEdge("agent", END)
  .compile({
    name: "agent",
    description: "Threadgate chat agent: answers the conversation with one model call.",
  });
