/**
 * `custom_events`: node `emit` writes `count` custom events `{ i }`
 * (i = 0..count-1, default 10,000) through `config.writer`, then stores how
 * many it wrote in `emitted`. `count` comes from `config.configurable`.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";

const State = Annotation.Root({ emitted: Annotation<number> });

export const graph = new StateGraph(State)
  .addNode("emit", (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const raw = config.configurable?.count;
    const n = typeof raw === "string" ? Number(raw) : raw;
    const count = typeof n === "number" && Number.isFinite(n) ? n : 10_000;
    for (let i = 0; i < count; i++) config.writer?.({ i });
    return { emitted: count };
  })
  .addEdge(START, "emit")
  .addEdge("emit", END)
  .compile({ name: "custom_events" });
