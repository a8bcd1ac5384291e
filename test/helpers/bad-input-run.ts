/**
 * Sends the spec's bad requests to a test server one at a time and records what went wrong: answers
 * (5xx, envelopes, sizes, forbidden requests accepted), rows a rejected request changed, what an
 * accepted one left behind (ids stored in an odd spelling, threads busy with nothing to run, runs that
 * would not end), and a server that will not stop afterwards.
 */
import type { TestServer } from "./server.ts";
import type { SpecModel, SpecOperation } from "./spec-model.ts";
import type { Fixtures, SpecRequest } from "./spec-values.ts";
import type { BadCase } from "./spec-requests.ts";
import { DbWatch, describeChanges, oddIds, type Snapshot } from "./db-watch.ts";
import type { Finding, OperationTally } from "./bad-input-report.ts";
import { FixtureKeeper, settle } from "./bad-input-fixtures.ts";
import {
  answerProblems,
  contractForbids,
  describeAnswer,
  describeWire,
  resolveRequest,
  send,
  toWire,
  type Answer,
  type WireRequest,
} from "./spec-wire.ts";

/** How long a request may wait before the runs it may be waiting for are settled. */
const WAIT_BEFORE_SETTLING_MS = 5_000;
/** Row text (in characters) past which what accepted requests left is deleted. */
const SWEEP_AT_SIZE = 250_000;

export class BadInputRun {
  readonly findings: Finding[] = [];
  /** Milliseconds spent waiting for runs, reading snapshots and checking fixtures. */
  readonly overhead = { settle: 0, snapshot: 0, fixtures: 0, sweep: 0 };
  readonly tally = new Map<string, OperationTally>();
  private readonly watch: DbWatch;
  /** The server's two SQLite files: records (threads, runs, streams, journal) and checkpoints. */
  private readonly files: string[];
  private readonly fixtures: FixtureKeeper;
  private baseline: Snapshot | null = null;
  /** The fixtures, and the files' versions when they were last checked: unchanged files, unchanged fixtures. */
  private fixtureCheck: { ids: Fixtures; versions: string } | null = null;
  private readonly stuck = new Set<string>();

  constructor(
    private readonly server: TestServer,
    private readonly model: SpecModel,
    unknownUuid: string,
  ) {
    this.files = [server.dbPath, server.server.config.checkpointsPath];
    this.watch = new DbWatch(this.files);
    this.fixtures = new FixtureKeeper(server.url, server.client, unknownUuid);
  }

  async start(): Promise<void> {
    await this.afterWrites(null);
  }

  private markFixturesChecked(versions: string): void {
    if (this.fixtureCheck) this.fixtureCheck.versions = versions;
  }

  private async fixturesNow(suspect?: { records: boolean; checkpoints: boolean }): Promise<Fixtures> {
    const versions = this.watch.versions().join();
    if (this.fixtureCheck?.versions === versions) return this.fixtureCheck.ids;
    const t0 = Date.now();
    const ids = await this.fixtures.ensure(suspect);
    this.overhead.fixtures += Date.now() - t0;
    this.fixtureCheck = { ids, versions: this.watch.versions().join() };
    return ids;
  }

  /**
   * The base request the operation's bad requests are made from: the first candidate the server
   * accepts (or answers 409, as a cancel of a finished run is), else null.
   */
  async calibrate(op: SpecOperation, candidates: SpecRequest[]): Promise<{ base: SpecRequest; answers: string[] }> {
    const answers: string[] = [];
    for (const candidate of candidates) {
      const fx = await this.fixturesNow();
      const wire = toWire(this.server.url, op, resolveRequest(candidate, fx));
      const answer = await send(wire);
      await this.afterWrites(null);
      answers.push(`${describeWire(wire)} → ${describeAnswer(answer)}`);
      if ((answer.status >= 200 && answer.status < 300) || answer.status === 409)
        return { base: candidate, answers: [] };
    }
    return { base: candidates[0], answers };
  }

  async run(op: SpecOperation, base: SpecRequest, c: BadCase): Promise<void> {
    const started = Date.now();
    const tally = this.tally.get(op.operationId) ?? { sent: 0, rejected: 0, accepted: 0, forbidden: 0, ms: 0 };
    this.tally.set(op.operationId, tally);
    const fx = await this.fixturesNow();
    const request = resolveRequest(c.make(base), fx);
    const forbidden = c.mustReject ?? contractForbids(this.model, op, request);
    const wire = toWire(this.server.url, op, request);
    const answer = await this.answerOf(wire);
    tally.sent++;
    if (forbidden) tally.forbidden++;
    const rejected = answer.status >= 400 || answer.status === 0;
    if (rejected) tally.rejected++;
    else tally.accepted++;

    const record = (problem: string, detail?: string) =>
      this.findings.push({
        operationId: op.operationId,
        problem,
        kind: c.kind,
        where: c.where,
        request: `${describeWire(wire)}  (${c.where}: ${c.label})`,
        answer: detail ? `${describeAnswer(answer)}\n      ${detail}` : describeAnswer(answer),
        size: (wire.body?.length ?? 0) + wire.url.length,
      });
    for (const problem of answerProblems(this.model, answer, forbidden)) record(problem);

    if (rejected) {
      // A refused request writes nothing. (Snapshots are only read when a file had a commit.)
      if (this.baseline && this.watch.movedSince(this.baseline)) {
        const now = this.watch.snapshot();
        const changes = DbWatch.diff(this.baseline, now);
        this.baseline = now;
        if (changes.length) {
          record("rows changed by a rejected request", describeChanges(changes));
          await this.afterWrites(answer, record, true);
        }
      }
    } else await this.afterWrites(answer, record);
    tally.ms += Date.now() - started;
    if (process.env.BAD_INPUT_TRACE)
      console.log(`${Date.now() - started} ms ${op.operationId} ${c.kind} ${c.where} ${c.label} → ${answer.status}`);
  }

  /**
   * The answer to a request. One that waits for a run (runs/wait, join) waits as long as the run, and
   * a run delayed by `after_seconds` keeps it waiting: after a while the runs are settled (delayed ones
   * cancelled) while it waits, and then it answers.
   */
  private async answerOf(wire: WireRequest): Promise<Answer> {
    const answer = send(wire);
    const quick = await Promise.race([
      answer,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_BEFORE_SETTLING_MS).unref()),
    ]);
    if (quick) return quick;
    await settle(this.server.url, this.stuck);
    return answer;
  }

  /**
   * After a request that may have written: wait for its runs to end, check what it left, keep the
   * fixtures valid and take a new baseline. Nothing to do when neither file had a commit.
   */
  private async afterWrites(
    answer: Answer | null,
    record?: (problem: string, detail?: string) => void,
    force = false,
  ): Promise<void> {
    if (!force && this.baseline && !this.watch.movedSince(this.baseline)) return;
    let t0 = Date.now();
    const { stuckThreads, unendedRuns } = await settle(this.server.url, this.stuck);
    this.overhead.settle += Date.now() - t0;
    const stuck = stuckThreads;
    for (const t of stuck) this.stuck.add(t);
    if (stuck.length) record?.("thread left busy with no active run", `threads ${stuck.join(", ")}`);
    if (unendedRuns.length) record?.("run did not end (cancelled by the test)", `runs ${unendedRuns.join(", ")}`);
    await this.server.server.services.streams.flush();
    t0 = Date.now();
    let now = this.watch.snapshot();
    this.overhead.snapshot += Date.now() - t0;
    const changes = this.baseline ? DbWatch.diff(this.baseline, now) : [];
    const odd = oddIds(changes);
    if (odd.length && answer) record?.("id stored in a non-canonical spelling", odd.slice(0, 3).join("; "));
    // Only a request that removed or changed rows can have spoilt the fixtures.
    const [records, checkpoints] = this.files.map((file) => changes.some((c) => c.file === file && c.removed.length));
    this.fixtureCheck = null;
    await this.fixturesNow({ records, checkpoints });
    // What accepted requests made stays until the files grow, then goes (snapshots stay quick).
    if (now.size > SWEEP_AT_SIZE) {
      t0 = Date.now();
      await this.fixtures.sweep(this.stuck);
      this.overhead.sweep += Date.now() - t0;
    }
    if (this.watch.movedSince(now)) {
      await settle(this.server.url, this.stuck);
      await this.server.server.services.streams.flush();
      now = this.watch.snapshot();
    }
    this.baseline = now;
    this.markFixturesChecked(now.versions.join());
  }

  /** The server must still stop after all this; a hang is a finding too. */
  async checkStops(timeoutMs: number): Promise<void> {
    const stopped = await Promise.race([
      this.server.stop().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
    ]);
    if (stopped) return;
    this.findings.push({
      operationId: "(server)",
      problem: `server did not stop within ${timeoutMs / 1000} s after the bad requests`,
      kind: "shutdown",
      where: "close()",
      request: "RunningServer.close()",
      answer: "still closing: a run or graph worker left behind by some request above?",
      size: 0,
    });
  }

  close(): void {
    this.watch.close();
  }
}
