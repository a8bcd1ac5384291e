/**
 * Protocol v2 over a WebSocket, on the HTTP server's own port: `GET /threads/{thread_id}/stream/events`
 * with `Upgrade: websocket` (the `ws` library does the handshake and framing). The connection carries
 * commands and their answers and the events of its subscriptions (runtime/protocol/session.ts).
 *
 * What the HTTP routes check is checked before the upgrade, answered as an HTTP status: the Host
 * (DNS rebinding), the Origin (CORS does not cover WebSockets, so a page on an origin the CORS rule does
 * not allow is refused here), the credentials (401/403; browsers cannot set headers on a WebSocket, so a
 * browser connects only without auth or with what it sends by itself), and the thread (404 when it is
 * another user's). Each command is then authorized as its HTTP twin is. The server pings every
 * heartbeat and drops a connection that stops answering.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { AuthGate } from "../../auth/gate.ts";
import { OPEN_ACCESS } from "../../auth/access.ts";
import type { Logger } from "../../logger.ts";
import type { Services } from "../../services.ts";
import { checkThreadAccess } from "../../runtime/protocol/events.ts";
import { ProtocolSession, type ProtocolSessionIo } from "../../runtime/protocol/session.ts";
import type { ProtocolCommand } from "../../runtime/protocol/commands.ts";
import { canonicalUuid } from "../canonical-uuids.ts";
import { authorize } from "../dispatch.ts";
import { ApiError } from "../errors.ts";

export interface ProtocolSocketOptions {
  services: Services;
  gate: AuthGate;
  basePath: string;
  originAllowed: (origin: string) => boolean;
  hostAllowed: (host: string | undefined) => boolean;
  /** Whether `disable_runs` took the protocol's routes away. */
  disabled: boolean;
  logger: Logger;
}

const PATH = /^\/threads\/([^/]+)\/stream\/events\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Frames of one message at most (commands are small; a run's input may not be). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Answers an upgrade request with an HTTP status and the JSON error envelope, and closes it. */
function refuse(socket: Duplex, status: number, detail: string): void {
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function attachProtocolSockets(server: http.Server, options: ProtocolSocketOptions): { close(): void } {
  const { services, gate, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const heartbeatMs = services.config.heartbeatSeconds * 1000;

  const accept = async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.startsWith(options.basePath) ? url.pathname.slice(options.basePath.length) : null;
    const match = path === null || options.disabled ? null : PATH.exec(path);
    if (!match) return refuse(socket, 404, `Not Found: GET ${url.pathname}`);
    const threadId = canonicalUuid(decodeURIComponent(match[1]));
    if (!UUID.test(threadId)) return refuse(socket, 404, `Thread with ID ${match[1]} not found`);
    if (!options.hostAllowed(req.headers.host)) return refuse(socket, 403, "Host not allowed");
    const origin = req.headers.origin;
    if (origin !== undefined && !options.originAllowed(origin)) return refuse(socket, 403, "Origin not allowed");
    const open = gate.mode === "none";
    const user = open ? null : await gate.authenticate({ method: "GET", url: url.href, headers: req.headers });
    const grant = (permission: string, command: ProtocolCommand) =>
      open
        ? Promise.resolve(OPEN_ACCESS)
        : authorize(gate, user, permission, { path: { thread_id: threadId }, query: {}, requestBody: command });
    // Another user's thread is a 404 before the connection opens, as over HTTP.
    await checkThreadAccess(services.stores, threadId, await grant("runs:read", { id: 0, method: "" }));
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, threadId, grant));
  };

  const serve = (ws: WebSocket, threadId: string, grant: ProtocolSessionIo["authorize"]) => {
    const session = new ProtocolSession({ ...services, logger }, threadId, {
      send: (text) =>
        new Promise((resolve) => {
          if (ws.readyState !== ws.OPEN) return resolve();
          ws.send(text, () => resolve());
        }),
      authorize: grant,
    });
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, heartbeatMs);
    ping.unref();
    ws.on("pong", () => (alive = true));
    ws.on("message", (data, isBinary) => {
      alive = true;
      void session.receive(isBinary ? Buffer.from(data as Buffer).toString("utf8") : String(data));
    });
    ws.on("close", () => {
      clearInterval(ping);
      session.close();
    });
    ws.on("error", (err) => logger.debug({ err, thread_id: threadId }, "protocol socket error"));
  };

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    accept(req, socket, head).catch((err: unknown) => {
      if (err instanceof ApiError) return refuse(socket, err.status, String(err.detail ?? err.message));
      logger.error({ err }, "protocol socket upgrade failed");
      refuse(socket, 500, "Internal Server Error");
    });
  });

  return {
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
