/**
 * `unstorable`: node `work` fails, with `configurable.fail`, with something a JSON store cannot write:
 * - `"bigint"`: an Error whose `message` is a bigint (as errors carrying a numeric code in it are);
 * - `"no_prototype"`: a thrown object with no prototype (no toString: `String(it)` throws).
 * Without `fail` it appends "ok" to `value`.
 */
import { END, ReducedValue, START, StateGraph, StateSchema } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  value: new ReducedValue(
    z.array(z.string()).default(() => []),
    {
      inputSchema: z.array(z.string()),
      reducer: (current: string[], next: string[]) => current.concat(next),
    },
  ),
});

export const graph = new StateGraph(State)
  .addNode("work", (_state: typeof State.State, config: LangGraphRunnableConfig): typeof State.Update => {
    const fail = config.configurable?.fail;
    if (fail === "bigint") throw Object.assign(new Error(), { message: 12345678901234567890n });
    if (fail === "no_prototype") throw Object.assign(Object.create(null), { code: "E_ODD" });
    return { value: ["ok"] };
  })
  .addEdge(START, "work")
  .addEdge("work", END)
  .compile({ name: "unstorable" });
