/**
 * How large a thread's metadata may grow. A request's metadata is bounded by the spec (MetadataObject,
 * at most 100 keys); a patch merges into what the thread has, so the merged result is held to the same
 * bound here. The keys the server stamps itself (the graph and assistant of the thread's runs) do not count.
 */
import { invalid } from "../../http/errors.ts";
import type { Json, ThreadRecord } from "../../stores/types.ts";

/** The spec's MetadataObject maxProperties. */
export const METADATA_MAX_KEYS = 100;

const SERVER_KEYS = new Set(["graph_id", "assistant_id"]);

/** A 422 naming `body.metadata` when merging `patch` into the thread's metadata would pass the bound. */
export function checkMergedMetadata(thread: ThreadRecord, patch: Json): void {
  const keys = new Set([...Object.keys(thread.metadata), ...Object.keys(patch)]);
  let own = 0;
  for (const key of keys) if (!SERVER_KEYS.has(key)) own++;
  if (own > METADATA_MAX_KEYS) {
    throw invalid(
      "body",
      "metadata",
      `the thread's metadata would have ${own} keys after this patch; at most ${METADATA_MAX_KEYS} (put large data in the thread's state)`,
      "too_many_metadata_keys",
    );
  }
}
