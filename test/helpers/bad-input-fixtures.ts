/**
 * The real resources a valid base request points at, kept valid while bad requests run: a thread with
 * a finished run of the quick `echo` graph, that run, the local user's feedback on it, a checkpoint of the
 * thread's history, the `echo` assistant and graph, and a UUID that names nothing. Ids are found by parameter name, the one table the
 * bad-input test has: a new operation whose ids have these names is covered as it is.
 */
import type { Client } from "@langchain/langgraph-sdk";
import { http } from "./server.ts";
import type { Fixtures } from "./spec-values.ts";

export const FIXTURE_NAMES: ReadonlySet<string> = new Set([
  "thread_id",
  "run_id",
  "checkpoint_id",
  "assistant_id",
  "graph_id",
  "feedback_id",
  "cron_id",
  // Not a resource, but a string no minimal value stands for: a cron expression that parses.
  "schedule",
]);

const ASSISTANT = "echo";
/** Once a year: a fixture cron never fires while the test runs. */
const SCHEDULE = "0 0 1 1 *";

export class FixtureKeeper {
  private ids: Fixtures | null = null;
  /** How many times the resources had to be made again (a request deleted or wedged them). */
  remade = 0;

  constructor(
    private readonly url: string,
    private readonly client: Client,
    private readonly unknownUuid: string,
  ) {}

  /**
   * The fixtures, checked to exist (and the thread not busy) and made anew where not. What cannot have
   * changed is not checked: `records` and `checkpoints` say whether rows of either file went.
   */
  async ensure(
    suspect: { records: boolean; checkpoints: boolean } = { records: true, checkpoints: true },
  ): Promise<Fixtures> {
    const ids = this.ids;
    if (ids && !suspect.records && !suspect.checkpoints) return ids;
    if (ids) {
      const thread = suspect.records ? await http(this.url, "GET", `/threads/${ids.thread_id}`) : null;
      if (!thread || (thread.status === 200 && thread.json.status !== "busy")) {
        const run = suspect.records
          ? await http(this.url, "GET", `/threads/${ids.thread_id}/runs/${ids.run_id}`)
          : null;
        if (run && run.status !== 200) return (this.ids = { ...ids, ...(await this.runOn(ids.thread_id)) });
        if (suspect.records && !(await this.hasFeedback(ids)))
          return (this.ids = { ...ids, feedback_id: await this.feedbackOn(ids.thread_id, ids.run_id) });
        if (suspect.records && (await http(this.url, "GET", `/runs/crons/${ids.cron_id}`)).status !== 200)
          return (this.ids = { ...ids, cron_id: await this.cronOn(ids.thread_id) });
        if (!suspect.checkpoints) return ids;
        const state = await http(this.url, "GET", `/threads/${ids.thread_id}/state/${ids.checkpoint_id}`);
        if (state.status !== 200) return (this.ids = { ...ids, checkpoint_id: await this.checkpointOf(ids.thread_id) });
        return ids;
      }
    }
    const thread = await this.client.threads.create();
    this.remade++;
    return (this.ids = {
      assistant_id: ASSISTANT,
      graph_id: ASSISTANT,
      random_uuid: this.unknownUuid,
      thread_id: thread.thread_id,
      schedule: SCHEDULE,
      cron_id: await this.cronOn(thread.thread_id),
      ...(await this.runOn(thread.thread_id)),
    });
  }

  /**
   * Deletes what accepted requests left (every other thread, every other run of the fixture thread),
   * so the files stay small and each snapshot quick. Threads in `keep` (stuck ones) are left alone.
   */
  async sweep(keep: ReadonlySet<string>): Promise<void> {
    const ids = this.ids;
    const threads = await http(this.url, "POST", "/threads/search", { limit: 1000 });
    for (const { thread_id } of (threads.status === 200 ? threads.json : []) as { thread_id: string }[]) {
      if (thread_id !== ids?.thread_id && !keep.has(thread_id)) await http(this.url, "DELETE", `/threads/${thread_id}`);
    }
    if (!ids) return;
    const runs = await http(this.url, "GET", `/threads/${ids.thread_id}/runs?limit=1000`);
    for (const { run_id } of (runs.status === 200 ? runs.json : []) as { run_id: string }[]) {
      if (run_id !== ids.run_id) await http(this.url, "DELETE", `/threads/${ids.thread_id}/runs/${run_id}`);
    }
  }

  private async runOn(threadId: string): Promise<{ run_id: string; checkpoint_id: string; feedback_id: string }> {
    await this.client.runs.wait(threadId, ASSISTANT, { input: { messages: [{ role: "user", content: "hi" }] } });
    const [run] = await this.client.runs.list(threadId, { limit: 1 });
    return {
      run_id: run.run_id,
      checkpoint_id: await this.checkpointOf(threadId),
      feedback_id: await this.feedbackOn(threadId, run.run_id),
    };
  }

  private async cronOn(threadId: string): Promise<string> {
    return (await this.client.crons.createForThread(threadId, ASSISTANT, { schedule: SCHEDULE })).cron_id;
  }

  private async hasFeedback(ids: Fixtures): Promise<boolean> {
    const list = await http(this.url, "GET", `/threads/${ids.thread_id}/runs/${ids.run_id}/feedback`);
    return (
      list.status === 200 && (list.json as { feedback_id: string }[]).some((f) => f.feedback_id === ids.feedback_id)
    );
  }

  private async feedbackOn(threadId: string, runId: string): Promise<string> {
    const res = await http(this.url, "PUT", `/threads/${threadId}/runs/${runId}/feedback`, { rating: 1 });
    if (res.status !== 200) throw new Error(`feedback on run ${runId}: ${res.status} ${res.text}`);
    return (res.json as { feedback_id: string }).feedback_id;
  }

  private async checkpointOf(threadId: string): Promise<string> {
    const [state] = await this.client.threads.getHistory(threadId, { limit: 1 });
    const id = state?.checkpoint?.checkpoint_id;
    if (!id) throw new Error(`thread ${threadId} has no checkpoint after a run`);
    return id;
  }
}

/** What waiting for the runs found: threads busy with nothing to run, runs that would not end. */
export interface Settled {
  stuckThreads: string[];
  unendedRuns: string[];
}

/**
 * Waits until nothing runs: every busy thread's runs are joined, delayed ones cancelled (as is a run
 * still going after `joinTimeoutMs`: echo runs take milliseconds). Reports what nothing will settle.
 */
export async function settle(url: string, known: ReadonlySet<string>, joinTimeoutMs = 30_000): Promise<Settled> {
  const unendedRuns: string[] = [];
  // A run can end between the search and the list of its runs, and a thread may be settled just after
  // its run: only a thread still busy with nothing to run after three looks over ~half a second is stuck.
  let suspects: string[] | null = null;
  let looks = 0;
  for (let round = 0; round < 50; round++) {
    const busy = await http(url, "POST", "/threads/search", { status: "busy", limit: 1000 });
    if (busy.status !== 200) throw new Error(`searching busy threads: ${busy.status} ${busy.text}`);
    const threads = (busy.json as { thread_id: string }[]).map((t) => t.thread_id).filter((t) => !known.has(t));
    if (!threads.length) return { stuckThreads: [], unendedRuns };
    let waited = false;
    for (const threadId of threads) {
      const runs = await http(url, "GET", `/threads/${threadId}/runs?limit=1000`);
      for (const run of (runs.status === 200 ? runs.json : []) as ActiveRun[]) {
        if (run.status !== "pending" && run.status !== "running") continue;
        waited = true;
        const cancel = () => http(url, "POST", `/threads/${threadId}/runs/${run.run_id}/cancel?wait=true`);
        if (Number(run.kwargs?.after_seconds) > 0) {
          await cancel();
          continue;
        }
        const joined = await Promise.race([
          http(url, "GET", `/threads/${threadId}/runs/${run.run_id}/join`).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), joinTimeoutMs).unref()),
        ]);
        if (!joined) {
          unendedRuns.push(`${run.run_id} (${run.status})`);
          await cancel();
        }
      }
    }
    if (waited) {
      suspects = null;
      looks = 0;
    } else {
      const same = suspects?.length === threads.length && threads.every((t) => suspects!.includes(t));
      if (!same) {
        suspects = threads;
        looks = 0;
      }
      if (++looks === 3) return { stuckThreads: threads, unendedRuns };
      await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (looks - 1)));
    }
  }
  throw new Error("runs kept starting for 50 rounds of waiting");
}

interface ActiveRun {
  run_id: string;
  status: string;
  kwargs?: { after_seconds?: unknown };
}
