/**
 * `slow`: node `step` loops back to itself until
 * `steps.length >= total_steps` (default 5). Each step sleeps `step_ms`
 * (default 200) — rejecting promptly when the run's AbortSignal fires — then
 * emits a custom event `{ step: n }` and appends `"step-<n>"`. Every step is a
 * superstep, hence a checkpoint: cancelling mid-run leaves partial steps.
 *
 * `total_steps` / `step_ms` are read from `config.configurable`, falling back
 * to `config.context`. Keep total_steps below the recursion limit (default 25).
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  steps: new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.array(z.string()),
      reducer: (current: string[], next: string[]) => current.concat(next),
    },
  ),
  input: z.string().optional(),
});

function option(config: LangGraphRunnableConfig, key: string, fallback: number): number {
  const raw = config.configurable?.[key] ?? config.context?.[key];
  const n = typeof raw === "string" ? Number(raw) : raw;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

/** Sleep that rejects as soon as `signal` aborts (with the signal's reason). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error("Aborted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("Aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const graph = new StateGraph(State)
  .addNode("step", async (state: typeof State.State, config: LangGraphRunnableConfig) => {
    const n = state.steps.length + 1;
    await abortableSleep(option(config, "step_ms", 200), config.signal);
    config.writer?.({ step: n });
    return { steps: [`step-${n}`] };
  })
  .addEdge(START, "step")
  .addConditionalEdges(
    "step",
    (state: typeof State.State, config: LangGraphRunnableConfig) =>
      state.steps.length >= option(config, "total_steps", 5) ? END : "step",
    ["step", END],
  )
  .compile({ name: "slow" });
