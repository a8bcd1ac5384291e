/** Tag `audit`: what runs said and did — messages, events and token usage — and feedback on runs. */
import { requireThread } from "../runtime/threads/access.ts";
import {
  createFeedback,
  deleteFeedback,
  feedbackStats,
  listFeedback,
  putFeedback,
  withFeedback,
} from "../runtime/runs/feedback.ts";
import { threadTokenUsage } from "../runtime/runs/token-usage.ts";
import type { TagHandlers } from "./types.ts";
import { flag } from "./shared/wire.ts";

type AuditOps =
  | "listThreadMessages"
  | "listRunMessages"
  | "listRunEvents"
  | "getThreadTokenUsage"
  | "putRunFeedback"
  | "createRunFeedback"
  | "listRunFeedback"
  | "getRunFeedbackStats"
  | "deleteRunFeedback"
  | "deleteRunFeedbackById";

export const auditHandlers: TagHandlers<AuditOps> = {
  async listThreadMessages({ params, query, access }, { stores }) {
    await requireThread(stores, params.thread_id, access);
    const page = await stores.journal.listThreadMessages(params.thread_id, {
      limit: query.limit ?? 50,
      before_seq: query.before_seq ?? undefined,
      after_seq: query.after_seq ?? undefined,
    });
    return { status: 200, body: await withFeedback(stores, access, page.data) };
  },

  async listRunMessages({ params, query, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    const page = await services.stores.journal.listRunMessages(params.run_id, {
      limit: query.limit ?? 50,
      before_seq: query.before_seq ?? undefined,
      after_seq: query.after_seq ?? undefined,
    });
    return { status: 200, body: { ...page, data: await withFeedback(services.stores, access, page.data) } };
  },

  async listRunEvents({ params, query, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    const eventTypes = query.event_types
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const page = await services.stores.journal.listRunEvents(params.run_id, {
      limit: query.limit ?? 500,
      after_seq: query.after_seq ?? undefined,
      event_types: eventTypes?.length ? eventTypes : undefined,
    });
    return { status: 200, body: page };
  },

  async getThreadTokenUsage({ params, query, access }, { stores }) {
    await requireThread(stores, params.thread_id, access);
    return { status: 200, body: await threadTokenUsage(stores, params.thread_id, flag(query.include_active)) };
  },

  // Feedback: the run is reached within the caller's access first (another user's is a 404).
  async putRunFeedback({ params, body, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    return { status: 200, body: await putFeedback(services.stores, params, access, body) };
  },

  async createRunFeedback({ params, body, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    return { status: 200, body: await createFeedback(services.stores, params, access, body) };
  },

  async listRunFeedback({ params, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    return { status: 200, body: await listFeedback(services.stores, params, access) };
  },

  async getRunFeedbackStats({ params, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    return { status: 200, body: await feedbackStats(services.stores, params) };
  },

  async deleteRunFeedback({ params, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    await deleteFeedback(services.stores, params, access);
    return { status: 204 };
  },

  async deleteRunFeedbackById({ params, access }, services) {
    await services.runs.get(params.thread_id, params.run_id, access);
    await deleteFeedback(services.stores, params, access, params.feedback_id);
    return { status: 204 };
  },
};
