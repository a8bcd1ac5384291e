/**
 * Compile-time properties of src/contract.ts's checks, held by `npm run typecheck` (CI): each
 * `@ts-expect-error` below must stay an error, or the build fails. Without them an `Equals` that
 * always held would let every assertion against the spec pass.
 */
import type { Assert, Equals } from "../../src/contract.ts";

// @ts-expect-error — a union with a value more (a value the spec added) is not the same
export type ValueAdded = Assert<Equals<"interrupt" | "rollback" | "abandon", "interrupt" | "rollback">>;

// @ts-expect-error — nor one with a value less (a value the spec dropped)
export type ValueDropped = Assert<Equals<"interrupt", "interrupt" | "rollback">>;

// @ts-expect-error — `any` matches nothing but itself
export type AnyIsNotAUnion = Assert<Equals<any, "interrupt" | "rollback">>;

// The same values in another order are the same type.
export type SameValues = Assert<Equals<"rollback" | "interrupt", "interrupt" | "rollback">>;
