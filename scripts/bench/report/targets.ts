/**
 * The targets and the one table that judges them. Every figure is the median of
 * the rounds; a ratio is the median of the per-round ratios (round i's Threadgate
 * figure over round i's LangGraph.js figure or ceiling, measured minutes apart),
 * so a machine that slows down between rounds moves both sides of each ratio.
 * A smoke run prints the figures and judges nothing.
 */
import { CONCURRENCY, cfg, floodWhat, smoke, type Side } from "../config.ts";
import { measured, type CeilingRound, type Round } from "../measurements.ts";
import { fmt, median, percentile } from "../lib/stats.ts";

export interface Row {
  figure: string;
  tg: string;
  lg: string;
  ceiling: string;
  vsLg: string;
  vsCeiling: string;
  target: string;
  verdict: string;
}

export interface Verdict {
  name: string;
  /** the judged value per round (a ratio, or the figure itself for absolute targets); one entry when measured once */
  perRound: number[];
  /** what is judged: the median of perRound */
  value: number;
  ok: boolean | null;
}

type Against = "lg" | "ceiling";
interface RatioTarget {
  against: Against;
  op: "≤" | "≥";
  factor: number;
}

const x = (v: number) => (Number.isFinite(v) ? `${fmt(v)}×` : "—");
const mark = (ok: boolean | null) => (ok === null ? "—" : ok ? "✅ met" : "❌ missed");

/** round i's value of `pick` for one server, NaN where it is missing */
function series(side: Side, pick: (r: Round) => number | undefined): number[] {
  return Array.from({ length: cfg.rounds }, (_, i) => {
    const r = measured.rounds[side][i];
    const v = r ? pick(r) : undefined;
    return v === undefined ? Number.NaN : v;
  });
}
function ceilingSeries(pick: (c: CeilingRound) => number | undefined): number[] {
  return Array.from({ length: cfg.rounds }, (_, i) => {
    const c = measured.ceilings[i];
    const v = c ? pick(c) : undefined;
    return v === undefined ? Number.NaN : v;
  });
}
const ratios = (a: number[], b: number[]) => a.map((v, i) => v / b[i]).filter(Number.isFinite);
const latency = (side: Side, which: "first" | "last", p: number) =>
  series(side, (r) => (r.stream?.[which].length ? percentile(r.stream[which], p) : undefined));

export function buildTable(): { rows: Row[]; verdicts: Verdict[] } {
  const rows: Row[] = [];
  const verdicts: Verdict[] = [];
  const judge = (name: string, target: string, perRound: number[], ok: (v: number) => boolean): string => {
    const value = median(perRound);
    const verdict: Verdict = {
      name: `${name} ${target}`,
      perRound,
      value,
      ok: Number.isFinite(value) ? ok(value) : null,
    };
    verdicts.push(verdict);
    return mark(verdict.ok);
  };

  /** A row of per-round series: Threadgate, LangGraph.js (optional), the ceiling (optional), one ratio judged. */
  const seriesRow = (
    figure: string,
    tg: number[],
    lg: number[] | null,
    ceiling: number[] | null,
    target?: RatioTarget,
  ): void => {
    const vsLg = lg ? ratios(tg, lg) : [];
    const vsCeiling = ceiling ? ratios(tg, ceiling) : [];
    let targetText = "";
    let verdict = "";
    if (target) {
      const whom = target.against === "lg" ? "LangGraph.js" : "ceiling";
      targetText = `${target.op} ${target.factor.toFixed(target.factor < 0.1 ? 2 : 1)}× ${whom}`;
      const { op, factor } = target;
      verdict = judge(figure.split(";")[0], targetText, target.against === "lg" ? vsLg : vsCeiling, (v) =>
        op === "≤" ? v <= factor : v >= factor,
      );
    }
    rows.push({
      figure,
      tg: fmt(median(tg)),
      lg: lg ? fmt(median(lg)) : "",
      ceiling: ceiling ? fmt(median(ceiling)) : "",
      vsLg: lg ? x(median(vsLg)) : "",
      vsCeiling: ceiling ? x(median(vsCeiling)) : "",
      target: targetText,
      verdict,
    });
  };

  const c = `c=${CONCURRENCY}`;
  seriesRow(
    "server CPU per new thread + wait run (ms); ceiling: one graph.invoke in process, same SQLite checkpointer",
    series("threadgate", (r) => r.cpuMs.wait),
    series("langgraphjs", (r) => r.cpuMs.wait),
    ceilingSeries((k) => k.inProcess?.cpuMs),
    { against: "ceiling", op: "≤", factor: 2 },
  );
  seriesRow(
    `runs/wait, new thread + wait, ${c} (runs/s); ceiling: graph.invoke in process, ${CONCURRENCY} at a time, no HTTP`,
    series("threadgate", (r) => r.wait?.perSecond),
    series("langgraphjs", (r) => r.wait?.perSecond),
    ceilingSeries((k) => k.inProcess?.perSecond),
    { against: "ceiling", op: "≥", factor: 0.8 },
  );
  const latencyTargets: Record<string, RatioTarget> = {
    "first 99": { against: "lg", op: "≤", factor: 0.05 },
    "last 50": { against: "lg", op: "≤", factor: 1 },
  };
  for (const [which, p] of [
    ["first", 50],
    ["first", 99],
    ["last", 50],
    ["last", 99],
  ] as const) {
    seriesRow(
      `runs/stream time to ${which} event, p${p} (ms), ${c}`,
      latency("threadgate", which, p),
      latency("langgraphjs", which, p),
      null,
      latencyTargets[`${which} ${p}`],
    );
  }
  seriesRow(
    "server CPU per new thread (untimed) + runs/stream (ms)",
    series("threadgate", (r) => r.cpuMs.stream),
    series("langgraphjs", (r) => r.cpuMs.stream),
    null,
  );

  streamsRows(rows, judge);

  seriesRow(
    `GET a run by id, ${c} (req/s); ceiling: a bare Koa handler returning the same JSON`,
    series("threadgate", (r) => r.get?.perSecond),
    series("langgraphjs", (r) => r.get?.perSecond),
    ceilingSeries((k) => k.koa?.perSecond),
    { against: "ceiling", op: "≥", factor: 0.9 },
  );
  seriesRow(
    "server CPU per GET a run (ms); ceiling: the bare Koa handler's",
    series("threadgate", (r) => r.cpuMs.get),
    series("langgraphjs", (r) => r.cpuMs.get),
    ceilingSeries((k) => k.koa?.cpuMs),
  );
  seriesRow(
    `custom events delivered to one client (events/s, ${cfg.customEvents.toLocaleString("en-US")} events)`,
    series("threadgate", (r) => r.custom?.perSecond),
    series("langgraphjs", (r) => r.custom?.perSecond),
    null,
    { against: "lg", op: "≥", factor: 3 },
  );
  seriesRow(
    "server CPU per custom event (ms)",
    series("threadgate", (r) => r.cpuMs.custom),
    series("langgraphjs", (r) => r.cpuMs.custom),
    null,
  );

  floodRows(rows, judge);

  // A smoke run's counts are too small for any target to mean something: it judges none.
  if (smoke) {
    for (const row of rows) row.verdict = "";
    for (const v of verdicts) v.ok = null;
  }
  return { rows, verdicts };
}

type Judge = (name: string, target: string, perRound: number[], ok: (v: number) => boolean) => string;

function streamsRows(rows: Row[], judge: Judge): void {
  const n = cfg.streams.toLocaleString("en-US");
  const tg = measured.streams.threadgate;
  const lg = measured.streams.langgraphjs[0];
  const count = (v: number) => v.toLocaleString("en-US");
  /** the worst round: every round must deliver every event to every stream */
  const tgComplete = tg.length ? Math.min(...tg.map((s) => s.complete)) : Number.NaN;
  // A round whose figure is missing (its server did not start, the figure threw) counts as none delivered.
  const tgRounds = tg.length ? Array.from({ length: cfg.rounds }, (_, i) => tg[i]?.complete ?? 0) : [Number.NaN];
  rows.push({
    figure: `${n} open SSE streams on ${cfg.streamRuns} runs: streams that got every event (Threadgate: the worst of its ${cfg.rounds} round(s))`,
    tg: tg.length ? `${count(tgComplete)} / ${n}` : "failed",
    lg: lg ? `${count(lg.complete)} / ${n}` : "failed",
    ceiling: "",
    vsLg: "",
    vsCeiling: "",
    target: "all, every round",
    verdict: judge(`${n} open streams: every stream every event`, "in every round", tgRounds, () =>
      tgRounds.every((c) => c === cfg.streams),
    ),
  });
  const tgPeak = tg.map((s) => s.peakRssMiB);
  const lgPeak = lg?.peakRssMiB ?? Number.NaN;
  rows.push({
    figure: `${n} open SSE streams: peak RSS of the server process (MiB)`,
    tg: fmt(median(tgPeak)),
    lg: fmt(lgPeak),
    ceiling: "",
    vsLg: x(median(tgPeak) / lgPeak),
    vsCeiling: "",
    target: "< 512 MiB",
    verdict: judge(`${n} open streams: peak RSS`, "< 512 MiB", tgPeak.length ? tgPeak : [Number.NaN], (v) => v < 512),
  });
}

function floodRows(rows: Row[], judge: Judge): void {
  const f = measured.flood;
  const floor = measured.floodFloor;
  const peak = f?.peakRssMiB ?? Number.NaN;
  rows.push({
    figure: `event flood (${floodWhat()}): peak RSS of the server process (MiB), idle before it ${fmt(f?.rssBeforeMiB ?? NaN)}; floor: the same graphs streamed in one process, no server (before ${fmt(floor?.rssBeforeMiB ?? NaN)})`,
    tg: fmt(peak),
    lg: "",
    ceiling: fmt(floor?.peakRssMiB ?? Number.NaN),
    vsLg: "",
    vsCeiling: x(peak / (floor?.peakRssMiB ?? Number.NaN)),
    target: "< 512 MiB",
    verdict: judge("event flood: peak RSS", "< 512 MiB", [peak], (v) => v < 512),
  });
  const okP99 = f?.floodOk.p99 ?? Number.NaN;
  rows.push({
    figure: `GET /ok every 20 ms during the flood, p99 (ms); idle p99 ${fmt(f?.idleOk.p99 ?? NaN)}, max during ${fmt(f?.floodOk.max ?? NaN)}`,
    tg: fmt(okP99),
    lg: "",
    ceiling: "",
    vsLg: "",
    vsCeiling: "",
    target: "< 50 ms",
    verdict: judge("GET /ok p99 during the flood", "< 50 ms", [okP99], (v) => v < 50),
  });
}
