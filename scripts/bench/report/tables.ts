/** The markdown tables: the targets table, and the per-round detail behind it for the results file. */
import { cfg, SIDES, TITLE } from "../config.ts";
import { measured } from "../measurements.ts";
import { summarize } from "../lib/load.ts";
import { fmt } from "../lib/stats.ts";
import type { Row, Verdict } from "./targets.ts";

export function targetsTable(rows: Row[]): string {
  return [
    "| figure | Threadgate | LangGraph.js API | ceiling | Threadgate ÷ LangGraph.js | Threadgate ÷ ceiling | target | verdict |",
    "|---|---:|---:|---:|---:|---:|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${r.tg} | ${r.lg} | ${r.ceiling} | ${r.vsLg} | ${r.vsCeiling} | ${r.target} | ${r.verdict} |`,
    ),
  ].join("\n");
}

/** Each judged value per round, and the median the verdict is taken from. */
export function verdictsTable(verdicts: Verdict[]): string {
  const rounds = Array.from({ length: cfg.rounds }, (_, i) => `round ${i + 1}`);
  return [
    `| target | ${rounds.join(" | ")} | median | verdict |`,
    `|---|${rounds.map(() => "---:|").join("")}---:|---|`,
    ...verdicts.map((v) => {
      const cells = rounds.map((_, i) => (v.perRound.length === 1 && i > 0 ? "" : fmt(v.perRound[i] ?? Number.NaN)));
      return `| ${v.name} | ${cells.join(" | ")} | ${fmt(v.value)} | ${v.ok === null ? "—" : v.ok ? "met" : "missed"} |`;
    }),
  ].join("\n");
}

export function perRoundTable(): string {
  const lines = [
    "| round | server | runs/wait (runs/s) | CPU per wait run (ms) | first event p50 / p99 (ms) | last event p50 / p99 (ms) | GET run (req/s) | CPU per GET (ms) | custom events/s |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (let i = 0; i < cfg.rounds; i++) {
    for (const side of SIDES) {
      const r = measured.rounds[side][i];
      if (!r) continue;
      const s = r.stream ? { f: summarize(r.stream.first), l: summarize(r.stream.last) } : undefined;
      lines.push(
        `| ${i + 1} | ${TITLE[side]} | ${fmt(r.wait?.perSecond ?? NaN)} | ${fmt(r.cpuMs.wait ?? NaN)} | ${s ? `${fmt(s.f.p50)} / ${fmt(s.f.p99)}` : "—"} | ${s ? `${fmt(s.l.p50)} / ${fmt(s.l.p99)}` : "—"} | ${fmt(r.get?.perSecond ?? NaN)} | ${fmt(r.cpuMs.get ?? NaN)} | ${fmt(r.custom?.perSecond ?? NaN)} |`,
      );
    }
    const c = measured.ceilings[i];
    lines.push(
      `| ${i + 1} | in-process ceiling | ${fmt(c?.inProcess?.perSecond ?? NaN)} | ${fmt(c?.inProcess?.cpuMs ?? NaN)} | | | | | |`,
    );
    lines.push(
      `| ${i + 1} | bare Koa ceiling | | | | | ${fmt(c?.koa?.perSecond ?? NaN)} | ${fmt(c?.koa?.cpuMs ?? NaN)} | |`,
    );
  }
  return lines.join("\n");
}

export function streamsDetail(): string {
  const lines = [
    "| server | session | open at once | complete | time to open all (s) | time to deliver after release (s) | RSS with all open (MiB) | peak RSS (MiB) | problems |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const side of SIDES) {
    const figures = measured.streams[side];
    if (!figures.length) lines.push(`| ${TITLE[side]} | | — | — | — | — | — | — | did not run (see failures) |`);
    figures.forEach((s, i) => {
      const session = side === "threadgate" ? `round ${i + 1}` : "once";
      lines.push(
        `| ${TITLE[side]} | ${session} | ${s.openAtOnce} | ${s.complete} | ${fmt(s.secondsToOpen)} | ${fmt(s.secondsToDeliver)} | ${fmt(s.rssOpenMiB)} | ${fmt(s.peakRssMiB)} | ${s.problems.join("; ") || "none"} |`,
      );
    });
  }
  return lines.join("\n");
}
