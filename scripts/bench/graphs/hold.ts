/**
 * `hold`: a long-running run for the open-streams figure. Node `hold` waits
 * until the file `configurable.gate` exists (checked every 100 ms; at most
 * `configurable.max_ms`, default 120 s), then writes `configurable.count`
 * custom events `{ i }` (default 5) and ends. The bench opens its streams
 * while every run waits, then creates the gate file: each stream must then
 * receive all the events of its run.
 */
import { access } from "node:fs/promises";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";

const State = Annotation.Root({ emitted: Annotation<number> });

function num(raw: unknown, fallback: number): number {
  const n = typeof raw === "string" ? Number(raw) : raw;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const graph = new StateGraph(State)
  .addNode("hold", async (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const gate = String(config.configurable?.gate ?? "");
    const deadline = Date.now() + num(config.configurable?.max_ms, 120_000);
    while (gate && Date.now() < deadline && !(await exists(gate))) await sleep(100, config.signal);
    const count = num(config.configurable?.count, 5);
    for (let i = 0; i < count; i++) config.writer?.({ i });
    return { emitted: count };
  })
  .addEdge(START, "hold")
  .addEdge("hold", END)
  .compile({ name: "hold" });
