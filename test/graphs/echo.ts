/**
 * `echo`: one node (`agent`) answering with the offline model (no delay).
 * START -> agent -> END, state = { messages }.
 */
import { END, MessagesValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { OfflineChatModel } from "../../src/agents/offline-chat-model.ts";

const State = new StateSchema({ messages: MessagesValue });

const model = new OfflineChatModel({ delayMs: 0 });

export const graph = new StateGraph(State)
  .addNode("agent", async (state: typeof State.State, config: LangGraphRunnableConfig) => {
    const response = await model.invoke(state.messages, config);
    return { messages: [response] };
  })
  .addEdge(START, "agent")
  .addEdge("agent", END)
  .compile({ name: "echo" });
