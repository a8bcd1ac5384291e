/**
 * The one place errors become responses: every failure leaves as
 * `{"detail": ...}` with its status; unexpected ones as a bare 500, never a stack trace.
 */
import type { Middleware } from "koa";
import type { Logger } from "../logger.ts";
import { ApiError } from "./errors.ts";

const CLIENT_GONE = new Set(["ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE", "ECONNABORTED"]);

export function isClientGone(err: { code?: string }): boolean {
  return err.code !== undefined && CLIENT_GONE.has(err.code);
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
      const e = err as { status?: number };
      if (e.status === 413) {
        ctx.status = 413;
        ctx.body = { detail: "Request body too large" };
        return;
      }
      logger.error({ err, method: ctx.method, path: ctx.path }, "request failed");
      ctx.status = 500;
      ctx.body = { detail: "Internal Server Error" };
    }
  };
}
