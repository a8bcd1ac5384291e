/**
 * `memory`: one node `remember` that uses the store the server hands graphs (`config.store`) for the
 * namespace `["memories", <input.user>]`: it reads the item `from-http` (put by a client) into
 * `seen`, puts `{note, seen}` under `from-graph`, then, with `input.query`, searches `["memories"]` by
 * it into `hits` (key and score), and with `input.forget`, deletes that key. `input.bad_namespace`
 * makes it put under a namespace with a `.`, which the store refuses. (No `listNamespaces`: LangGraph
 * wraps a run's store in its AsyncBatchedStore, which does not pass that call on.)
 */
import { END, START, StateGraph, StateSchema, getStore } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";

const State = new StateSchema({
  user: z.string().default("anon"),
  note: z.string().default(""),
  query: z.string().optional(),
  forget: z.string().optional(),
  bad_namespace: z.boolean().optional(),
  seen: z.unknown().optional(),
  hits: z.array(z.object({ key: z.string(), score: z.number().nullable() })).optional(),
});

export const graph = new StateGraph(State)
  .addNode("remember", async (state: typeof State.State, config: LangGraphRunnableConfig) => {
    const store = getStore(config);
    if (!store) throw new Error("the server handed this graph no store");
    const ns = ["memories", state.user];
    if (state.bad_namespace) await store.put(["memories", "a.b"], "k", { never: true });
    const seen = await store.get(ns, "from-http");
    await store.put(ns, "from-graph", { note: state.note, seen: seen?.value ?? null });
    if (state.forget) await store.delete(ns, state.forget);
    const hits = state.query ? await store.search(["memories"], { query: state.query, limit: 3 }) : [];
    return { seen: seen?.value ?? null, hits: hits.map((h) => ({ key: h.key, score: h.score ?? null })) };
  })
  .addEdge(START, "remember")
  .addEdge("remember", END)
  .compile({ name: "memory" });
