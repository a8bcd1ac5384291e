/**
 * langgraph.json's `http.app`: the user's own routes, answered beside the API as LangGraph servers do.
 * The export is a fetch-style handler, `(request: Request) => Response | Promise<Response>`, or an
 * object with such a `fetch` method (all a Hono app is to us).
 *
 * The API wins: a request a served operation of the spec answers never reaches the app. Any other is
 * offered to the app as a WHATWG `Request` (method, full URL, headers, the body as a stream); its
 * `Response` is written back as it is (status, headers, the body streamed), except a 404, which falls
 * through to the API's own 404 (or 405) envelope. The Host check and CORS apply to custom routes as to
 * the API; authentication only with `http.enable_custom_route_auth`, as on LangGraph servers.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import type { Context, Middleware } from "koa";
import type { Logger } from "../logger.ts";
import type { ModuleExport } from "../project/langgraph-json.ts";
import type { ApiError } from "./errors.ts";
import { isClientGone } from "./error-envelope.ts";
import { hasBody } from "./json-body.ts";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Imports the app; a missing module or an export that is not a fetch handler stops the start. */
export async function loadCustomApp({ file, exportName }: ModuleExport): Promise<FetchHandler> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const app = mod[exportName] as { fetch?: unknown } | ((request: Request) => unknown) | undefined;
  if (app && typeof (app as { fetch?: unknown }).fetch === "function") {
    const target = app as { fetch: (request: Request) => Response | Promise<Response> };
    return (request) => target.fetch(request);
  }
  if (typeof app === "function") return app as FetchHandler;
  throw new Error(
    `${file} exports no HTTP app as "${exportName}" (http.app in langgraph.json: a function (request) => Response, ` +
      `or an object with a fetch method such as a Hono app)`,
  );
}

/** The Koa request as a WHATWG Request; the body is the request's own stream, not read here. */
function toRequest(ctx: Context, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = ctx.req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const withBody = ctx.method !== "GET" && ctx.method !== "HEAD" && hasBody(ctx.req.headers);
  return new Request(ctx.href, {
    method: ctx.method,
    headers,
    body: withBody ? (Readable.toWeb(ctx.req) as ReadableStream<Uint8Array>) : undefined,
    // A request body stream must say it is sent while the response may already come.
    ...(withBody ? { duplex: "half" } : {}),
    signal,
  } as RequestInit);
}

/** Writes the app's Response to the socket itself: Koa (and the error envelope) leave it as it is. */
async function writeResponse(ctx: Context, response: Response, logger: Logger): Promise<void> {
  ctx.respond = false;
  const res = ctx.res;
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue; // below, one header each
    if (name === "vary")
      ctx.vary(value); // beside CORS's Vary: Origin
    else res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  const bodyless = ctx.method === "HEAD" || response.status === 204 || response.status === 304;
  if (!response.body || bodyless) {
    await response.body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
  } catch (err) {
    if (!isClientGone(err as { code?: string }))
      logger.error({ err, path: ctx.path }, "custom route's response failed");
    res.destroy();
  }
}

export interface CustomRoutesOptions {
  app: FetchHandler;
  /** The API's answer to a request none of its served operations takes (404 or 405), or null when one does. */
  miss: (method: string, path: string) => ApiError | null;
  /** Authenticates a custom route's request (throws 401), with `http.enable_custom_route_auth`. */
  authenticate?: (ctx: Context) => Promise<unknown>;
  logger: Logger;
}

/** The middleware that offers requests the API does not take to the custom app. */
export function customRoutes({ app, miss, authenticate, logger }: CustomRoutesOptions): Middleware {
  return async (ctx, next) => {
    const missed = miss(ctx.method, ctx.path);
    if (!missed) return next();
    if (authenticate) await authenticate(ctx);
    // Aborted when the client goes away before the response is done (a streaming route stops).
    const controller = new AbortController();
    ctx.res.once("close", () => {
      if (!ctx.res.writableFinished) controller.abort();
    });
    const response = await app(toRequest(ctx, controller.signal));
    // By shape: the app may build its Response with another copy of the class (undici's own).
    if (typeof response?.status !== "number" || typeof response.headers?.get !== "function")
      throw new Error(`the http.app of langgraph.json answered ${ctx.method} ${ctx.path} with no Response`);
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      throw missed; // the API's own 404 (or 405 for a path of the API with another method)
    }
    await writeResponse(ctx, response, logger);
  };
}
