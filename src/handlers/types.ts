/**
 * Handler types derived from the generated contract. The handler map is keyed
 * by every operationId in the spec: leaving one out, or adding one the spec
 * does not declare, fails to compile. A handler can only answer a status code
 * its operation declares, with the body the spec gives that status.
 */
import type { Context as KoaContext } from "koa";
import type { operations } from "../../generated/openapi.ts";
import type { OperationId } from "../../generated/operation-ids.ts";
import type { Services } from "../services.ts";
import type { Access } from "../auth/access.ts";

type Op<K extends OperationId> = operations[K];

type ParamsOf<K extends OperationId, Where extends "path" | "query" | "header"> =
  Op<K> extends {
    parameters: { [W in Where]?: infer P };
  }
    ? [P] extends [undefined | never]
      ? Record<string, never>
      : NonNullable<P>
    : Record<string, never>;

type BodyOf<K extends OperationId> =
  Op<K> extends { requestBody?: { content: { "application/json": infer B } } } ? B : undefined;

type ResponsesOf<K extends OperationId> = Op<K>["responses"];

type ResponseBody<R> = R extends { content: { "application/json": infer B } }
  ? B
  : R extends { content: { "text/event-stream": unknown } }
    ? never
    : undefined;

/**
 * A response body the store already serialised as JSON, sent as it is. `T` is
 * the schema type the text encodes; the store's conformance tests hold it to that.
 */
export class JsonText<T> {
  declare private readonly encodes: T;
  constructor(readonly text: string) {}
}

/** One of the responses the spec declares for the operation. */
export type Reply<K extends OperationId> = {
  [S in keyof ResponsesOf<K>]: ResponseBody<ResponsesOf<K>[S]> extends undefined
    ? { status: S; body?: undefined; headers?: Record<string, string> }
    : {
        status: S;
        body: ResponseBody<ResponsesOf<K>[S]> | JsonText<ResponseBody<ResponsesOf<K>[S]>>;
        headers?: Record<string, string>;
      };
}[keyof ResponsesOf<K>];

/** Returned by handlers that wrote the response themselves (Server-Sent Events). */
export const STREAMED = Symbol("streamed");
export type Streamed = typeof STREAMED;

export interface HandlerInput<K extends OperationId> {
  params: ParamsOf<K, "path">;
  query: ParamsOf<K, "query">;
  body: BodyOf<K>;
  headers: Record<string, string | string[] | undefined>;
  /** The Koa context, for the streaming escape hatch only. */
  ctx: KoaContext;
  /** What the caller may see (every store read takes its scope) and stamps on what it creates. */
  access: Access;
}

export type OperationHandler<K extends OperationId> = (
  input: HandlerInput<K>,
  services: Services,
) => Promise<Reply<K> | Streamed>;

export type HandlerMap = { [K in OperationId]: OperationHandler<K> };

/** A tag's handlers: a subset of the map, each typed by its own operationId. */
export type TagHandlers<K extends OperationId> = { [P in K]: OperationHandler<P> };
