/**
 * The generated contract (generated/openapi.ts, from spec/openapi.yaml) as the code names it, and the
 * compile-time checks that hold hand-written lists to it.
 *
 * Request bodies the runtime takes whole are the spec's schemas themselves (`Schema<"RunCreate">`): a
 * field the spec renames or retypes breaks the code that reads it. An enum the code acts on value by
 * value (cancel actions, stream modes, statuses) keeps its own list, asserted `Equals` to the spec's:
 * a value added to (or taken from) the spec fails `npm run typecheck` where the code must learn it,
 * instead of flowing through to a branch that does not know it. Handlers' responses are checked by
 * their own types (src/handlers/types.ts: a body must have the shape the spec gives its status).
 */
import type { components } from "../generated/openapi.ts";

/** A schema of the spec (`components.schemas`). */
export type Schema<N extends keyof components["schemas"]> = components["schemas"][N];

/** A shared parameter of the spec (`components.parameters`). */
export type Parameter<N extends keyof components["parameters"]> = components["parameters"][N];

/** `true` when A and B are the same type (not merely assignable either way). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only for `true`: `type _ = Assert<Equals<Mine, Schema<"Theirs">>>`. */
export type Assert<T extends true> = T;
