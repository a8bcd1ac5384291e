/**
 * Compile-time properties of the handler map, checked by `npm run typecheck`
 * (CI): each `@ts-expect-error` below must stay an error, or the build fails.
 */
import { handlers } from "../../src/handlers/index.ts";
import { JsonText, type HandlerMap, type OperationHandler } from "../../src/handlers/types.ts";

const { getOk: _left, ...withoutGetOk } = handlers;

// @ts-expect-error — a map missing one operationId of the spec is not a HandlerMap
export const missingHandler: HandlerMap = withoutGetOk;

// @ts-expect-error — an operationId the spec does not declare is refused
export const unknownHandler: HandlerMap = { ...handlers, getNothing: handlers.getOk };

// @ts-expect-error — getOk declares no 404, so a handler cannot answer one
export const undeclaredStatus: OperationHandler<"getOk"> = async () => ({ status: 404, body: { detail: "no" } });

// @ts-expect-error — the 200 body must have the spec's shape
export const wrongBody: OperationHandler<"getOk"> = async () => ({ status: 200, body: { ok: "yes" } });

// @ts-expect-error — a pre-serialised body is typed by what it encodes, and that must be the spec's shape too
export const wrongJsonText: OperationHandler<"getOk"> = async () => ({
  status: 200,
  body: new JsonText<{ ok: string }>("{}"),
});

// A pre-serialised body of the spec's shape is accepted.
export const jsonText: OperationHandler<"getOk"> = async () => ({
  status: 200,
  body: new JsonText<{ ok: true }>(`{"ok":true}`),
});

// The real map, for contrast, is accepted as is.
export const complete: HandlerMap = handlers;
