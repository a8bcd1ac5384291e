/**
 * What the sessions measured, kept for the report: per round, each server's
 * figures and CPU per operation and the ceilings measured in the same round;
 * the open streams (Threadgate every round, LangGraph.js once); the event flood.
 */
import type { Side } from "./config.ts";
import type { FloodFigure } from "./lib/flood.ts";
import type { CustomEventsFigure, OpenStreamsFigure, RpsFigure, StreamLatencyFigure, WaitFigure } from "./lib/load.ts";

/** One server's session in one round. */
export interface Round {
  wait?: WaitFigure;
  stream?: StreamLatencyFigure;
  get?: RpsFigure;
  custom?: CustomEventsFigure;
  /** CPU milliseconds the server (every process and thread of it) spent per operation of each figure */
  cpuMs: { wait?: number; stream?: number; get?: number; custom?: number };
}

/** The two ceilings of one round. */
export interface CeilingRound {
  /** the echo graph invoked in process with the same SQLite checkpointer, CONCURRENCY at a time */
  inProcess?: { perSecond: number; cpuMs: number };
  /** a bare Koa handler answering GET with the same run JSON */
  koa?: { perSecond: number; cpuMs: number };
}

export interface FloodFloor {
  rssBeforeMiB: number;
  peakRssMiB: number;
  growthMiB: number;
}

export const measured = {
  rounds: { threadgate: [], langgraphjs: [] } as Record<Side, Round[]>,
  /** index i: the ceilings of round i */
  ceilings: [] as CeilingRound[],
  /** Threadgate: one per round, each on a fresh server; LangGraph.js: one */
  streams: { threadgate: [], langgraphjs: [] } as Record<Side, OpenStreamsFigure[]>,
  flood: undefined as FloodFigure | undefined,
  floodFloor: undefined as FloodFloor | undefined,
  /** a finished run's GET route and body from Threadgate: what the Koa ceiling answers */
  sampleRun: undefined as { route: string; bodyFile: string } | undefined,
};
