/** Tag `crons`: schedules of runs, on a thread or stateless (src/runtime/crons/). */
import type { TagHandlers } from "./types.ts";
import { selectFields } from "./shared/wire.ts";
import { cronWire } from "../runtime/crons/crons.ts";

type CronOps =
  "createThreadCron" | "createCron" | "searchCrons" | "countCrons" | "getCron" | "patchCron" | "deleteCron";

export const cronHandlers: TagHandlers<CronOps> = {
  async createThreadCron({ params, body, access }, { crons }) {
    return { status: 200, body: cronWire(await crons.create(params.thread_id, body, access)) };
  },

  async createCron({ body, access }, { crons }) {
    return { status: 200, body: cronWire(await crons.create(null, body, access)) };
  },

  async searchCrons({ body, access }, { crons }) {
    const found = await crons.search(body, access);
    const select = body?.select ?? undefined;
    // `now` is no field of a cron: the time of the answer, only when selected (LangGraph's CronSelectField has it).
    const now = select?.includes("now") ? { now: new Date().toISOString() } : {};
    return { status: 200, body: found.map((cron) => selectFields({ ...cronWire(cron), ...now }, select)) };
  },

  async countCrons({ body, access }, { crons }) {
    return { status: 200, body: await crons.count(body, access) };
  },

  async getCron({ params, access }, { crons }) {
    return { status: 200, body: cronWire(await crons.get(params.cron_id, access)) };
  },

  async patchCron({ params, body, access }, { crons }) {
    return { status: 200, body: cronWire(await crons.patch(params.cron_id, body, access)) };
  },

  async deleteCron({ params, access }, { crons }) {
    await crons.delete(params.cron_id, access);
    return { status: 200, body: {} };
  },
};
