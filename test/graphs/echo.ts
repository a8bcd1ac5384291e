/**
 * `echo`: one node (`agent`) answering with the offline model (no delay): once, or
 * `configurable.answers` times in a row (each answer sees the ones before it), so one run
 * can leave several AI messages. START -> agent -> END, state = { messages }.
 */
import { END, MessagesValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { BaseMessage } from "@langchain/core/messages";
import { OfflineChatModel } from "../../src/agents/offline-chat-model.ts";

const State = new StateSchema({ messages: MessagesValue });

const model = new OfflineChatModel({ delayMs: 0 });

export const graph = new StateGraph(State)
  .addNode("agent", async (state: typeof State.State, config: LangGraphRunnableConfig) => {
    const answers = Math.max(1, Number(config.configurable?.answers ?? 1));
    const said: BaseMessage[] = [];
    for (let i = 0; i < answers; i++) said.push(await model.invoke([...state.messages, ...said], config));
    return { messages: said };
  })
  .addEdge(START, "agent")
  .addEdge("agent", END)
  .compile({ name: "echo" });
