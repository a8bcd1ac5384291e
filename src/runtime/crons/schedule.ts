/**
 * Cron expressions, read with croner: five fields as LangGraph Platform takes them, or six with a
 * leading seconds field (a Threadgate extension, so a schedule can fire every few seconds), in an IANA
 * time zone (UTC without one). What cannot be read is a 422 naming the field.
 */
import { Cron } from "croner";
import { invalid } from "../../http/errors.ts";

export interface ScheduleSpec {
  schedule: string;
  timezone: string | null;
}

function pattern(spec: ScheduleSpec): Cron {
  return new Cron(spec.schedule, { mode: "5-or-6-parts", timezone: spec.timezone ?? "UTC", paused: true });
}

/** Throws a 422 naming `timezone` or `schedule` (under `where`) when either cannot be read, or never fires. */
export function checkSchedule(spec: ScheduleSpec, where: "body" = "body"): void {
  if (spec.timezone !== null) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: spec.timezone });
    } catch {
      throw invalid(where, "timezone", `unknown IANA time zone "${spec.timezone}"`);
    }
  }
  let cron: Cron;
  try {
    cron = pattern(spec);
  } catch (err) {
    throw invalid(
      where,
      "schedule",
      `not a cron expression (5 fields, or 6 with seconds first): ${(err as Error).message}`,
    );
  }
  if (!cron.nextRun()) throw invalid(where, "schedule", `"${spec.schedule}" never fires`);
}

/**
 * The first slot strictly after `after`, as an ISO string; null when there is none, or when it lies
 * after `endTime` (the cron is over).
 */
export function nextSlot(spec: ScheduleSpec, after: Date, endTime: string | null): string | null {
  const next = pattern(spec).nextRun(after);
  if (!next) return null;
  if (endTime !== null && next.getTime() > Date.parse(endTime)) return null;
  return next.toISOString();
}
