/**
 * How a run's cost grows with its thread: one thread, runs/wait after runs/wait
 * with the bench's echo graph (each run adds a human and an AI message), and the
 * server's CPU per run for every block of runs. A fresh thread per run is what
 * `npm run bench` measures; real chat threads are long.
 *
 *   npx tsx scripts/bench/experiments/long-thread.ts            # RUNS (300), BLOCK (50), CHARS per message (600)
 *
 * 2026-11-25, 2 cores, 600-character messages, server CPU per run: 22 ms at 100 messages, 32 at 200, 47 at 300,
 * 60 at 400, 73 at 500, 101 at 600 (a fresh thread: ~4 ms).
 * Profile at ~500 messages: LangGraph's SqliteSaver serialising the whole message list at every checkpoint ~18%,
 * reviving checkpoints ~13%, Threadgate's wire JSON ~9%, stream-event and thread-values writes ~8%, GC ~8%.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { procCpuSeconds, startThreadgate } from "../lib/servers.ts";

const RUNS = Number(process.env.RUNS ?? 300);
const BLOCK = Number(process.env.BLOCK ?? 50);
const CHARS = Number(process.env.CHARS ?? 600);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "long-thread-"));
const server = await startThreadgate({ workDir });
const post = async (route: string, body: unknown): Promise<string> => {
  const res = await fetch(`${server.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${route}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text;
};

try {
  const { thread_id } = JSON.parse(await post("/threads", {})) as { thread_id: string };
  const filler = "x".repeat(Math.max(0, CHARS - 8));
  let cpu = procCpuSeconds(server.pid);
  let started = performance.now();
  for (let i = 1; i <= RUNS; i++) {
    await post(`/threads/${thread_id}/runs/wait`, {
      assistant_id: "echo",
      input: { messages: [{ role: "user", content: `${filler} ${i}` }] },
    });
    if (i % BLOCK === 0) {
      const now = procCpuSeconds(server.pid);
      const ms = ((now - cpu) * 1000) / BLOCK;
      const wall = (performance.now() - started) / BLOCK;
      console.log(
        `runs ${i - BLOCK + 1}-${i} (thread of ${2 * i} messages): ${ms.toFixed(1)} ms CPU/run, ${wall.toFixed(1)} ms/run`,
      );
      cpu = now;
      started = performance.now();
    }
  }
} finally {
  await server.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
