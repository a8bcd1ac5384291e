/**
 * Undo steps a test file registers as its tests go (servers to stop, processes to kill, temporary
 * database folders), run last first after each test.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach } from "vitest";
import { tempDbPath } from "./server.ts";

export interface Cleanup {
  /** Runs `step` after the current test. */
  add(step: () => Promise<void> | void): void;
  /** A temporary database path whose folder is removed after the current test. */
  tempDb(): string;
}

export function cleanupAfterEach(): Cleanup {
  const steps: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (steps.length) await steps.pop()!();
  });
  return {
    add: (step) => void steps.push(step),
    tempDb() {
      const dbPath = tempDbPath();
      steps.push(() => fs.rmSync(path.dirname(dbPath), { recursive: true, force: true }));
      return dbPath;
    },
  };
}
