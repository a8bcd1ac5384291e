/**
 * `gate`: node `wait` emits a custom event `{ waiting: true }`, then waits until the file named by
 * `config.configurable.gate_file` exists (rejecting promptly when the run's AbortSignal fires), and
 * returns `{ opened: true }`. A test holds a run in flight for as long as it needs, and ends it when it
 * chooses, with no timing involved.
 */
import fs from "node:fs";
import { END, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { abortableSleep } from "./slow.ts";

const State = new StateSchema({ opened: z.boolean().optional() });

export const graph = new StateGraph(State)
  .addNode("wait", async (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const file = config.configurable?.gate_file;
    if (typeof file !== "string") throw new Error("gate needs configurable.gate_file");
    config.writer?.({ waiting: true });
    while (!fs.existsSync(file)) await abortableSleep(25, config.signal);
    return { opened: true };
  })
  .addEdge(START, "wait")
  .addEdge("wait", END)
  .compile({ name: "gate" });
