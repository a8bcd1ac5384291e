/**
 * CORS, from two sources: the environment (THREADGATE_CORS_ORIGINS, THREADGATE_CORS_HEADERS) and
 * langgraph.json's `http.cors` as LangGraph documents it. A variable that is set wins over the key it
 * stands for (origins over `allow_origins` and `allow_origin_regex`, headers over `allow_headers`): the
 * operator's environment overrides the project's file. A key neither gives keeps the server's default:
 * any origin, the headers a preflight asks for, no credentials.
 *
 * The headers the SDK reads (Content-Location for rejoining a stream, pagination) are always exposed,
 * also when `expose_headers` lists others.
 */
import cors from "@koa/cors";
import type { Context, Middleware } from "koa";
import type { ServerConfig } from "../config.ts";
import type { ProjectCors } from "../project/langgraph-json.ts";

const SDK_EXPOSED = ["Content-Location", "Location", "X-Pagination-Total", "X-Pagination-Next"];

/** Which origins get an answer: "*", a list, or those a regular expression matches. */
type OriginRule = "*" | { list: string[] } | { regex: RegExp };

function originRule(config: Pick<ServerConfig, "corsOrigins">, project: ProjectCors | null): OriginRule {
  if (config.corsOrigins === "*") return "*";
  if (config.corsOrigins) return { list: config.corsOrigins };
  // The whole origin must match, as Starlette's CORSMiddleware matches it: a partial match would let
  // `https://app\.example` allow https://app.example.evil.test.
  if (project?.allowOriginRegex) return { regex: new RegExp(`^(?:${project.allowOriginRegex})$`) };
  if (project?.allowOrigins) return project.allowOrigins.includes("*") ? "*" : { list: project.allowOrigins };
  return "*";
}

/**
 * Whether a browser page of this origin may use the API: the CORS rule. WebSocket upgrades, which CORS
 * does not cover, are refused for origins it does not allow (a page elsewhere must not drive the API).
 */
export function originAllowed(
  config: Pick<ServerConfig, "corsOrigins">,
  project: ProjectCors | null,
): (origin: string) => boolean {
  const rule = originRule(config, project);
  if (rule === "*") return () => true;
  if ("list" in rule) return (origin) => rule.list.includes(origin);
  return (origin) => rule.regex.test(origin);
}

function exposed(project: ProjectCors | null): string[] {
  const names = [...SDK_EXPOSED];
  for (const name of project?.exposeHeaders ?? []) {
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}

/**
 * The CORS middleware. Throws at start for `allow_credentials` with any origin allowed: @koa/cors would
 * answer every origin by name with credentials, letting any site make credentialed requests.
 */
export function corsMiddleware(
  config: Pick<ServerConfig, "corsOrigins" | "corsHeaders">,
  project: ProjectCors | null,
): Middleware {
  const rule = originRule(config, project);
  const credentials = project?.allowCredentials ?? false;
  if (credentials && rule === "*")
    throw new Error(
      `http.cors.allow_credentials needs the origins it is for (http.cors.allow_origins, allow_origin_regex or ` +
        `THREADGATE_CORS_ORIGINS): with any origin allowed, every site could make credentialed requests`,
    );
  const allows = originAllowed(config, project);
  const answer = cors({
    origin: (ctx: Context) => {
      if (rule === "*") return "*";
      const origin = ctx.get("Origin");
      return allows(origin) ? origin : "";
    },
    exposeHeaders: exposed(project),
    // Unset, @koa/cors answers a preflight with the headers it asks for: a browser client may carry any
    // headers its SDK was given (defaultHeaders such as x-request-id, tracing headers).
    allowHeaders: config.corsHeaders ?? project?.allowHeaders,
    // Left out, not undefined: @koa/cors spreads its options over its defaults (GET,HEAD,PUT,POST,DELETE,PATCH).
    ...(project?.allowMethods ? { allowMethods: project.allowMethods } : {}),
    ...(project?.maxAge !== undefined ? { maxAge: project.maxAge } : {}),
    // Off unless langgraph.json asks: nothing of the API reads cookies; a custom route may.
    credentials,
  });
  // Browsers send Origin on every cross-origin request, so one without it (the SDK in Node, curl) is not
  // a CORS request and needs no CORS headers (three fewer headers to set and send on every such request).
  // The answer still depends on Origin, so caches are told so.
  return (ctx, next) => {
    if (ctx.req.headers.origin !== undefined) return answer(ctx, next);
    ctx.vary("Origin");
    return next();
  };
}
