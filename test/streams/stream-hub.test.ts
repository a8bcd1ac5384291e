/**
 * The stream log's hand-over between memory and the database at a run's end,
 * on the real SQLite store: finishing a run's stream does not wait for a write
 * (its last events go with the next batch), and until they are stored the log
 * stays in memory, so a reader that joins in between still gets every event.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStores, type SqliteStores } from "../../src/stores/sqlite/index.ts";
import { StreamHub } from "../../src/runtime/streams/hub.ts";
import { createLogger } from "../../src/logger.ts";

let stores: SqliteStores | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stores?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function hub(): Promise<{ hub: StreamHub; stores: SqliteStores }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-hub-"));
  stores = await openSqliteStores({ path: path.join(dir, "threadgate.db") });
  return { hub: new StreamHub(stores.streamEvents, createLogger("silent")), stores };
}

async function readAll(hub: StreamHub, runId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of hub.read(runId, -1)) out.push(`${e.seq}:${e.event}:${e.data}`);
  return out;
}

describe("stream hub at a run's end", () => {
  it("finish writes nothing itself; a reader in between gets every event from memory, later ones from the store", async () => {
    const { hub: h, stores: s } = await hub();
    h.open("r1");
    h.publish("r1", "metadata", { run_id: "r1" });
    h.publish("r1", "values", { n: 1 });
    h.publishJson("r1", "values", '{"n":2}');
    await h.finish("r1");
    const expected = ['0:metadata:{"run_id":"r1"}', '1:values:{"n":1}', '2:values:{"n":2}'];
    expect(await s.streamEvents.list("r1", -1)).toEqual([]);
    expect(await readAll(h, "r1")).toEqual(expected);

    await h.flush();
    expect((await s.streamEvents.list("r1", -1)).map((e) => `${e.seq}:${e.event}:${e.data}`)).toEqual(expected);
    // The log has left memory: publishing to it now is an error, and readers get it from the store.
    expect(() => h.publish("r1", "values", {})).toThrow(/not open/);
    expect(await readAll(h, "r1")).toEqual(expected);
  });

  it("a reader waiting on a live stream ends when the run's stream finishes", async () => {
    const { hub: h } = await hub();
    h.open("r2");
    h.publish("r2", "metadata", {});
    const reading = readAll(h, "r2");
    h.publish("r2", "custom", { i: 0 });
    await h.finish("r2");
    expect(await reading).toEqual(["0:metadata:{}", '1:custom:{"i":0}']);
  });
});
