/**
 * `custom_events`: node `emit` writes `configurable.count` (default 100)
 * custom events `{ i }` (i = 0..count-1) via `config.writer`, then records
 * how many it emitted in `emitted`; with `configurable.pad`, each event also
 * carries a shared string of that many characters.
 */
import { END, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  emitted: z.number().optional(),
});

export const graph = new StateGraph(State)
  .addNode("emit", (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const raw = config.configurable?.count ?? config.context?.count;
    const n = typeof raw === "string" ? Number(raw) : raw;
    const count = typeof n === "number" && Number.isFinite(n) ? n : 100;
    // `configurable.pad`: each event also carries one shared string of that many characters.
    const padSize = Number(config.configurable?.pad ?? 0);
    const pad = padSize > 0 ? "x".repeat(padSize) : undefined;
    for (let i = 0; i < count; i++) config.writer?.(pad ? { i, pad } : { i });
    return { emitted: count };
  })
  .addEdge(START, "emit")
  .addEdge("emit", END)
  .compile({ name: "custom_events" });
