/**
 * Contract-driven dispatch: openapi-backend routes each request by the spec,
 * validates path, query and body (formats via ajv-formats), and calls the
 * handler registered under the operation's operationId.
 */
import fs from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Context as KoaContext } from "koa";
import { OpenAPIBackend, type Context as ApiContext, type Document, type Request as ApiRequest } from "openapi-backend";
import addFormats from "ajv-formats";
import type { ErrorObject } from "ajv";
import type { HandlerMap } from "../handlers/types.ts";
import { STREAMED } from "../handlers/types.ts";
import type { Services } from "../services.ts";
import { ApiError, UnprocessableError, type ValidationIssue } from "./errors.ts";
import { indexRoutes } from "./route-index.ts";

export const SPEC_PATH = fileURLToPath(new URL("../../spec/openapi.yaml", import.meta.url));

const LOCATION_OF: Record<string, string> = { path: "path", query: "query", header: "header", requestBody: "body" };

/** Ajv errors → `[{loc, msg, type}]`, naming each bad field and why. */
export function toValidationIssues(errors: ErrorObject[]): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  for (const err of errors) {
    const segments = err.instancePath
      .split("/")
      .filter(Boolean)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const [where = "requestBody", ...field] = segments;
    const loc: (string | number)[] = [LOCATION_OF[String(where)] ?? String(where), ...field];
    if (err.keyword === "required") loc.push((err.params as { missingProperty: string }).missingProperty);
    if (err.keyword === "additionalProperties")
      loc.push((err.params as { additionalProperty: string }).additionalProperty);
    let msg = err.message ?? "is invalid";
    if (err.keyword === "enum")
      msg += `: ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`;
    if (err.keyword === "parse") msg = `body is not valid JSON: ${msg}`;
    const key = `${loc.join(".")}|${err.keyword}`;
    // oneOf/anyOf produce one error per branch; keep the first per field and keyword.
    if (!issues.has(key)) issues.set(key, { loc, msg, type: err.keyword });
  }
  return dropBranchNoise([...issues.values()]);
}

/**
 * A nullable `$ref` is `anyOf: [schema, null]`; when the value fails the schema,
 * Ajv also reports "must be null" and "must match a schema in anyOf". Keep the
 * specific errors and drop that noise whenever a more specific one exists.
 */
function dropBranchNoise(issues: ValidationIssue[]): ValidationIssue[] {
  const prefixOf = (a: ValidationIssue, b: ValidationIssue) =>
    b.loc.length >= a.loc.length && a.loc.every((part, i) => b.loc[i] === part);
  return issues.filter((issue) => {
    const noise =
      issue.type === "anyOf" || issue.type === "oneOf" || (issue.type === "type" && issue.msg === "must be null");
    if (!noise) return true;
    return !issues.some(
      (other) =>
        other !== issue &&
        !(other.type === "anyOf" || other.type === "oneOf" || other.msg === "must be null") &&
        prefixOf(issue, other),
    );
  });
}

/** Query parameters the SDK sends that the operation does not declare are ignored, not rejected. */
function isUnknownQueryParam(err: ErrorObject): boolean {
  return err.keyword === "additionalProperties" && err.instancePath === "/query";
}

export async function createDispatcher(handlers: HandlerMap, services: Services, apiRoot: string) {
  const definition = parseYaml(await fs.readFile(SPEC_PATH, "utf8")) as Document;
  const api = new OpenAPIBackend({
    definition,
    // Compile each operation's validators on first use instead of all (and every
    // response validator, which we do not use) at boot: 0.1 s instead of ~6 s.
    quick: true,
    apiRoot: apiRoot || "/",
    validate: true,
    coerceTypes: true,
    // Report every bad field, not just the first.
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => {
      addFormats.default(ajv);
      return ajv;
    },
  });
  // openapi-backend checks definitions against the OpenAPI 3.0 meta-schema and, for a
  // 3.1 document, silently loads zero routes. `quick` skips that check; `npm run lint:spec`
  // validates the spec structurally (3.1-aware) in CI, and boot fails if no route loaded.

  const invoke = async (operationId: keyof HandlerMap, c: ApiContext, ctx: KoaContext): Promise<void> => {
    const handler = handlers[operationId] as (
      input: unknown,
      services: Services,
    ) => ReturnType<HandlerMap[keyof HandlerMap]>;
    const result = await handler(
      {
        params: c.request.params ?? {},
        query: c.request.query ?? {},
        body: c.request.requestBody,
        headers: c.request.headers,
        ctx,
      },
      services,
    );
    if (result === STREAMED) return;
    ctx.status = Number(result.status);
    if (result.headers) ctx.set(result.headers);
    if (result.body !== undefined) ctx.body = result.body;
  };

  const operationHandlers = Object.fromEntries(
    Object.keys(handlers).map((id) => [id, (c: ApiContext, ctx: KoaContext) => invoke(id as keyof HandlerMap, c, ctx)]),
  );

  api.register({
    ...operationHandlers,
    validationFail: async (c: ApiContext, ctx: KoaContext) => {
      const errors = c.validation.errors ?? [];
      const real = errors.filter((e) => !isUnknownQueryParam(e));
      if (real.length > 0) throw new UnprocessableError(toValidationIssues(real));
      // Only undeclared query parameters were wrong: drop them and validate again for coercion.
      const declared = new Set(
        (c.operation.parameters ?? [])
          .filter((p) => "in" in p && p.in === "query")
          .map((p) => ("name" in p ? p.name : "")),
      );
      const query = Object.fromEntries(Object.entries(c.request.query ?? {}).filter(([k]) => declared.has(k)));
      const request = { ...(ctx.state.apiRequest as ApiRequest), query } as ApiRequest;
      const validation = api.validator.validateRequest(request, c.operation);
      if (validation.errors?.length) throw new UnprocessableError(toValidationIssues(validation.errors));
      c.request = api.router.parseRequest(validation.coerced as ApiRequest, c.operation);
      return invoke(c.operation.operationId as keyof HandlerMap, c, ctx);
    },
    notFound: async (c: ApiContext) => {
      throw new ApiError(404, `Not Found: ${c.request.method.toUpperCase()} ${c.request.path}`);
    },
    methodNotAllowed: async (c: ApiContext, ctx: KoaContext) => {
      const allowed = ["get", "post", "put", "patch", "delete"].filter((method) =>
        api.router.matchOperation({ method, path: ctx.path, headers: {} }),
      );
      ctx.set("Allow", allowed.map((m) => m.toUpperCase()).join(", "));
      throw new ApiError(405, `Method Not Allowed: ${c.request.method.toUpperCase()} ${c.request.path}`);
    },
  });
  await api.init();
  indexRoutes(api.router);

  return {
    api,
    operationCount: api.getOperations().length,
    async handle(ctx: KoaContext): Promise<void> {
      const request: ApiRequest = {
        method: ctx.method,
        path: ctx.path,
        query: ctx.querystring,
        headers: ctx.headers as ApiRequest["headers"],
        body: (ctx.request as { body?: unknown }).body,
      };
      ctx.state.apiRequest = request;
      await api.handleRequest(request, ctx);
    },
  };
}
