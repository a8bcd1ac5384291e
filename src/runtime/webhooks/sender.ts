/**
 * Run webhooks: when a run with a `webhook` ends, POST the run with its final
 * values (or error) to that URL. Delivery runs in the background and never
 * delays or fails the run: each attempt has a timeout, and failed attempts
 * (network error or non-2xx) are retried with exponential backoff.
 *
 * Where a webhook may go is the WebhookPolicy's business (policy.ts): the URL is
 * checked when the run is created (`admit`, a 422 naming `webhook`) and again at delivery,
 * whose connections go only to addresses that passed. Redirects are not followed: a 3xx
 * answer is a failed delivery, logged and not retried, as is a refused address.
 * With langgraph.json's `http.disable_webhooks` none is checked or sent.
 */
import { request, type Agent } from "undici";
import type { Logger } from "../../logger.ts";
import type { RunRecord } from "../../stores/types.ts";
import { invalid } from "../../http/errors.ts";
import { toJson } from "../shared/serialize.ts";
import { WebhookAddressRefused, WebhookPolicy } from "./policy.ts";

export interface WebhookOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** Hosts, IPs and CIDRs that bypass the address check (THREADGATE_WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
  /** langgraph.json's `http.disable_webhooks`: runs' `webhook` is ignored (neither checked nor sent). */
  disabled?: boolean;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { timeoutMs: 10_000, retries: 3, backoffMs: 1_000 };

export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly policy: WebhookPolicy;
  private readonly agent: Agent;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
  ) {
    this.policy = new WebhookPolicy(options.allowedHosts ?? []);
    this.agent = this.policy.createAgent();
  }

  /** At run admission: a 422 naming `webhook` if no webhook may go to this URL. */
  async admit(url: string): Promise<void> {
    if (this.options.disabled) return;
    const why = await this.policy.check(url);
    if (why) throw invalid("body", "webhook", why);
  }

  /** Starts delivery and returns at once. */
  send(url: string, run: RunRecord, values: unknown): void {
    if (this.options.disabled) return;
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
    // Checked again: the run may have waited (after_seconds, a restart), and DNS may have changed.
    const refused = await this.policy.check(url);
    if (refused) {
      this.logger.error({ run_id: runId, url, reason: refused }, "webhook not delivered: address refused");
      return;
    }
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      try {
        const res = await request(url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "threadgate-webhook" },
          body,
          dispatcher: this.agent,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) return;
        if (res.statusCode >= 300 && res.statusCode < 400) {
          const location = res.headers.location;
          this.logger.error(
            { run_id: runId, url, status: res.statusCode, location },
            "webhook not delivered: it answered with a redirect, which is not followed",
          );
          return;
        }
        this.logger.warn({ run_id: runId, status: res.statusCode, attempt }, "webhook answered with an error");
      } catch (err) {
        const refusal = addressRefusal(err);
        if (refusal) {
          this.logger.error({ run_id: runId, url, reason: refusal }, "webhook not delivered: address refused");
          return;
        }
        this.logger.warn({ run_id: runId, err: (err as Error).message, attempt }, "webhook delivery failed");
      }
    }
    this.logger.error({ run_id: runId, url }, "webhook gave up after retries");
  }

  /** Waits for deliveries under way, then closes their connections (used at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }
}

/** The refusal's message if a connection failed because its address was refused (not a network error). */
function addressRefusal(err: unknown): string | null {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof WebhookAddressRefused) return e.message;
  }
  return null;
}
