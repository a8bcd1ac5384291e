/**
 * What the stream-modes test files share: running a graph through the SDK's stream with ids and timestamps
 * normalised to placeholders, and the payloads LangGraph gives for the `two_node` test graph.
 */
import type { TestServer } from "../helpers/server.ts";

export type Chunk = { event: string; data: any };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HEX32 = /\b[0-9a-f]{32}\b/g;
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/**
 * Replaces the run's own ids with `<thread_id>`, `<run_id>`, `<assistant_id>`,
 * timestamps with `<timestamp>`, and every other id with `<id:N>` numbered by
 * first appearance — so an id that recurs (a task's start and result, a
 * checkpoint and its child's parent) keeps its placeholder.
 */
function normalise<T>(value: T, known: Record<string, string>): T {
  let text = JSON.stringify(value);
  for (const [id, name] of Object.entries(known)) text = text.split(id).join(name);
  text = text.replace(TIMESTAMP, "<timestamp>");
  const seen = new Map<string, string>();
  const placeholder = (id: string) => {
    if (!seen.has(id)) seen.set(id, `<id:${seen.size + 1}>`);
    return seen.get(id)!;
  };
  text = text.replace(UUID, placeholder).replace(HEX32, placeholder);
  return JSON.parse(text) as T;
}

export interface StreamedRun {
  /** Normalised chunks, the SDK's trailing `end` included. */
  chunks: Chunk[];
  /** The chunks as received. */
  raw: Chunk[];
  threadId: string;
  runId: string;
}

/** `streamRun` and `twoNode` against the test file's server. */
export function streamModeHelpers(server: () => TestServer) {
  async function streamRun(
    graph: string,
    options: Record<string, unknown>,
    keep: (chunk: Chunk) => boolean = () => true,
  ): Promise<StreamedRun> {
    const t = server();
    const thread = await t.client.threads.create();
    let runId = "";
    const raw: Chunk[] = [];
    for await (const chunk of t.client.runs.stream(thread.thread_id, graph, {
      ...options,
      onRunCreated: (meta) => {
        runId = meta.run_id;
      },
    })) {
      if (keep(chunk)) raw.push({ event: chunk.event, data: chunk.data });
    }
    const run = await t.client.runs.get(thread.thread_id, runId);
    const chunks = normalise(raw, {
      [thread.thread_id]: "<thread_id>",
      [runId]: "<run_id>",
      [run.assistant_id]: "<assistant_id>",
    });
    return { chunks, raw, threadId: thread.thread_id, runId };
  }

  const twoNode = (streamMode: unknown, extra: Record<string, unknown> = {}) =>
    streamRun("two_node", { input: { value: [] }, streamMode, ...extra });

  return { streamRun, twoNode };
}

export const START = { event: "metadata", data: { run_id: "<run_id>", attempt: 1 } };

// What the run's config carries into LangGraph (see src/runtime/runs/plan.ts), as LangGraph echoes it back.
export const RUN_METADATA = {
  ls_integration: "langgraph",
  created_by: "system",
  graph_id: "two_node",
  assistant_id: "<assistant_id>",
  run_id: "<run_id>",
  thread_id: "<thread_id>",
};
const { thread_id: _t, ...TASK_METADATA } = RUN_METADATA;
export const runConfig = (checkpointId: string) => ({
  configurable: {
    checkpoint_ns: "",
    thread_id: "<thread_id>",
    run_id: "<run_id>",
    assistant_id: "<assistant_id>",
    graph_id: "two_node",
    checkpoint_id: checkpointId,
  },
  metadata: RUN_METADATA,
  recursion_limit: 25,
  tags: [],
});
export const checkpointRef = (checkpointId: string) => ({
  thread_id: "<thread_id>",
  checkpoint_id: checkpointId,
  checkpoint_ns: "",
  checkpoint_map: null,
});
export const taskStart = (id: string, name: string, value: string[]) => ({
  id,
  name,
  input: { value },
  triggers: [`branch:to:${name}`],
  interrupts: [],
  metadata: TASK_METADATA,
});
export const taskResult = (id: string, name: string) => ({
  id,
  name,
  result: { value: [name] },
  interrupts: [],
  error: null,
});
