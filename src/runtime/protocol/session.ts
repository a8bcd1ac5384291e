/**
 * One bidirectional protocol v2 connection on a thread (the WebSocket transport): commands come in as
 * JSON text, each answered `{type: "success", id, result}` or `{type: "error", id, error, message}`;
 * events go out as `{type: "event", ...}`, for the connection's subscriptions.
 *
 * `subscription.subscribe` (a filter, and `since`) starts a subscription: what the thread retains
 * (after `since`), then live events, across runs, until `subscription.unsubscribe` or the connection
 * closes. An event that matches several subscriptions may be sent once for each (the client keeps one
 * per `event_id`). Every other command is carried out as over HTTP (ProtocolCommands).
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
import { matches, parseFilter } from "./filter.ts";

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

/** The classic API's errors as protocol error codes. */
function codeOf(err: ApiError): ProtocolErrorCode {
  if (err.status === 401 || err.status === 403) return "permission_denied";
  if (err.status >= 500) return "unknown_error";
  return "invalid_argument";
}

function messageOf(err: ApiError): string {
  return typeof err.detail === "string" ? err.detail : err.message;
}

export class ProtocolSession {
  private readonly subscriptions = new Map<string, AbortController>();
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
      const result = await this.execute(command);
      await this.io.send(JSON.stringify({ type: "success", id, result }));
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
    for (const subscription of this.subscriptions.values()) subscription.abort();
    this.subscriptions.clear();
  }

  private fail(id: number | null, error: ProtocolErrorCode, message: string): Promise<void> {
    return this.io.send(JSON.stringify({ type: "error", id, error, message }));
  }

  private async execute(command: ProtocolCommand): Promise<unknown> {
    const params = command.params ?? {};
    switch (command.method) {
      case "subscription.subscribe":
        return this.subscribe(command, params);
      case "subscription.unsubscribe": {
        const id = String(params.subscription_id ?? "");
        const subscription = this.subscriptions.get(id);
        if (!subscription) throw new ProtocolFailure("no_such_subscription", `no subscription ${id}`);
        subscription.abort();
        this.subscriptions.delete(id);
        return {};
      }
      default: {
        // As the HTTP route: every command needs runs:create (run.start and input.respond make runs).
        const access = await this.io.authorize("runs:create", command);
        return this.deps.protocol.execute(this.threadId, command, access);
      }
    }
  }

  private async subscribe(command: ProtocolCommand, params: Record<string, unknown>) {
    const filter = parseFilter(params);
    const since = params.since;
    if (since !== undefined && since !== null && !Number.isInteger(since)) {
      throw new ProtocolFailure("invalid_argument", "since must be an integer");
    }
    const access = await this.io.authorize("runs:read", command);
    const exists = await checkThreadAccess(this.deps.stores, this.threadId, access);
    if (this.closed) throw new ProtocolFailure("invalid_argument", "the connection is closing");
    const id = randomUUID();
    const abort = new AbortController();
    this.subscriptions.set(id, abort);
    const frames = threadFrames(this.deps, this.threadId, access, {
      exists,
      signal: abort.signal,
      ...(typeof since === "number" ? { since } : {}),
    });
    // Events start after the answer: the client knows the subscription before its first event.
    setImmediate(() => {
      void (async () => {
        for await (const frame of frames) {
          if (matches(filter, frame.method, frame.namespace, frame.data)) await this.io.send(frame.json);
        }
      })().catch((err: unknown) => {
        if (!abort.signal.aborted)
          this.deps.logger.error({ err, thread_id: this.threadId }, "protocol subscription failed");
      });
    });
    return { subscription_id: id };
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
