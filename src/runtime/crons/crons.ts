/**
 * Crons as the API has them: created on a thread or stateless, read, searched, counted, patched and
 * deleted within the caller's scope (another user's cron is a 404, as a thread is). The schedule and
 * time zone are checked before anything is written; `next_run_date` is the first slot after now.
 * The scheduler (scheduler.ts) fires them.
 */
import { v4 as uuidv4 } from "uuid";
import type { Schema } from "../../contract.ts";
import { NotFoundError, invalid } from "../../http/errors.ts";
import { stampedMetadata, type Access } from "../../auth/access.ts";
import type { CronPatch, CronRecord, CronSortBy } from "../../stores/crons.ts";
import type { Json, Stores } from "../../stores/types.ts";
import type { AssistantDirectory } from "../assistants/directory.ts";
import type { RunManager } from "../runs/manager.ts";
import { requireThread } from "../threads/access.ts";
import { checkSchedule, nextSlot } from "./schedule.ts";

export type CronCreate = Schema<"CronCreate">;
export type CronPatchRequest = Schema<"CronPatch">;
export type CronWire = Schema<"Cron">;
type CronFilterRequest = Schema<"CronFilter">;
type CronSearchRequest = Schema<"CronSearchRequest">;

/** The cron's own fields: not part of the run payload. */
const CRON_FIELDS = ["schedule", "timezone", "end_time", "enabled", "on_run_completed", "assistant_id"] as const;
/** Run fields that make no sense for a cron's runs: its thread is given (or new per run). */
const DROPPED_RUN_FIELDS = ["if_not_exists", "on_completion"] as const;
/** The run fields a patch may replace in the payload. */
const PATCHABLE_RUN_FIELDS = [
  "input",
  "config",
  "context",
  "webhook",
  "interrupt_before",
  "interrupt_after",
  "stream_mode",
  "stream_subgraphs",
  "stream_resumable",
  "durability",
] as const;

export function cronNotFound(cronId: string): NotFoundError {
  return new NotFoundError(`Cron with ID ${cronId} not found`);
}

/** A cron as the API shows it: never whose access its runs carry. */
export function cronWire(cron: CronRecord): CronWire {
  const { access: _access, ...wire } = cron;
  return wire;
}

/** An ISO timestamp in the one form stored (so stored times compare as strings), or a 422 naming the field. */
function isoTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid("body", field, `not a date-time: "${value}"`);
  return new Date(ms).toISOString();
}

export class CronService {
  constructor(
    private readonly stores: Stores,
    private readonly runs: RunManager,
    private readonly assistants: AssistantDirectory,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A cron of runs on `threadId`, or (null) of stateless runs, each on a new thread. */
  async create(threadId: string | null, body: CronCreate, access: Access): Promise<CronRecord> {
    const spec = { schedule: body.schedule, timezone: body.timezone ?? null };
    checkSchedule(spec);
    const endTime = body.end_time ? isoTime(body.end_time, "end_time") : null;
    if (threadId !== null) await requireThread(this.stores, threadId, access);
    const assistant = await this.runs.validate(threadId ?? uuidv4(), body, access);
    const metadata = stampedMetadata(access, body.metadata);
    const payload: Json = { ...body, metadata };
    for (const field of [...CRON_FIELDS, ...DROPPED_RUN_FIELDS]) delete payload[field];
    return this.stores.crons.create({
      cron_id: uuidv4(),
      assistant_id: assistant.assistant_id,
      thread_id: threadId,
      schedule: body.schedule,
      timezone: spec.timezone,
      end_time: endTime,
      enabled: body.enabled ?? true,
      on_run_completed: threadId === null ? (body.on_run_completed ?? "delete") : null,
      payload,
      metadata,
      next_run_date: nextSlot(spec, this.clock(), endTime),
      user_id: access.owner_id,
      access: JSON.parse(JSON.stringify(access)) as Json,
    });
  }

  async get(cronId: string, access: Access): Promise<CronRecord> {
    const cron = await this.stores.crons.get(cronId, access.scope);
    if (!cron) throw cronNotFound(cronId);
    return cron;
  }

  async patch(cronId: string, body: CronPatchRequest, access: Access): Promise<CronRecord> {
    const cron = await this.get(cronId, access);
    const spec = { schedule: body.schedule ?? cron.schedule, timezone: body.timezone ?? cron.timezone };
    if (body.schedule !== undefined || body.timezone !== undefined) checkSchedule(spec);
    const endTime =
      body.end_time === undefined ? cron.end_time : body.end_time === null ? null : isoTime(body.end_time, "end_time");
    const patch: CronPatch = { schedule: spec.schedule, timezone: spec.timezone, end_time: endTime };
    if (body.enabled !== undefined && body.enabled !== null) patch.enabled = body.enabled;
    if (body.on_run_completed && cron.thread_id === null) patch.on_run_completed = body.on_run_completed;
    const payload: Json = { ...cron.payload };
    for (const field of PATCHABLE_RUN_FIELDS) if (body[field] !== undefined) payload[field] = body[field];
    if (body.metadata) {
      patch.metadata = stampedMetadata(access, { ...cron.metadata, ...body.metadata });
      payload.metadata = patch.metadata;
    }
    // The runs' fields are checked as a run's would be (the assistant, a webhook's address) before any write.
    await this.runs.validate(cron.thread_id ?? uuidv4(), { ...payload, assistant_id: cron.assistant_id }, access);
    patch.payload = payload;
    const moves = ["schedule", "timezone", "end_time", "enabled"].some(
      (k) => body[k as keyof CronPatchRequest] != null,
    );
    if (moves || body.end_time === null) patch.next_run_date = nextSlot(spec, this.clock(), endTime);
    const updated = await this.stores.crons.update(cronId, patch, access.scope);
    if (!updated) throw cronNotFound(cronId);
    return updated;
  }

  async delete(cronId: string, access: Access): Promise<void> {
    if (!(await this.stores.crons.delete(cronId, access.scope))) throw cronNotFound(cronId);
  }

  async search(body: CronSearchRequest | undefined, access: Access): Promise<CronRecord[]> {
    return this.stores.crons.search({
      ...(await this.filter(body, access)),
      limit: body?.limit ?? 10,
      offset: body?.offset ?? 0,
      sort_by: (body?.sort_by ?? undefined) as CronSortBy | undefined,
      sort_order: body?.sort_order ?? undefined,
    });
  }

  async count(body: CronFilterRequest | undefined, access: Access): Promise<number> {
    return this.stores.crons.count(await this.filter(body, access));
  }

  /** The filters as the store takes them; a graph name stands for its system assistant, as on runs. */
  private async filter(body: CronFilterRequest | undefined, access: Access) {
    const assistantId = body?.assistant_id ?? undefined;
    const assistant = assistantId ? await this.assistants.resolve(assistantId, access.assistants) : null;
    return {
      assistant_id: assistant?.assistant_id ?? assistantId,
      thread_id: body?.thread_id ?? undefined,
      enabled: body?.enabled ?? undefined,
      metadata: body?.metadata ?? undefined,
      scope: access.scope,
    };
  }
}
