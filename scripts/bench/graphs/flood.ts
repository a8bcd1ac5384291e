/**
 * `flood`: node `emit` writes `count` custom events of about `size` bytes each
 * (`{ i, pad }`, default 100,000 × 1,024) through `config.writer`, in one
 * synchronous loop, as a chatty graph does; then stores how many it wrote.
 * `count` and `size` come from `config.configurable`. Every event shares one
 * `pad` string, so what the graph itself holds is small: the bytes are made
 * when the server serialises the events.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";

const State = Annotation.Root({ emitted: Annotation<number> });

function setting(config: LangGraphRunnableConfig, key: string, fallback: number): number {
  const raw = config.configurable?.[key];
  const n = typeof raw === "string" ? Number(raw) : raw;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

export const graph = new StateGraph(State)
  .addNode("emit", (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const count = setting(config, "count", 100_000);
    const pad = "x".repeat(Math.max(0, setting(config, "size", 1_024) - 20));
    for (let i = 0; i < count; i++) config.writer?.({ i, pad });
    return { emitted: count };
  })
  .addEdge(START, "emit")
  .addEdge("emit", END)
  .compile({ name: "flood" });
