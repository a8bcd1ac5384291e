/**
 * The isolation probe's table (isolation-probe.test.ts): for every operation of the spec, how user B
 * calls it against user A's resources and what the answer must be. Typed by the generated operation
 * list, so a new operation without a probe here fails to compile.
 */
import type { OperationId } from "../../generated/operation-ids.ts";

export interface Ids {
  thread_id: string;
  run_id: string;
  checkpoint_id: string;
  /** A's thread with a run in flight, and that run: what the cancel operations aim at. */
  active_thread: string;
  active_run: string;
  /** A's stored assistant. */
  assistant_id: string;
  /** A's feedback on the finished run. */
  feedback_id: string;
  /** A's cron on its thread. */
  cron_id: string;
}

/** `answer`: the exact body the call must get (what B's own view holds: none of A's). */
export type Call = { query?: string; body?: unknown; active?: boolean; answer?: string };

/**
 * - aimed: the call names A's resource (in its path or body); it must answer as for ids that do not exist.
 * - refused: there is no missing-id twin to compare with (the id is taken); it must be this 4xx.
 * - own: the call acts on B's own resources; its answer must hold nothing of A's.
 * - shared: public or server-wide (health, system assistants); nothing of A's in it either.
 */
type Probe = (
  | { kind: "aimed"; calls: Call[] }
  | { kind: "refused"; status: number; calls: Call[] }
  | { kind: "own"; calls: Call[] }
  | { kind: "shared"; calls: Call[] }
) & { atAssistant?: true };

const run = { assistant_id: "whoami", input: {} };

export const PROBES: Record<OperationId, Probe> = {
  getOk: { kind: "shared", calls: [{}] },
  getInfo: { kind: "shared", calls: [{}] },
  createAssistant: {
    kind: "refused",
    atAssistant: true,
    status: 409,
    calls: [
      { body: { graph_id: "whoami", assistant_id: "{assistant_id}" } },
      { body: { graph_id: "whoami", assistant_id: "{assistant_id}", if_exists: "do_nothing" } },
    ],
  },
  searchAssistants: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { name: "alice" } },
      { body: { metadata: { note: "alice's" } } },
      { body: { graph_id: "whoami", sort_by: "updated_at" } },
    ],
  },
  countAssistants: { kind: "own", calls: [{ body: {} }, { body: { name: "alice" } }] },
  getAssistant: { kind: "aimed", atAssistant: true, calls: [{}] },
  patchAssistant: {
    kind: "aimed",
    atAssistant: true,
    calls: [{ body: { metadata: { stolen: true } } }, { body: { graph_id: "slow", name: "mine" } }],
  },
  deleteAssistant: { kind: "aimed", atAssistant: true, calls: [{}, { query: "delete_threads=true" }] },
  listAssistantVersions: { kind: "aimed", atAssistant: true, calls: [{ body: {} }] },
  setLatestAssistantVersion: { kind: "aimed", atAssistant: true, calls: [{ body: { version: 1 } }] },
  getAssistantGraph: { kind: "aimed", atAssistant: true, calls: [{}, { query: "xray=true" }] },
  getAssistantSchemas: { kind: "aimed", atAssistant: true, calls: [{}] },
  getAssistantSubgraphs: { kind: "aimed", atAssistant: true, calls: [{}, { query: "recurse=true" }] },
  getAssistantSubgraphsByNamespace: { kind: "aimed", atAssistant: true, calls: [{}, { query: "recurse=true" }] },
  createThread: {
    kind: "refused",
    status: 409,
    calls: [{ body: { thread_id: "{thread_id}" } }, { body: { thread_id: "{thread_id}", if_exists: "do_nothing" } }],
  },
  searchThreads: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { ids: ["{thread_id}", "{active_thread}"] } },
      { body: { metadata: { graph_id: "whoami" } } },
      { body: { status: "busy" } },
    ],
  },
  countThreads: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { ids: ["{thread_id}", "{active_thread}"] }, answer: "0" },
      { body: { metadata: { note: "alice's" } }, answer: "0" },
      { body: { status: "busy", ids: ["{active_thread}"] }, answer: "0" },
    ],
  },
  // Never touches A's threads (the snapshot holds them), idle or busy, by either strategy.
  pruneThreads: {
    kind: "own",
    calls: [
      {
        body: { thread_ids: ["{thread_id}", "{active_thread}"], strategy: "keep_latest" },
        answer: '{"pruned_count":0}',
      },
      { body: { thread_ids: ["{thread_id}", "{active_thread}"] }, answer: '{"pruned_count":0}' },
    ],
  },
  getThread: { kind: "aimed", calls: [{}] },
  patchThread: { kind: "aimed", calls: [{ body: { metadata: { stolen: true } } }] },
  deleteThread: { kind: "aimed", calls: [{}] },
  getThreadState: { kind: "aimed", calls: [{}, { query: "subgraphs=true" }] },
  updateThreadState: { kind: "aimed", calls: [{ body: { values: { user_id: "mallory" } } }] },
  patchThreadState: {
    kind: "aimed",
    calls: [
      { body: { metadata: { stolen: true } } },
      { body: { metadata: { stolen: true }, checkpoint_id: "{checkpoint_id}" } },
      { body: { metadata: { stolen: true } }, active: true },
    ],
  },
  readThreadStateAtCheckpoint: {
    kind: "aimed",
    calls: [{ body: { checkpoint: { checkpoint_id: "{checkpoint_id}" } } }],
  },
  getThreadStateAtCheckpoint: { kind: "aimed", calls: [{}] },
  listThreadHistory: { kind: "aimed", calls: [{}] },
  searchThreadHistory: { kind: "aimed", calls: [{ body: {} }] },
  // A's busy thread too: 404 as a missing one, never the 409 that would say it exists and is busy.
  copyThread: { kind: "aimed", calls: [{}, { active: true }] },
  createRun: {
    kind: "aimed",
    calls: [
      { body: run },
      { body: { ...run, multitask_strategy: "rollback" }, active: true },
      { body: { ...run, assistant_id: "{assistant_id}" } },
    ],
  },
  streamRun: { kind: "aimed", calls: [{ body: run }] },
  waitRun: { kind: "aimed", calls: [{ body: run }] },
  listRuns: { kind: "aimed", calls: [{}, { query: "status=running", active: true }] },
  getRun: { kind: "aimed", calls: [{}] },
  deleteRun: { kind: "aimed", calls: [{}] },
  cancelRun: {
    kind: "aimed",
    calls: [
      { query: "wait=true", active: true },
      { query: "action=rollback", active: true },
    ],
  },
  joinRun: { kind: "aimed", calls: [{}] },
  joinRunStream: { kind: "aimed", calls: [{}, { active: true }] },
  // Protocol v2 creates a thread that does not exist (run.start) and waits for one (the events): A's is a 404.
  runProtocolCommand: {
    kind: "refused",
    status: 404,
    calls: [
      { body: { id: 1, method: "run.start", params: run } },
      { body: { id: 2, method: "run.start", params: { ...run, multitask_strategy: "interrupt" } }, active: true },
      { body: { id: 3, method: "state.get", params: {} } },
      { body: { id: 4, method: "input.respond", params: { namespace: [], interrupt_id: "i", response: 1 } } },
    ],
  },
  streamProtocolEvents: {
    kind: "refused",
    status: 404,
    calls: [{ body: { channels: ["values", "lifecycle"] } }, { body: { channels: ["messages"] }, active: true }],
  },
  // 404 before the stream starts, as for a thread that does not exist.
  joinThreadStream: {
    kind: "aimed",
    calls: [{}, { active: true }, { query: "stream_mode=lifecycle&stream_mode=state_update" }],
  },
  controlRunStream: { kind: "aimed", calls: [{ query: "action=interrupt", active: true }] },
  listThreadMessages: { kind: "aimed", calls: [{}] },
  listRunMessages: { kind: "aimed", calls: [{}] },
  listRunEvents: { kind: "aimed", calls: [{}] },
  getThreadTokenUsage: { kind: "aimed", calls: [{}] },
  putRunFeedback: { kind: "aimed", calls: [{ body: { rating: -1, comment: "stolen" } }] },
  createRunFeedback: { kind: "aimed", calls: [{ body: { rating: -1 } }] },
  listRunFeedback: { kind: "aimed", calls: [{}] },
  getRunFeedbackStats: { kind: "aimed", calls: [{}] },
  deleteRunFeedback: { kind: "aimed", calls: [{}] },
  deleteRunFeedbackById: { kind: "aimed", calls: [{}] },
  joinStatelessRunStream: { kind: "aimed", calls: [{}, { active: true }] },
  cancelRuns: {
    kind: "aimed",
    calls: [{ body: { thread_id: "{active_thread}" } }, { body: { run_ids: ["{active_run}"] } }],
  },
  createStatelessRun: { kind: "own", calls: [{ body: run }] },
  streamStatelessRun: { kind: "own", calls: [{ body: run }] },
  waitStatelessRun: { kind: "own", calls: [{ body: run }] },
  createRunBatch: { kind: "own", calls: [{ body: [run, run] }] },
  // A's items: ["notes"] "k" and ["alice's", "diary"] "d". B's store is B's own: B's put at A's
  // namespace and key makes B's item, and B's reads never hold A's.
  getStoreItem: {
    kind: "own",
    calls: [
      { query: "namespace=notes&key=k", answer: "null" },
      { query: "namespace=alice%27s.diary&key=d", answer: "null" },
      { query: "namespace=alice%27s&namespace=diary&key=d&refresh_ttl=false", answer: "null" },
    ],
  },
  listStoreNamespaces: {
    kind: "own",
    calls: [
      { body: {}, answer: '{"namespaces":[]}' },
      { body: { prefix: ["alice's"], max_depth: 1 }, answer: '{"namespaces":[]}' },
    ],
  },
  putStoreItem: { kind: "own", calls: [{ body: { namespace: ["notes"], key: "k", value: { mine: true } } }] },
  searchStoreItems: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { namespace_prefix: ["alice's"] }, answer: '{"items":[]}' },
      { body: { filter: { note: "alice's" } }, answer: '{"items":[]}' },
    ],
  },
  createThreadCron: { kind: "aimed", calls: [{ body: { assistant_id: "whoami", schedule: "0 0 1 1 *" } }] },
  createCron: { kind: "own", calls: [{ body: { assistant_id: "whoami", schedule: "0 0 1 1 *" } }] },
  searchCrons: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { thread_id: "{thread_id}" }, answer: "[]" },
      { body: { metadata: { note: "alice's" } }, answer: "[]" },
    ],
  },
  countCrons: { kind: "own", calls: [{ body: {} }, { body: { thread_id: "{thread_id}" }, answer: "0" }] },
  getCron: { kind: "aimed", calls: [{}] },
  patchCron: { kind: "aimed", calls: [{ body: { enabled: false, metadata: { stolen: true } } }] },
  deleteCron: { kind: "aimed", calls: [{}] },
  deleteStoreItem: {
    kind: "own",
    calls: [{ body: { namespace: ["notes"], key: "k" } }, { body: { namespace: ["alice's", "diary"], key: "d" } }],
  },
};
