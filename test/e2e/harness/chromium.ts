/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), driven by playwright-core,
 * which ships no browser and never downloads one. Each test file gets a profile of its own in a
 * temporary folder, removed when the file's browser closes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Where the browser is; THREADGATE_E2E_CHROMIUM names another build. */
export const CHROMIUM = process.env.THREADGATE_E2E_CHROMIUM || "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: the browser tests drive Debian's Chromium. Install it with ` +
        `\`apt-get install -y chromium\` (as root; .ci/run does), or point THREADGATE_E2E_CHROMIUM at a Chromium`,
    );
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-e2e-profile-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
    return {
      context,
      async close() {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
