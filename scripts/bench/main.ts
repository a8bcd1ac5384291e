/**
 * `npm run bench`: Threadgate side by side with the LangGraph.js API server
 * (`langgraphjs dev`, in memory), on the same graphs (scripts/bench/graphs), on
 * loopback, one server at a time, with the same load generators, in alternating
 * rounds, each round with the ceilings measured right after. Prints one table
 * (both servers, the ceilings, their ratios, each target's verdict from the
 * median of the rounds) and writes it to scripts/bench/results/ and README.md.
 * What each row measures and the targets: scripts/bench/README.md.
 *
 *   npm run bench                      # the full run
 *   npm run bench:smoke                # tiny counts: proves the harness end to end, judges nothing (< 2 min)
 *   npm run bench -- --postgres        # runs/wait and first-event latency: SQLite, Postgres, 2 processes on Postgres (~2 min)
 *   npm run bench -- --profile wait    # Threadgate alone under one figure's load, with --cpu-prof
 *                                        (wait | stream | get | custom | streams); summary + folded stacks in scripts/bench/tmp/prof/
 *
 * Options: --rounds N, --seconds S, --streams N, --no-write (print only).
 * Exit status: non-zero when a server fails to start or answer, or a stream misses events.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cfg, failures, postgres, profileFigure, say, SIDES, smoke, workDir } from "./config.ts";
import { prepareLangGraphJs, ROOT } from "./lib/servers.ts";
import { fmt } from "./lib/stats.ts";
import { buildTable } from "./report/targets.ts";
import { targetsTable } from "./report/tables.ts";
import { updateReadme, writeResults } from "./report/write.ts";
import { ceilings } from "./sessions/ceilings.ts";
import { floodSession } from "./sessions/event-flood.ts";
import { openStreamsSession } from "./sessions/open-streams.ts";
import { postgresSession } from "./sessions/postgres.ts";
import { profile } from "./sessions/profile.ts";
import { serverRound } from "./sessions/server-round.ts";

async function main(): Promise<number> {
  const loadBefore = os.loadavg();
  const startedAt = Date.now();
  if (profileFigure) {
    await profile(profileFigure);
    fs.rmSync(workDir, { recursive: true, force: true });
    return 0;
  }
  if (postgres) {
    await postgresSession();
    for (const f of failures) say(`failure ${f.side}: ${f.what.split("\n")[0]}`);
    say(`done in ${fmt((Date.now() - startedAt) / 60_000)} min`);
    if (failures.length) say(`server logs kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
    return failures.length ? 1 : 0;
  }
  say(
    `${smoke ? "smoke run" : "full run"}: ${cfg.rounds} round(s) × ${cfg.seconds} s per figure, ${cfg.streams} streams; temp folder ${workDir}`,
  );
  prepareLangGraphJs(say);

  for (let i = 0; i < cfg.rounds; i++) {
    const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) await serverRound(side, i);
    await ceilings(i);
    await openStreamsSession("threadgate", `round ${i + 1}`);
  }
  await openStreamsSession("langgraphjs", "once");
  await floodSession();

  const { rows, verdicts } = buildTable();
  const table = targetsTable(rows);
  const minutes = (Date.now() - startedAt) / 60_000;
  console.log("\n" + table + "\n");
  if (smoke) say("smoke run: the harness works end to end; its counts are too small to judge any target");
  else
    for (const v of verdicts)
      say(`target ${v.name}: ${v.ok === null ? "not measured" : v.ok ? "met" : "MISSED"} (median ${fmt(v.value)})`);
  for (const f of failures) say(`failure (${f.fatal ? "fatal" : "reported"}) ${f.side}: ${f.what.split("\n")[0]}`);
  say(`done in ${fmt(minutes)} min`);

  if (cfg.write) {
    const file = writeResults(table, verdicts, loadBefore, minutes);
    updateReadme(table, file);
    say(`wrote ${path.relative(ROOT, file)} and README.md's Performance table`);
  }
  if (failures.length) say(`server logs and databases kept in ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
  return failures.some((f) => f.fatal) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
