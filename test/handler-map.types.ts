/**
 * Compile-time properties of the handler map, checked by `npm run typecheck`
 * (CI): each `@ts-expect-error` below must stay an error, or the build fails.
 */
import { handlers } from "../src/handlers/index.ts";
import type { HandlerMap, OperationHandler } from "../src/handlers/types.ts";

const { getOk: _left, ...withoutGetOk } = handlers;

// @ts-expect-error — a map missing one operationId of the spec is not a HandlerMap
export const missingHandler: HandlerMap = withoutGetOk;

// @ts-expect-error — an operationId the spec does not declare is refused
export const unknownHandler: HandlerMap = { ...handlers, getNothing: handlers.getOk };

// @ts-expect-error — getOk declares no 404, so a handler cannot answer one
export const undeclaredStatus: OperationHandler<"getOk"> = async () => ({ status: 404, body: { detail: "no" } });

// @ts-expect-error — the 200 body must have the spec's shape
export const wrongBody: OperationHandler<"getOk"> = async () => ({ status: 200, body: { ok: "yes" } });

// The real map, for contrast, is accepted as is.
export const complete: HandlerMap = handlers;
