/**
 * What a failing browser test leaves behind: a screenshot of the page and everything the page logged,
 * under artifacts/e2e/ (git-ignored; THREADGATE_E2E_ARTIFACTS names another folder), their paths
 * printed so a CI log leads to them.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

export const ARTIFACTS =
  process.env.THREADGATE_E2E_ARTIFACTS || fileURLToPath(new URL("../../../artifacts/e2e", import.meta.url));

export async function saveFailure(page: Page, testName: string, log: string[]): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const base = path.join(ARTIFACTS, `${testName.replace(/[^a-z0-9]+/gi, "-").slice(0, 80)}-${Date.now()}`);
  fs.writeFileSync(`${base}.log`, `${page.url()}\n${log.join("\n")}\n`);
  console.error(`e2e: the page's log is in ${base}.log`);
  if (page.isClosed()) return;
  try {
    await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 10_000 });
    console.error(`e2e: screenshot of the failing page: ${base}.png`);
  } catch (err) {
    console.error(`e2e: no screenshot (${String(err)})`);
  }
}
