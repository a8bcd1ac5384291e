/**
 * Idempotency keys (`Idempotency-Key`): a key is stored with the admission it came with, in the same
 * transaction, so a retry of the request finds the runs that admission made instead of making more.
 * Plain types with no imports from ./types.ts (which imports these).
 */

/** A key to store with an admission. */
export interface IdempotencyClaim {
  /** Whose key it is (the caller; "" without authentication): another owner's key never matches. */
  owner: string;
  key: string;
  /** The request the key was sent with (its body and where it was sent), hashed: a retry sends the same. */
  hash: string;
  /** ISO-8601: from then on the key counts as absent, and a new admission may take it over. */
  expires_at: string;
}

/** A key stored by an earlier admission, not expired yet: what it was sent with and the runs it made. */
export interface StoredKey {
  hash: string;
  /** In admission order (a batch's, in request order). The runs may have been deleted since. */
  run_ids: string[];
}

/** An admission that found its key stored already: it wrote nothing, and says what the key holds. */
export interface KeyTaken {
  refused: "key-taken";
  earlier: StoredKey;
}

/** What the admissions of RunLifecycleStore take besides their runs. */
export interface Keyed {
  /**
   * Checked first, once the admission holds its threads: when the owner's key is stored and not
   * expired, nothing is written and the answer is `key-taken`. Otherwise stored with the admitted
   * runs, in the same transaction (an expired key is overwritten); a refused admission stores none.
   * Of two admissions with one key at once, one stores it and the other answers `key-taken`.
   */
  idempotency?: IdempotencyClaim;
}

/** The key reads of RunLifecycleStore. */
export interface IdempotencyKeyReads {
  /** The owner's key, unless it is missing or expired. */
  findKey(owner: string, key: string): Promise<StoredKey | null>;
  /** Deletes keys that expired at or before `now` (ISO-8601); how many. */
  purgeExpiredKeys(now: string): Promise<number>;
}
