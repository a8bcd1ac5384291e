/**
 * Contract-driven dispatch: each request is routed by the spec to its
 * operation, validated by openapi-backend's Ajv validators (path, query,
 * headers, body; formats via ajv-formats), and handed to the handler
 * registered under the operation's operationId.
 */
import { rewriteStoreNamespace, storeNamespace } from "../auth/store-namespace.ts";
import type { Context as KoaContext } from "koa";
import { OpenAPIBackend, OpenAPIValidator, type Operation } from "openapi-backend";
import addFormats from "ajv-formats";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { HandlerMap } from "../handlers/types.ts";
import { JsonText, STREAMED } from "../handlers/types.ts";
import type { Services } from "../services.ts";
import { ApiError, UnprocessableError, type ValidationIssue } from "./errors.ts";
import { toValidationIssues } from "./validation-issues.ts";
import { RouteTable } from "./route-table.ts";
import { hasBody } from "./json-body.ts";
import { addCanonicalUuidKeyword, markUuidFields } from "./canonical-uuids.ts";
import { loadSpec } from "./spec-document.ts";
import { operationPermissions, type OperationId } from "../../generated/operation-ids.ts";
import type { AuthGate } from "../auth/gate.ts";
import { OPEN_ACCESS } from "../auth/access.ts";
import type { DisableGroup } from "../project/langgraph-json.ts";
import { isServed } from "./route-groups.ts";

/** The issues of a request that failed validation (see FULL_REPORT_BYTES). */
function issuesOf(op: CompiledOperation, parameters: Record<string, unknown>, ctx: KoaContext): ValidationIssue[] {
  const raw = (ctx.request as { rawBody?: string }).rawBody;
  if (raw === undefined || Buffer.byteLength(raw) <= FULL_REPORT_BYTES) {
    const errors: ErrorObject[] = [];
    for (const validate of op.validators) {
      if (!validate(parameters)) for (const err of validate.errors ?? []) errors.push(err);
    }
    return toValidationIssues(errors);
  }
  // The first-error pass just ran on this request: its validators still hold its errors.
  return [
    ...toValidationIssues(op.firstError.flatMap((validate) => validate.errors ?? [])),
    {
      loc: ["body"],
      msg: `further issues not listed: a body over ${FULL_REPORT_BYTES / 1024 / 1024} MiB is checked only up to its first issue`,
      type: "too_many_errors",
    },
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The gate's answer for a validated request. A custom handler sees what the operation acts on as one
 * value (query, body and path fields, path last so a body cannot name another thread); what it does to a
 * create's `value.metadata` is what the create stores, and to a store call's `value.namespace` what the
 * call acts on (auth/store-namespace.ts).
 */
export async function authorize(
  gate: AuthGate,
  user: Awaited<ReturnType<AuthGate["authenticate"]>>,
  permission: string,
  parameters: Record<string, unknown>,
) {
  const body = parameters.requestBody;
  const value: Record<string, unknown> = {
    ...(parameters.query as object),
    ...(isObject(body) ? body : {}),
    ...(parameters.path as object),
  };
  const creates = permission.endsWith(":create");
  if (creates) value.metadata = isObject(value.metadata) ? value.metadata : {};
  const namespace = storeNamespace(permission, parameters);
  if (namespace) value.namespace = [...namespace];
  const access = await gate.authorize(user, permission, value);
  if (namespace) rewriteStoreNamespace(permission, parameters, namespace, value.namespace);
  if (creates && isObject(value.metadata) && Object.keys(value.metadata).length > 0) {
    if (isObject(body)) body.metadata = value.metadata;
    else if (body === undefined) parameters.requestBody = { metadata: value.metadata };
  }
  return access;
}

/** The fields of a (dereferenced) OpenAPI parameter object that routing looks at. */
interface ParameterObject {
  name: string;
  in: string;
  style?: string;
  explode?: boolean;
  content?: unknown;
  schema?: { type?: unknown };
}

interface QueryParam {
  name: string;
  /** A lone value is wrapped in an array, as openapi-backend does for array-typed parameters. */
  array: boolean;
}

/** The query parameters an operation declares. Parameters sent but not declared are ignored. */
function queryParamsOf(operation: Operation): QueryParam[] {
  const params: QueryParam[] = [];
  for (const p of (operation.parameters ?? []) as ParameterObject[]) {
    if (p.in !== "query") continue;
    // This dispatcher parses query strings one way (form style, exploded). Fail at boot,
    // not per request, if the contract ever asks for another.
    if (p.content || p.explode === false || (p.style && p.style !== "form"))
      throw new Error(
        `${operation.operationId}: query parameter "${p.name}" uses a serialization this server does not parse`,
      );
    params.push({ name: p.name, array: p.schema?.type === "array" });
  }
  return params;
}

/**
 * A request that fails validation is validated again with every error reported, to list them all,
 * when its body is at most this large. A larger body lists only its first issue: Ajv reporting every
 * error of a 5 MB body of bad array items makes 2.5 million error objects (4 s and 500 MB).
 */
const FULL_REPORT_BYTES = 1024 * 1024;

interface CompiledOperation {
  /** The operation's `x-permission`: "public", or the `resource:action` the caller needs. */
  permission: string;
  query: QueryParam[];
  /** Stop at the first error: what every request pays. */
  firstError: ValidateFunction[];
  /** Report every error: only for requests that failed. */
  validators: ValidateFunction[];
  handler: (input: unknown, services: Services) => ReturnType<HandlerMap[keyof HandlerMap]>;
}

/**
 * Each request is matched once (RouteTable), its parameters are gathered once,
 * and openapi-backend's compiled Ajv validators for the operation check (and
 * coerce) path, query, headers and body in one pass before the handler runs.
 * openapi-backend's own `handleRequest` re-parses a request up to four times;
 * going through its router and validator directly keeps the contract checks and
 * drops that cost.
 */
export async function createDispatcher(
  handlers: HandlerMap,
  services: Services,
  apiRoot: string,
  gate: AuthGate,
  /** langgraph.json's `http.disable_*`: their operations are not routed (404, as a path that does not exist). */
  disabled: ReadonlySet<DisableGroup> = new Set(),
) {
  // spec/openapi.yaml with the files it $refs bundled in: one document, only internal $refs.
  const definition = await loadSpec();
  const customizeAjv = (ajv: Ajv) => {
    addFormats.default(ajv);
    addCanonicalUuidKeyword(ajv);
    return ajv;
  };
  // Every `format: uuid` field is canonicalised as it is validated (canonical-uuids.ts).
  markUuidFields(definition);
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
    customizeAjv,
  });
  // openapi-backend checks definitions against the OpenAPI 3.0 meta-schema and, for a
  // 3.1 document, silently loads zero routes. `quick` skips that check; `npm run lint:spec`
  // validates the spec structurally (3.1-aware) in CI, and boot fails if no route loaded.
  await api.init();
  const operations = api.router.getOperations();
  const routes = new RouteTable(
    operations.filter((operation) => isServed(operation, disabled)),
    apiRoot || "/",
  );
  // The same contract with Ajv's default of stopping at the first error.
  const firstError = new OpenAPIValidator({
    definition: api.definition,
    router: api.router,
    lazyCompileValidators: true,
    coerceTypes: true,
    customizeAjv,
  });

  const compiled = new Map<string, CompiledOperation>();
  // Every operation of the spec needs its handler and permission, served or not.
  for (const operation of operations) {
    const operationId = operation.operationId as keyof HandlerMap;
    const handler = handlers[operationId] as CompiledOperation["handler"] | undefined;
    if (!handler) throw new Error(`no handler for operation ${operationId}`);
    const permission = operationPermissions[operationId as OperationId];
    // Deny by default: lint:spec refuses an operation without one, and so does boot.
    if (!permission) throw new Error(`operation ${operationId} declares no x-permission`);
    compiled.set(operationId, {
      permission,
      query: queryParamsOf(operation),
      // Lazily compiled by openapi-backend on first use (quick mode), then cached.
      get firstError() {
        return firstError.getRequestValidatorsForOperation(operationId) ?? [];
      },
      get validators() {
        return api.validator.getRequestValidatorsForOperation(operationId) ?? [];
      },
      handler,
    });
  }

  /** The 404 or 405 of a request no served operation answers, or null when one does. */
  const miss = (method: string, path: string): ApiError | null => {
    const match = routes.match(method, path);
    if (match.kind === "notFound") return new ApiError(404, `Not Found: ${method} ${path}`);
    if (match.kind === "methodNotAllowed")
      return new ApiError(405, `Method Not Allowed: ${method} ${path}`, { Allow: match.allow.join(", ") });
    return null;
  };

  return {
    /** Operations served (the spec's, less those langgraph.json disables). */
    operationCount: routes.operations.length,
    miss,
    async handle(ctx: KoaContext): Promise<void> {
      const match = routes.match(ctx.method, ctx.path);
      if (match.kind !== "operation") throw miss(ctx.method, ctx.path)!;
      const op = compiled.get(match.operation.operationId!)!;
      // Public operations, and every operation without authentication (mode none), skip the gate: no
      // per-request work (an await, a copy of the request's fields) for an answer known in advance.
      const open = op.permission === "public" || gate.mode === "none";
      // Who is calling, before anything of the request is looked at: no credentials is a 401, whatever else is wrong.
      const user = open
        ? null
        : await gate.authenticate({
            method: ctx.method,
            url: ctx.href,
            headers: ctx.headers,
            rawBody: (ctx.request as { rawBody?: string }).rawBody,
          });

      const sent = ctx.query;
      const query: Record<string, unknown> = {};
      for (const { name, array } of op.query) {
        const value = sent[name];
        if (value === undefined) continue;
        query[name] = array && !Array.isArray(value) ? [value] : value;
      }
      // A body the operation requires must be sent: an absent one is not the empty object it reads as.
      if ((match.operation.requestBody as { required?: boolean } | undefined)?.required && !hasBody(ctx.req.headers))
        throw new UnprocessableError([{ loc: ["body"], msg: "a request body is required", type: "missing" }]);
      const body = (ctx.request as { body?: unknown }).body;
      const parameters: Record<string, unknown> = { path: match.params, query, header: ctx.headers };
      if (typeof body === "object" || ctx.is("json")) parameters.requestBody = body;

      let valid = true;
      for (const validate of op.firstError) if (!validate(parameters)) valid = false;
      if (!valid) throw new UnprocessableError(issuesOf(op, parameters, ctx));

      const access = open ? OPEN_ACCESS : await authorize(gate, user, op.permission, parameters);
      const result = await op.handler(
        {
          params: parameters.path,
          query: parameters.query,
          body: parameters.requestBody,
          headers: ctx.headers,
          ctx,
          access,
        },
        services,
      );
      if (result === STREAMED) return;
      ctx.status = Number(result.status);
      if (result.headers) ctx.set(result.headers);
      if (result.body === undefined) return;
      // Serialised here, not by Koa after the middleware returned: a body JSON.stringify cannot write
      // (nested past its stack) then fails inside the error envelope instead of as Koa's text/plain 500.
      ctx.type = "application/json";
      ctx.body = result.body instanceof JsonText ? result.body.text : JSON.stringify(result.body);
    },
  };
}
