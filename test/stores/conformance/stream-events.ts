/**
 * StreamEventStore: append, list, deleteByRun and purgeEndedBefore.
 * Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../../../src/stores/types.ts";
import { newRun, ev } from "./helpers.ts";

export function describeStreamEventStore(stores: () => Stores): void {
  describe("StreamEventStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    beforeEach(async () => {
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await s.runs.insert(newRun("r1", "t1"));
      await s.runs.insert(newRun("r2", "t1"));
    });

    it("append + list returns events after a seq, ascending", async () => {
      const events = [ev("r1", 0, "metadata"), ev("r1", 1), ev("r1", 2, "updates"), ev("r1", 3, "end", "null")];
      await s.streamEvents.append([events[2], events[0], events[3], events[1]]);
      expect(await s.streamEvents.list("r1", -1)).toEqual(events);
      expect(await s.streamEvents.list("r1", 1)).toEqual(events.slice(2));
      expect(await s.streamEvents.list("r1", 3)).toEqual([]);
      expect(await s.streamEvents.list("r1", -1, 2)).toEqual(events.slice(0, 2));
      expect(await s.streamEvents.list("r1", 0, 2)).toEqual(events.slice(1, 3));
      expect(await s.streamEvents.list("r1", -1, 0)).toEqual([]);
    });

    it("keeps data byte-for-byte", async () => {
      const data = JSON.stringify({ text: 'quote " newline \n unicode é 🚀', n: 1.5 });
      await s.streamEvents.append([ev("r1", 0, "messages/partial", data)]);
      expect((await s.streamEvents.list("r1", -1))[0].data).toBe(data);
    });

    it("ignores duplicates (first write wins) and appends across calls", async () => {
      await s.streamEvents.append([ev("r1", 0, "values", '"first"'), ev("r1", 1)]);
      await s.streamEvents.append([ev("r1", 0, "values", '"second"'), ev("r1", 2)]);
      const got = await s.streamEvents.list("r1", -1);
      expect(got.map((e) => e.seq)).toEqual([0, 1, 2]);
      expect(got[0].data).toBe('"first"');
      await s.streamEvents.append([]);
      expect(await s.streamEvents.list("r1", -1)).toHaveLength(3);
    });

    it("keeps runs separate and deleteByRun removes one run's events", async () => {
      await s.streamEvents.append([ev("r1", 0), ev("r2", 0), ev("r1", 1), ev("r2", 1)]);
      expect((await s.streamEvents.list("r2", -1)).map((e) => [e.run_id, e.seq])).toEqual([
        ["r2", 0],
        ["r2", 1],
      ]);
      await s.streamEvents.deleteByRun("r1");
      expect(await s.streamEvents.list("r1", -1)).toEqual([]);
      expect(await s.streamEvents.list("r2", -1)).toHaveLength(2);
      await s.streamEvents.deleteByRun("nope");
      expect(await s.streamEvents.list("unknown", -1)).toEqual([]);
    });

    it("purgeEndedBefore removes the events of runs that ended before the cutoff, only", async () => {
      await s.runs.insert(newRun("r3", "t1"));
      await s.streamEvents.append([ev("r1", 0), ev("r2", 0), ev("r2", 1), ev("r3", 0)]);
      await s.runs.transition("r1", ["pending"], "success");
      await s.runs.transition("r2", ["pending"], "error");
      await s.runs.transition("r3", ["pending"], "running");
      expect(await s.streamEvents.purgeEndedBefore(new Date(Date.now() - 60_000).toISOString())).toBe(0);
      expect(await s.streamEvents.purgeEndedBefore(new Date(Date.now() + 60_000).toISOString())).toBe(3);
      expect(await s.streamEvents.list("r1", -1)).toEqual([]);
      expect(await s.streamEvents.list("r2", -1)).toEqual([]);
      expect(await s.streamEvents.list("r3", -1)).toHaveLength(1); // still running: kept
    });
  });
}
