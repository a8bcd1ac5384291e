/**
 * Run webhooks: when a run with a `webhook` ends, POST the run with its final
 * values (or error) to that URL. Delivery runs in the background and never
 * delays or fails the run: each attempt has a timeout, and failed attempts
 * (network error or non-2xx) are retried with exponential backoff.
 */
import type { Logger } from "../logger.ts";
import type { RunRecord } from "../stores/types.ts";
import { toJson } from "./serialize.ts";

export interface WebhookOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { timeoutMs: 10_000, retries: 3, backoffMs: 1_000 };

export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly options: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
  ) {}

  /** Starts delivery and returns at once. */
  send(url: string, run: RunRecord, values: unknown): void {
    const { owner_id: _owner, ...wire } = run;
    const error = (values as { __error__?: unknown } | null)?.__error__;
    const body = toJson({
      ...wire,
      values: error ? null : values,
      ...(error ? { error: run.error } : {}),
      webhook_sent_at: new Date().toISOString(),
    });
    const delivery = this.deliver(url, body, run.run_id).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  private async deliver(url: string, body: string, runId: string): Promise<void> {
    const { timeoutMs, retries, backoffMs } = this.options;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "threadgate-webhook" },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return;
        this.logger.warn({ run_id: runId, status: res.status, attempt }, "webhook answered with an error");
      } catch (err) {
        this.logger.warn({ run_id: runId, err: (err as Error).message, attempt }, "webhook delivery failed");
      }
    }
    this.logger.error({ run_id: runId, url }, "webhook gave up after retries");
  }

  /** Waits for deliveries under way (used at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
