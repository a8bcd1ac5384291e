/**
 * `Idempotency-Key` on the run-creating requests: a retry of a request whose runs were admitted gets
 * those runs back instead of new ones. The key is the caller's own (another user's key never
 * matches), it holds for a retention window, and it answers only the request it came with: the hash
 * of the validated body and of where it was sent (a thread's runs, stateless runs, a batch), so the
 * same key on another thread is another request (422). The key is stored in the admission's own
 * transaction (RunLifecycleStore), so of two requests with one key at once, only one makes runs.
 */
import { createHash } from "node:crypto";
import type { Access } from "../../auth/access.ts";
import { ConflictError, invalid } from "../../http/errors.ts";
import type { Logger } from "../../logger.ts";
import { canonicalJson } from "../../stores/access.ts";
import type { IdempotencyClaim, RunRecord, StoredKey, Stores } from "../../stores/types.ts";

/** Expired keys are deleted at most this often, by the next keyed request after it. */
const PURGE_EVERY_MS = 3600 * 1000;

/** Where a request sends its body, as part of what its key answers. */
export type KeyTarget = { thread_id: string } | "stateless" | "batch";

/** The hash a key is stored with: the target and the body as canonical JSON (key order does not count). */
export function requestHash(target: KeyTarget, body: unknown): string {
  return createHash("sha256").update(canonicalJson({ target, body })).digest("hex");
}

/** Whose keys a caller's are: its identity; without authentication everyone is one caller. */
function ownerOf(access: Access): string {
  return access.user?.identity ?? "";
}

export class RunIdempotency {
  private nextPurge = 0;

  constructor(
    private readonly stores: Stores,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /**
   * What an admission stores for the request's key (none when the request has no key), and the runs
   * an earlier admission with the key made, looked up before anything is validated or written (a
   * retry need not pass again the checks its first attempt passed); null when the key is not stored.
   * The admission itself looks again, inside its transaction, for a request that was faster.
   */
  async lookup(
    key: string | undefined,
    access: Access,
    target: KeyTarget,
    body: unknown,
  ): Promise<{ key?: IdempotencyClaim; earlier: RunRecord[] | null }> {
    if (key === undefined) return { earlier: null };
    const expires_at = new Date(Date.now() + this.ttlSeconds * 1000).toISOString();
    const claim = { owner: ownerOf(access), key, hash: requestHash(target, body), expires_at };
    this.purgeNowAndThen();
    const stored = await this.stores.lifecycle.findKey(claim.owner, key);
    return { key: claim, earlier: stored ? await this.replay(claim, stored) : null };
  }

  /**
   * The runs of a stored key, as they are now, when it came with the same request: 422 naming the
   * header when it came with another; 409 when one of its runs was deleted since (a stateless run
   * whose thread went with it, a run deleted by hand), as making it again is what the key forbids.
   */
  async replay(claim: IdempotencyClaim, stored: StoredKey): Promise<RunRecord[]> {
    if (stored.hash !== claim.hash) {
      throw invalid(
        "header",
        "idempotency-key",
        "this Idempotency-Key was sent before with another request (another body, or another thread); send a new key",
      );
    }
    const runs: RunRecord[] = [];
    for (const runId of stored.run_ids) {
      const run = await this.stores.runs.get(runId);
      if (!run) {
        throw new ConflictError(
          `Run ${runId}, made by an earlier request with this Idempotency-Key, has been deleted since; send a new key to start another`,
        );
      }
      runs.push(run);
    }
    return runs;
  }

  /** Deletes expired keys in the background, at most once per PURGE_EVERY_MS (an expired key counts as absent anyway). */
  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now < this.nextPurge) return;
    this.nextPurge = now + PURGE_EVERY_MS;
    this.stores.lifecycle
      .purgeExpiredKeys(new Date(now).toISOString())
      .then((purged) => purged > 0 && this.logger.debug({ purged }, "expired idempotency keys purged"))
      .catch((err: unknown) => this.logger.warn({ err }, "purging expired idempotency keys failed"));
  }
}
