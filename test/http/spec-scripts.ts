/** Runs a repository script with tsx, as `npm run` would, for the tests of the spec's scripts. */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface RunResult {
  code: number;
  output: string;
}

export function run(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(TSX, args, { cwd: ROOT, encoding: "utf8", timeout: 55_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as any).code) : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
