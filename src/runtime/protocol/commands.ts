/**
 * Protocol v2 commands on a thread (`{id, method, params}`), carried out by the same RunManager and
 * state reader as the classic API: a `run.start` is a run created as `createRun` creates one (the same
 * admission, multitask strategies, auth and cancellation), on a thread it creates when the thread does
 * not exist yet, streaming protocol events.
 *
 * - `run.start` {assistant_id, input, config?, metadata?, multitask_strategy?} → `{run_id}`;
 * - `input.respond` {namespace, interrupt_id, response} or {responses: [...]}, with `update`, `goto`,
 *   `config`, `metadata` → a run of the thread's assistant resuming those interrupts → `{run_id}`;
 * - `state.get` → the thread's state as `getThreadState` shows it.
 * Other methods of the protocol answer `not_supported`; unknown ones `unknown_command`. The
 * subscription commands belong to the WebSocket transport (runtime/protocol/socket.ts).
 *
 * Failures of the command itself are ProtocolFailures; the classic API's errors (404 for a thread that is
 * not the caller's, 409 from `reject`, 422, 503 while shutting down) are thrown as they are.
 */
import type { Access } from "../../auth/access.ts";
import type { Json, Stores } from "../../stores/types.ts";
import type { RunManager } from "../runs/manager.ts";
import type { RunRequest } from "../runs/admission.ts";
import type { ThreadStateReader } from "../threads/state.ts";
import { requireThread } from "../threads/access.ts";
import { ProtocolFailure } from "./failure.ts";

export interface ProtocolCommand {
  id: number | null;
  method: string;
  params?: Record<string, unknown>;
  /**
   * What the caller's custom auth handler stamped on the command (the create's `value.metadata`): it
   * goes on the run the command starts, as a classic create's does.
   */
  metadata?: unknown;
}

export interface ProtocolCommandDeps {
  stores: Stores;
  runs: RunManager;
  state: ThreadStateReader;
}

/** Methods of the protocol this server does not carry out (yet). */
const NOT_SUPPORTED = new Set(["agent.getTree", "input.inject", "state.listCheckpoints", "state.fork"]);
const STRATEGIES = new Set(["reject", "interrupt", "rollback", "enqueue"]);
/** What every run a command starts streams: protocol events (graphs/stream.ts). */
const PROTOCOL_KWARGS = { stream_protocol: "v2" };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function objectParam(params: Record<string, unknown>, key: string): Json | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ProtocolFailure("invalid_argument", `params.${key} must be an object`);
  return value as Json;
}

/** The run-creating fields both run commands share, checked; the rest of RunCreate keeps its defaults. */
function runFields(params: Record<string, unknown>): Pick<RunRequest, "config" | "metadata" | "multitask_strategy"> {
  const strategy = params.multitask_strategy ?? params.multitaskStrategy;
  if (strategy !== undefined && strategy !== null && !STRATEGIES.has(String(strategy))) {
    throw new ProtocolFailure("invalid_argument", `multitask_strategy must be one of ${[...STRATEGIES].join(", ")}`);
  }
  const config = objectParam(params, "config");
  const metadata = objectParam(params, "metadata");
  return {
    ...(config ? { config: config as RunRequest["config"] } : {}),
    ...(metadata ? { metadata } : {}),
    ...(strategy ? { multitask_strategy: strategy as RunRequest["multitask_strategy"] } : {}),
  };
}

export class ProtocolCommands {
  constructor(private readonly deps: ProtocolCommandDeps) {}

  /** Carries out one command; resolves to its `result`. */
  async execute(threadId: string, command: ProtocolCommand, access: Access): Promise<unknown> {
    const given = command.params ?? {};
    if (!isObject(given)) throw new ProtocolFailure("invalid_argument", "params must be an object");
    const stamp = isObject(command.metadata) ? command.metadata : {};
    const metadata = objectParam(given, "metadata");
    const params = Object.keys(stamp).length > 0 ? { ...given, metadata: { ...metadata, ...stamp } } : given;
    switch (command.method) {
      case "run.start":
        return this.runStart(threadId, params, access);
      case "input.respond":
        return this.inputRespond(threadId, params, access);
      case "state.get": {
        const thread = await requireThread(this.deps.stores, threadId, access);
        return this.deps.state.current(thread);
      }
      default:
        if (NOT_SUPPORTED.has(command.method) || command.method.startsWith("subscription.")) {
          throw new ProtocolFailure("not_supported", `${command.method} is not supported over this transport`);
        }
        throw new ProtocolFailure("unknown_command", `unknown command: ${command.method}`);
    }
  }

  private async runStart(threadId: string, params: Record<string, unknown>, access: Access) {
    if (typeof params.assistant_id !== "string" || params.assistant_id === "") {
      throw new ProtocolFailure("invalid_argument", "params.assistant_id is required");
    }
    const body: RunRequest = {
      assistant_id: params.assistant_id,
      input: (params.input ?? null) as RunRequest["input"],
      ...runFields(params),
      if_not_exists: "create",
    };
    const run = await this.deps.runs.create(threadId, body, access, { kwargs: PROTOCOL_KWARGS });
    return { run_id: run.run_id };
  }

  private async inputRespond(threadId: string, params: Record<string, unknown>, access: Access) {
    const entries = Array.isArray(params.responses) ? params.responses : [params];
    const resume: Record<string, unknown> = {};
    for (const entry of entries) {
      if (!isObject(entry) || typeof entry.interrupt_id !== "string") {
        throw new ProtocolFailure("invalid_argument", "each response needs an interrupt_id");
      }
      resume[entry.interrupt_id] = entry.response ?? null;
    }
    const thread = await requireThread(this.deps.stores, threadId, access);
    const pending = Object.values((thread.interrupts ?? {}) as Record<string, { id?: string }[]>).flat();
    const unknown = Object.keys(resume).find((id) => !pending.some((interrupt) => interrupt?.id === id));
    if (unknown !== undefined) throw new ProtocolFailure("no_such_interrupt", `no pending interrupt ${unknown}`);
    // The assistant the thread last ran: the protocol's resume names none.
    const [last] = await this.deps.stores.runs.listByThread(threadId, { limit: 1, offset: 0 });
    if (!last) throw new ProtocolFailure("no_such_run", "the thread has no run to resume");
    const command: Json = { resume };
    if (params.update !== undefined) command.update = params.update as Json;
    if (params.goto !== undefined) command.goto = params.goto as Json;
    const body: RunRequest = {
      assistant_id: last.assistant_id,
      command: command as RunRequest["command"],
      ...runFields(params),
    };
    const run = await this.deps.runs.create(threadId, body, access, { kwargs: PROTOCOL_KWARGS });
    return { run_id: run.run_id };
  }
}
