/**
 * One bidirectional protocol v2 connection on a thread (the WebSocket transport): commands come in as
 * JSON text, each answered `{type: "success", id, result}` or `{type: "error", id, error, message}`;
 * events go out as `{type: "event", ...}`, for the connection's subscriptions.
 *
 * The connection reads the thread's events once, in thread order, from its first
 * `subscription.subscribe` on (what the thread retains, then live, across runs), and sends each event
 * that any of its subscriptions wants, once: the client relies on one ordered stream (it stops
 * following a run at the run's end). A later subscription first gets what the connection already read
 * that it wants and no earlier subscription was sent, then the live events with the others.
 * `subscription.unsubscribe` ends one; closing the connection ends them all. Every other command is
 * carried out as over HTTP (ProtocolCommands).
 *
 * Transport-free: the socket layer gives it a way to send text and to authorize each command, and
 * turns the classic API's errors it may raise into protocol errors here.
 */
import { randomUUID } from "node:crypto";
import type { Access } from "../../auth/access.ts";
import { ApiError } from "../../http/errors.ts";
import type { Logger } from "../../logger.ts";
import type { ProtocolCommand, ProtocolCommands } from "./commands.ts";
import { checkThreadAccess, threadFrames, type ProtocolEventDeps } from "./events.ts";
import { ProtocolFailure, type ProtocolErrorCode } from "./failure.ts";
import { matches, parseFilter, type EventFilter } from "./filter.ts";
import type { ProtocolFrame } from "./frames.ts";

export interface ProtocolSessionDeps extends ProtocolEventDeps {
  protocol: ProtocolCommands;
  logger: Logger;
}

export interface ProtocolSessionIo {
  /** Sends one message; resolves once the transport took it (backpressure). */
  send(text: string): Promise<void>;
  /** What the caller may do for a command needing `permission` (throws 401/403 ApiErrors). */
  authorize(permission: string, command: ProtocolCommand): Promise<Access>;
}

interface Subscription {
  filter: EventFilter;
  since?: number;
}

/** What a command answers, and what to do right after its answer went out. */
interface Outcome {
  result: unknown;
  afterAnswer?: () => void;
}

/** The classic API's errors as protocol error codes. */
function codeOf(err: ApiError): ProtocolErrorCode {
  if (err.status === 401 || err.status === 403) return "permission_denied";
  if (err.status >= 500) return "unknown_error";
  return "invalid_argument";
}

function messageOf(err: ApiError): string {
  return typeof err.detail === "string" ? err.detail : err.message;
}

function wants(subscription: Subscription, frame: ProtocolFrame): boolean {
  if (subscription.since !== undefined && frame.seq <= subscription.since) return false;
  return matches(subscription.filter, frame.method, frame.namespace, frame.data);
}

const runOf = (frame: ProtocolFrame) => frame.eventId.slice(0, frame.eventId.indexOf(":"));

export class ProtocolSession {
  private readonly subscriptions = new Map<string, Subscription>();
  /** What the connection read so far of the runs the thread retains (for later subscriptions). */
  private read: ProtocolFrame[] = [];
  private readonly ended = new Set<string>();
  private following: AbortController | null = null;
  /** Every message goes out through here, in order. */
  private outbox: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: ProtocolSessionDeps,
    private readonly threadId: string,
    private readonly io: ProtocolSessionIo,
  ) {}

  /** Handles one incoming message; never throws (a failure is the command's error answer). */
  async receive(text: string): Promise<void> {
    const { id, command, failure } = parseCommand(text);
    try {
      if (!command) throw failure;
      const { result, afterAnswer } = await this.execute(command);
      const answered = this.post(JSON.stringify({ type: "success", id, result }));
      afterAnswer?.();
      await answered;
    } catch (err) {
      if (err instanceof ProtocolFailure) return this.fail(id, err.code, err.message);
      if (err instanceof ApiError) return this.fail(id, codeOf(err), messageOf(err));
      this.deps.logger.error({ err, thread_id: this.threadId }, "protocol command failed");
      return this.fail(id, "unknown_error", "the command failed");
    }
  }

  /** Ends every subscription (the connection is gone). */
  close(): void {
    this.closed = true;
    this.following?.abort();
    this.subscriptions.clear();
    this.read = [];
  }

  private post(text: string): Promise<void> {
    this.outbox = this.outbox.then(() => this.io.send(text));
    return this.outbox;
  }

  private fail(id: number | null, error: ProtocolErrorCode, message: string): Promise<void> {
    return this.post(JSON.stringify({ type: "error", id, error, message }));
  }

  private async execute(command: ProtocolCommand): Promise<Outcome> {
    const params = command.params ?? {};
    switch (command.method) {
      case "subscription.subscribe":
        return this.subscribe(command, params);
      case "subscription.unsubscribe": {
        const id = String(params.subscription_id ?? "");
        if (!this.subscriptions.delete(id)) throw new ProtocolFailure("no_such_subscription", `no subscription ${id}`);
        return { result: {} };
      }
      default: {
        // As the HTTP route: every command needs runs:create (run.start and input.respond make runs).
        const access = await this.io.authorize("runs:create", command);
        return { result: await this.deps.protocol.execute(this.threadId, command, access) };
      }
    }
  }

  private async subscribe(command: ProtocolCommand, params: Record<string, unknown>): Promise<Outcome> {
    const filter = parseFilter(params);
    const since = params.since;
    if (since !== undefined && since !== null && !Number.isInteger(since)) {
      throw new ProtocolFailure("invalid_argument", "since must be an integer");
    }
    const access = await this.io.authorize("runs:read", command);
    const exists = await checkThreadAccess(this.deps.stores, this.threadId, access);
    if (this.closed) throw new ProtocolFailure("invalid_argument", "the connection is closing");
    const id = randomUUID();
    const subscription: Subscription = { filter, ...(typeof since === "number" ? { since } : {}) };
    // Right after the answer, with nothing in between: what was read already, then it joins the others.
    const afterAnswer = () => {
      if (this.closed) return;
      const earlier = [...this.subscriptions.values()];
      for (const frame of this.read) {
        if (wants(subscription, frame) && !earlier.some((other) => wants(other, frame))) void this.post(frame.json);
      }
      this.subscriptions.set(id, subscription);
      if (!this.following) this.follow(access, exists);
    };
    return { result: { subscription_id: id }, afterAnswer };
  }

  /** Reads the thread's events for the connection, sending each that a subscription wants. */
  private follow(access: Access, exists: boolean): void {
    const abort = new AbortController();
    this.following = abort;
    void (async () => {
      for await (const frame of threadFrames(this.deps, this.threadId, access, { exists, signal: abort.signal })) {
        this.keep(frame);
        if ([...this.subscriptions.values()].some((subscription) => wants(subscription, frame))) {
          await this.post(frame.json);
        }
      }
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) this.deps.logger.error({ err, thread_id: this.threadId }, "protocol stream failed");
    });
  }

  /** Keeps what a later subscription may need: the events of runs not ended, and of the latest run. */
  private keep(frame: ProtocolFrame): void {
    const run = runOf(frame);
    const last = this.read.at(-1);
    if (last !== undefined && runOf(last) !== run) this.read = this.read.filter((f) => !this.ended.has(runOf(f)));
    this.read.push(frame);
    if (frame.eventId.startsWith(`${run}:end`)) this.ended.add(run);
  }
}

/** The command in a message, or why it is none (with the command's id when it had one). */
function parseCommand(text: string): { id: number | null; command?: ProtocolCommand; failure?: ProtocolFailure } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { id: null, failure: new ProtocolFailure("invalid_argument", "a command is one JSON object") };
  }
  const { id, method, params = {} } = raw as { id?: unknown; method?: unknown; params?: unknown };
  if (!Number.isInteger(id) || (id as number) < 0) {
    return { id: null, failure: new ProtocolFailure("invalid_argument", "id must be a non-negative integer") };
  }
  const known = id as number;
  if (typeof method !== "string" || method === "") {
    return { id: known, failure: new ProtocolFailure("invalid_argument", "method is required") };
  }
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return { id: known, failure: new ProtocolFailure("invalid_argument", "params must be an object") };
  }
  return { id: known, command: { id: known, method, params: params as Record<string, unknown> } };
}
