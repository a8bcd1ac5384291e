/**
 * Backend-agnostic conformance tests for the storage contracts in src/stores/types.ts, one file per store beside
 * this one. Each backend calls `describeStoreConformance(name, open)`; `open` must return a fresh, empty set of
 * stores every time it is called (a new file, schema or database), and `close()` releases it. `twin`, when
 * given, opens another set of stores on the same data as the one it is handed (another connection, another
 * pool: as a second process would), for the tests of what two processes do at once. `fencesStreamEvents`:
 * the backend drops a stream event whose lease epoch is no longer its run's (default: when the name says
 * Postgres, whose processes share the database; SQLite's one process per file has no stale events).
 */
import { afterEach, beforeEach, describe } from "vitest";
import type { Stores } from "../../../src/stores/types.ts";
import { describeApiKeyStore } from "./api-keys.ts";
import { describeAssistantStore } from "./assistants.ts";
import { describeCheckpointStores } from "./checkpoints.ts";
import { describeFeedbackStore } from "./feedback.ts";
import { describeCronStore } from "./crons.ts";
import { describeJournalStore } from "./journal.ts";
import { describeRunLifecycleStore } from "./lifecycle.ts";
import { describeIdempotencyKeys } from "./idempotency.ts";
import { describeRunLeaseStore } from "./leases.ts";
import { describeRunStore } from "./runs.ts";
import { describeStreamEventStore } from "./stream-events.ts";
import { describeStoreItemStore } from "./store-items.ts";
import { describeStoreItemExpiryAndVectors } from "./store-expiry.ts";
import { describeThreadStore } from "./threads.ts";
import { describeThreadLifecycleColumns } from "./thread-ttl.ts";

/** The sections of the suite, one per store (and the thread TTL columns, the store items' expiry and vectors). */
export const SECTIONS = [
  "threads",
  "thread-ttl",
  "runs",
  "lifecycle",
  "idempotency",
  "stream-events",
  "journal",
  "checkpoints",
  "api-keys",
  "assistants",
  "store-items",
  "store-expiry",
  "feedback",
  "crons",
  "leases",
] as const;
export type Section = (typeof SECTIONS)[number];

export function describeStoreConformance(
  name: string,
  open: () => Promise<Stores>,
  opts: { twin?: (stores: Stores) => Promise<Stores>; fencesStreamEvents?: boolean } = {},
): void {
  describe(`${name} store conformance`, () => {
    let s: Stores;

    beforeEach(async () => {
      s = await open();
    });
    afterEach(async () => {
      await s.close();
    });

    // Each store's tests read the stores this test opened.
    const stores = () => s;
    // Without a twin of its own, a backend's "other process" is the same stores.
    const twin = async () => (opts.twin ? opts.twin(s) : s);
    const suites: Record<Section, (stores: () => Stores) => void> = {
      threads: describeThreadStore,
      "thread-ttl": describeThreadLifecycleColumns,
      runs: describeRunStore,
      lifecycle: describeRunLifecycleStore,
      idempotency: (stores) => describeIdempotencyKeys(stores, twin),
      "stream-events": describeStreamEventStore,
      journal: describeJournalStore,
      checkpoints: describeCheckpointStores,
      "api-keys": describeApiKeyStore,
      assistants: describeAssistantStore,
      "store-items": describeStoreItemStore,
      "store-expiry": describeStoreItemExpiryAndVectors,
      feedback: describeFeedbackStore,
      crons: describeCronStore,
      leases: (stores) =>
        describeRunLeaseStore(stores, twin, {
          fencesStreamEvents: opts.fencesStreamEvents ?? /postgres/i.test(name),
        }),
    };
    for (const section of SECTIONS) suites[section](stores);
  });
}
