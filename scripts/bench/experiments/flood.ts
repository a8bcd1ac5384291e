/**
 * The event-flood figure on its own, against this checkout:
 *
 *   RUNS=10 EVENTS=100000 BYTES=1024 npx tsx scripts/bench/experiments/flood.ts
 *
 * Extra THREADGATE_* settings for the server go in FLOOD_ENV as JSON, e.g.
 * FLOOD_ENV='{"THREADGATE_GRAPH_WORKERS":"0"}'.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eventFlood } from "../lib/flood.ts";
import { startThreadgate } from "../lib/servers.ts";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-flood-"));
const server = await startThreadgate({ workDir, env: JSON.parse(process.env.FLOOD_ENV ?? "{}") });
try {
  const figure = await eventFlood(server, {
    runs: Number(process.env.RUNS ?? 10),
    events: Number(process.env.EVENTS ?? 100_000),
    bytes: Number(process.env.BYTES ?? 1_024),
    timeoutS: Number(process.env.TIMEOUT_S ?? 600),
  });
  console.log(JSON.stringify({ ...figure, peakHwmMiB: server.peakRssMiB() }, null, 2));
} finally {
  await server.stop();
  if (!process.env.KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  console.log(workDir);
}
