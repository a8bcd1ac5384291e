/**
 * The contract as one document. spec/openapi.yaml is the root; bundling (swagger-parser) pulls in
 * every file it `$ref`s, so the result is a single OpenAPI document whose `$ref`s are all internal.
 * The dispatcher, scripts/generate.ts, scripts/lint-spec.ts and the tests all read the spec this way.
 */
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import type { Document } from "openapi-backend";

export const SPEC_PATH = fileURLToPath(new URL("../../spec/openapi.yaml", import.meta.url));

/** Bundles a root spec file with the files it `$ref`s into one document (a new object on each call). */
export async function bundleSpec(root: string = SPEC_PATH): Promise<Document> {
  return (await SwaggerParser.bundle(root)) as Document;
}

let bundled: Promise<Document> | undefined;

/**
 * spec/openapi.yaml, bundled once per process (a server started again, as the tests do, does not read
 * the files again). Each call gets its own copy, free to change (the dispatcher marks uuid fields in it).
 */
export async function loadSpec(): Promise<Document> {
  bundled ??= bundleSpec().catch((err: unknown) => {
    bundled = undefined;
    throw err;
  });
  return structuredClone(await bundled);
}
