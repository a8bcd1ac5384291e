/**
 * The one place errors become responses: every failure leaves as
 * `{"detail": ...}` with its status; unexpected ones as a bare 500, never a stack trace.
 *
 * Three ways a response could leave without the envelope, each closed here or beside it:
 * - an error thrown below: `errorEnvelope` catches it (an `http-errors` error a library threw with a
 *   4xx status, e.g. the body parser's 413, keeps its status and message);
 * - a status set with no JSON body (a middleware answering on its own, e.g. the body parser's
 *   "Request already closed" text): `errorEnvelope` wraps it after the fact;
 * - an error once every middleware returned, while Koa writes the response (JSON.stringify of a body
 *   left to Koa failing; an error thrown by `errorEnvelope` itself): Koa's own last-resort handler
 *   answers text/plain, so `jsonLastResort` replaces it. Dispatch serialises handlers' bodies itself,
 *   so a body that cannot be serialised (nested past JSON.stringify's stack) is the first case.
 * Node's own answers to requests it cannot parse are client-error.ts.
 */
import { STATUS_CODES } from "node:http";
import type Koa from "koa";
import type { Context, Middleware } from "koa";
import type { Logger } from "../logger.ts";
import { ApiError } from "./errors.ts";

const CLIENT_GONE = new Set(["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE", "ECONNABORTED"]);

export function isClientGone(err: { code?: string }): boolean {
  return err.code !== undefined && CLIENT_GONE.has(err.code);
}

/** An error a library raised with `http-errors` for the client to see (status 4xx, `expose`). */
function clientHttpError(err: unknown): { status: number; message: string } | null {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e?.status !== "number" || e.status < 400 || e.status > 499 || e.expose !== true) return null;
  return { status: e.status, message: e.status === 413 ? "Request body too large" : String(e.message) };
}

/** Whether a body already is the envelope (an object with `detail`, or the JSON text of one). */
function isEnvelope(body: unknown): boolean {
  if (typeof body === "string") return body.startsWith('{"detail":');
  return typeof body === "object" && body !== null && !Buffer.isBuffer(body) && "detail" in body;
}

export function errorEnvelope(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (ctx.headerSent || !ctx.writable) {
        if (!isClientGone(err as { code?: string })) logger.error({ err }, "error after response started");
        return;
      }
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = { detail: err.detail };
        return;
      }
      const exposed = clientHttpError(err);
      if (exposed) {
        ctx.status = exposed.status;
        ctx.body = { detail: exposed.message };
        return;
      }
      logger.error({ err, method: ctx.method, path: ctx.path }, "request failed");
      ctx.status = 500;
      ctx.body = { detail: "Internal Server Error" };
      return;
    }
    if (ctx.status >= 400 && ctx.respond !== false && !ctx.headerSent && !isEnvelope(ctx.body)) {
      const text = typeof ctx.body === "string" && ctx.body !== "" ? ctx.body : undefined;
      ctx.body = { detail: text ?? STATUS_CODES[ctx.status] ?? "Error" };
    }
  };
}

/**
 * Replaces Koa's last-resort error handler (text/plain) with one that answers the envelope. It runs
 * for errors raised after the middleware chain, while Koa writes the response.
 */
export function jsonLastResort(app: Koa): void {
  const koaOnError = app.context.onerror;
  app.context.onerror = function onerror(this: Context, err: unknown) {
    if (err == null) return;
    if (this.headerSent || !this.writable) return koaOnError.call(this, err as Error);
    this.app.emit("error", err, this);
    const exposed = clientHttpError(err);
    const status = exposed?.status ?? 500;
    const text = JSON.stringify({ detail: exposed?.message ?? "Internal Server Error" });
    const { res } = this;
    for (const name of res.getHeaderNames()) {
      if (!name.startsWith("access-control-") && name !== "vary") res.removeHeader(name);
    }
    res.statusCode = status;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Content-Length", Buffer.byteLength(text));
    res.end(text);
  };
}
