/**
 * README's SDK snippet works as printed: saved under the name README gives it, in a folder like the one
 * `npm init -y` makes, and run with the command README gives, it streams a run of the example agent.
 * Only the server's address is changed (a test server on its own port); the packages are the repo's own,
 * not installed from the registry.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The README section on the SDK: its text, its one `ts` block, the file it is saved as and the command that runs it. */
function sdkSection() {
  const start = README.indexOf("## Talk to it with the SDK");
  const section = README.slice(start, README.indexOf("\n## ", start + 1));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const setup = /```sh\n([\s\S]*?)```/.exec(section)?.[1]?.trim();
  const named = /save this as `([^`]+)` and run `([^`]+)`/.exec(section);
  return { code, setup, file: named?.[1], command: named?.[2] };
}

let t: TestServer;
let dir: string;
beforeAll(async () => {
  // The repo's own langgraph.json: the snippet talks to the example agent, "agent".
  t = await startTestServer({ graphsConfigPath: path.join(ROOT, "langgraph.json") });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-readme-"));
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("README's SDK snippet", () => {
  it("names its file and the command that runs it, and that command prints the run's events", async () => {
    const { code, setup, file, command } = sdkSection();
    expect(code, "the SDK section has a ts block").toBeTruthy();
    expect(file, "README names the file to save the snippet as").toBeTruthy();
    expect(command, "README names the command that runs it").toBeTruthy();
    expect(setup).toBe("npm init -y && npm install @langchain/langgraph-sdk tsx");
    expect(command).toContain(file);
    expect(code).toContain(`apiUrl: "http://127.0.0.1:8123"`);

    // The folder `npm init -y` makes (npm 10+ writes "type": "commonjs"), with the packages it installs.
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "example", version: "1.0.0", main: "index.js", type: "commonjs" }, null, 2),
    );
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, file!), code!.replace("http://127.0.0.1:8123", t.url));

    const { stdout } = await promisify(execFile)("sh", ["-c", command!], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: "" },
      timeout: 120_000,
    });
    const events = stdout
      .split("\n")
      .filter((line) => /^[a-z][\w|/-]* /.test(line))
      .map((line) => line.split(" ")[0]);
    expect(events[0]).toBe("metadata");
    expect(events).toContain("values");
    expect(events.filter((e) => e === "messages").length).toBeGreaterThan(1);
    expect(stdout).toContain(`I am Threadgate's offline model. You said: "hello".`);
  }, 180_000);
});
