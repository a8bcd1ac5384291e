// Entry point of a graph worker thread (pool.ts starts it).
//
// Worker threads do not inherit the loader hooks of the thread that starts them (tsx's,
// vitest's), so this plain module registers tsx before loading the TypeScript worker and the
// graphs it imports. The large packages the worker uses are imported first, without the hooks:
// through them every module of LangChain would take a round trip to the hooks' thread (a worker
// started in ~1.3 s instead of ~0.6 s). The TypeScript code then gets these same module instances.
// A package missing from this list is only loaded more slowly.
await Promise.all([
  import("@langchain/langgraph"),
  import("@langchain/core/callbacks/base"),
  import("@langchain/core/messages"),
  import("@langchain/langgraph-checkpoint-sqlite"),
  import("better-sqlite3"),
  import("pino"),
]);
const { register } = await import("tsx/esm/api");
register();
await import("./worker.ts");
