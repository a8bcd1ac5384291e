/** What the store conformance files share: fixtures and small readers over the Stores API. */
import { emptyCheckpoint, uuid6, type CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import type { NewJournalEntry, NewRun, StreamEventRecord, Stores } from "../../../src/stores/types.ts";

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newRun(run_id: string, thread_id: string, extra: Partial<NewRun> = {}): NewRun {
  return {
    run_id,
    thread_id,
    assistant_id: "agent",
    metadata: { source: "test" },
    kwargs: { input: { messages: [{ role: "user", content: `hi from ${run_id}` }] }, stream_mode: ["values"] },
    multitask_strategy: "reject",
    ...extra,
  };
}

export function entry(
  thread_id: string,
  run_id: string,
  event_type: string,
  category: NewJournalEntry["category"],
  content: unknown = { text: event_type },
  metadata: Record<string, unknown> = {},
): NewJournalEntry {
  return { thread_id, run_id, event_type, category, content, metadata };
}

export function ev(run_id: string, seq: number, event = "values", data?: string): StreamEventRecord {
  return { run_id, seq, event, data: data ?? JSON.stringify({ seq, run_id }) };
}

/** Writes a minimal checkpoint (plus one pending write) tagged with `run_id` through the checkpointer API. */
export async function putCheckpoint(
  stores: Stores,
  thread_id: string,
  run_id: string,
  checkpoint_ns = "",
): Promise<string> {
  const cp = emptyCheckpoint();
  cp.id = uuid6(-1);
  const metadata = { source: "loop", step: 0, parents: {}, run_id } as CheckpointMetadata;
  await stores.checkpointer.put({ configurable: { thread_id, checkpoint_ns } }, cp, metadata, {});
  await stores.checkpointer.putWrites(
    { configurable: { thread_id, checkpoint_ns, checkpoint_id: cp.id } },
    [["messages", { written_by: run_id }]],
    `task-${run_id}`,
  );
  return cp.id;
}

export async function listCheckpoints(stores: Stores, thread_id: string, checkpoint_ns = "") {
  const out = [];
  for await (const t of stores.checkpointer.list({ configurable: { thread_id, checkpoint_ns } })) out.push(t);
  return out;
}
