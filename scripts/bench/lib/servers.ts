/**
 * Starting and stopping the servers under test as child processes, each in its
 * own process group, and reading their memory from /proc by pid.
 *
 * - Threadgate: `node --import tsx src/main.ts` with PORT, THREADGATE_SQLITE_PATH
 *   (a temp folder), THREADGATE_GRAPHS and LOG_LEVEL=warn.
 * - The LangGraph.js API server: its own CLI (`langgraphjs dev`) from
 *   scripts/bench/langgraphjs/node_modules, which spawns tsx, which spawns the server;
 *   its memory is that last process's (the one running entrypoint.mjs), its CPU
 *   the whole tree's.
 * - The bare Koa ceiling: scripts/bench/ceiling-koa.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./stats.ts";

/** The checkout (Threadgate is started from it) and the benchmark's own folder, scripts/bench. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));
export const BENCH_GRAPHS_DIR = path.join(BENCH_DIR, "graphs");
export const BENCH_GRAPHS = path.join(BENCH_GRAPHS_DIR, "langgraph.json");
export const LGJS_DIR = path.join(BENCH_DIR, "langgraphjs");
/** Where the bench writes the LangGraph.js server's copy of scripts/bench/graphs (git-ignored). */
export const LGJS_GRAPHS_DIR = path.join(LGJS_DIR, "graphs");

export type ServerName = "threadgate" | "langgraphjs" | "koa-ceiling";

export interface ServerHandle {
  name: ServerName;
  /** Base URL, no trailing slash. */
  url: string;
  /** The pid whose memory is measured (the process that serves HTTP). */
  pid: number;
  /** Peak resident set size of `pid` so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** Current resident set size of `pid` (VmRSS), in MiB. */
  rssMiB(): number;
  /** CPU time (user + system) the server has used so far, in seconds: every process of its tree, every thread of each. */
  cpuSeconds(): number;
  /** The last lines the server printed (for failure reports). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function procStatusKiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * utime + stime of `pid` from /proc/<pid>/stat, in seconds: the process's figure
 * counts every one of its threads, live or ended (graph workers, SQLite's, libuv's).
 * With `reapedChildren`, also cutime + cstime: the children it has waited for.
 */
export function procCpuSeconds(pid: number, reapedChildren = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    return (reapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of `root` and every live descendant (each with the children it has reaped):
 * the whole server when it is a tree, as LangGraph.js's CLI → tsx → server is.
 */
export function procTreeCpuSeconds(root: number): number {
  let total = procCpuSeconds(root, true);
  for (const { pid } of descendants(root)) {
    const seconds = procCpuSeconds(pid, true);
    if (Number.isFinite(seconds)) total += seconds; // NaN: it ended meanwhile
  }
  return total;
}

/** CPU seconds of every live process whose name (`/proc/<pid>/comm`) is `comm`: e.g. a local Postgres's backends. */
export function procCpuSecondsNamed(comm: string): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue; // it ended meanwhile
    }
    const seconds = procCpuSeconds(Number(entry), true);
    if (Number.isFinite(seconds)) total += seconds;
  }
  return total;
}

/** Every live descendant of `root`, from /proc. */
function descendants(root: number): { pid: number; cmdline: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      /* the process ended meanwhile */
    }
  }
  const out: { pid: number; cmdline: string }[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      let cmdline = "";
      try {
        cmdline = fs.readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ");
      } catch {
        continue;
      }
      out.push({ pid: child, cmdline });
      walk(child);
    }
  };
  walk(root);
  return out;
}

class Managed {
  private log = "";
  private exited = false;
  private exitInfo = "";
  readonly exitPromise: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    logFile: string,
  ) {
    const out = fs.createWriteStream(logFile);
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      this.log = (this.log + chunk.toString("utf8")).slice(-16_000);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exitPromise = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exited = true;
        this.exitInfo = `exited (code ${code}, signal ${signal})`;
        out.end();
        resolve();
      });
    });
  }

  get hasExited(): boolean {
    return this.exited;
  }

  get exitReason(): string {
    return this.exitInfo;
  }

  tail(lines = 30): string {
    return this.log.split("\n").slice(-lines).join("\n");
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const group = -this.child.pid;
    try {
      process.kill(group, "SIGTERM");
    } catch {
      return;
    }
    const timedOut = await Promise.race([this.exitPromise.then(() => false), sleep(graceMs).then(() => true)]);
    // Grandchildren may outlive the leader; the group is ours, end what is left of it.
    try {
      process.kill(group, timedOut ? "SIGKILL" : "SIGTERM");
    } catch {
      /* the group is gone */
    }
    if (timedOut) await this.exitPromise;
  }
}

async function waitReady(url: string, managed: Managed, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (managed.hasExited) {
      throw new Error(`${name} ${managed.exitReason} before answering ${url}/ok:\n${managed.tail()}`);
    }
    try {
      const res = await fetch(`${url}/ok`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await managed.stop();
      throw new Error(`${name} did not answer ${url}/ok within ${timeoutMs} ms:\n${managed.tail()}`);
    }
    await sleep(100);
  }
}

/** `pid`: the process whose memory is read; `cpuRoot`: the top of the process tree whose CPU is summed. */
function handle(name: ServerName, url: string, pid: number, managed: Managed, cpuRoot = pid): ServerHandle {
  return {
    name,
    url,
    pid,
    peakRssMiB: () => procStatusKiB(pid, "VmHWM") / 1024,
    rssMiB: () => procStatusKiB(pid, "VmRSS") / 1024,
    cpuSeconds: () => procTreeCpuSeconds(cpuRoot),
    logTail: (lines) => managed.tail(lines),
    stop: () => managed.stop(),
  };
}

/** An environment without LangSmith/LangChain tracing keys: nothing may leave loopback. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(LANGSMITH_|LANGCHAIN_|OPENAI_|THREADGATE_|npm_)/.test(key)) continue;
    if (key === "PORT" || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return { ...env, LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false", ...extra };
}

export interface ThreadgateOptions {
  workDir: string;
  /** The checkout to run (default: this one); the bench graphs are always this checkout's. */
  root?: string;
  /** Directory for `--cpu-prof` output; profiling is off without it. */
  cpuProfDir?: string;
  /** More environment for the server (settings to compare, e.g. THREADGATE_GRAPH_WORKERS). */
  env?: Record<string, string>;
}

export async function startThreadgate(opts: ThreadgateOptions): Promise<ServerHandle> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(opts.workDir, "threadgate-"));
  const nodeArgs = ["--import", "tsx"];
  if (opts.cpuProfDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", opts.cpuProfDir);
  const child = spawn(process.execPath, [...nodeArgs, "src/main.ts"], {
    cwd: opts.root ?? ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv({
      PORT: String(port),
      HOST: "127.0.0.1",
      THREADGATE_SQLITE_PATH: path.join(dir, "threadgate.db"),
      THREADGATE_GRAPHS: BENCH_GRAPHS,
      LOG_LEVEL: "warn",
      ...opts.env,
    }),
  });
  const managed = new Managed(child, path.join(dir, "server.log"));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, managed, 60_000, "Threadgate");
  return handle("threadgate", url, child.pid!, managed);
}

/** Installs scripts/bench/langgraphjs from its lockfile on first use and writes its copy of the bench graphs. */
export function prepareLangGraphJs(log: (line: string) => void): void {
  if (!fs.existsSync(path.join(LGJS_DIR, "node_modules", "@langchain", "langgraph-api", "package.json"))) {
    log(`installing the LangGraph.js API server: npm ci --prefix ${path.relative(ROOT, LGJS_DIR)}`);
    const res = spawnSync("npm", ["ci", "--prefix", LGJS_DIR, "--no-audit", "--no-fund"], {
      cwd: ROOT,
      stdio: "inherit",
      env: cleanEnv({}),
    });
    if (res.status !== 0)
      throw new Error(`npm ci --prefix ${path.relative(ROOT, LGJS_DIR)} failed (exit ${res.status})`);
  }
  // One source per graph (scripts/bench/graphs/*.ts); the copy resolves @langchain/langgraph from scripts/bench/langgraphjs.
  fs.rmSync(LGJS_GRAPHS_DIR, { recursive: true, force: true });
  fs.mkdirSync(LGJS_GRAPHS_DIR, { recursive: true });
  for (const file of fs.readdirSync(BENCH_GRAPHS_DIR)) {
    if (file.endsWith(".ts") || file === "langgraph.json") {
      fs.copyFileSync(path.join(BENCH_GRAPHS_DIR, file), path.join(LGJS_GRAPHS_DIR, file));
    }
  }
  // The CLI appends `.langgraph_api` to a .gitignore next to the config; give it one that has it.
  fs.writeFileSync(path.join(LGJS_GRAPHS_DIR, ".gitignore"), ".langgraph_api\n");
}

export function packageVersion(dir: string, name: string): string {
  try {
    const file = path.join(dir, "node_modules", ...name.split("/"), "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

export interface LangGraphJsOptions {
  workDir: string;
}

export async function startLangGraphJs(opts: LangGraphJsOptions): Promise<ServerHandle> {
  const port = await freePort();
  // Fresh in-memory state each start (the dev server snapshots it to .langgraph_api next to the config).
  fs.rmSync(path.join(LGJS_GRAPHS_DIR, ".langgraph_api"), { recursive: true, force: true });
  const cli = path.join(LGJS_DIR, "node_modules", "@langchain", "langgraph-cli", "dist", "cli", "cli.mjs");
  const args = [
    cli,
    "dev",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--no-browser",
    "--no-reload",
    "--config",
    path.join(LGJS_GRAPHS_DIR, "langgraph.json"),
    // Given, the CLI does not derive the Studio URL from LangSmith settings.
    "--studio-url",
    "http://127.0.0.1",
  ];
  const child = spawn(process.execPath, args, {
    cwd: LGJS_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv({
      LANGGRAPH_CLI_NO_ANALYTICS: "1", // the CLI otherwise posts usage analytics to a remote host
      BROWSER: "none",
      LOG_LEVEL: "warn",
    }),
  });
  const dir = fs.mkdtempSync(path.join(opts.workDir, "langgraphjs-"));
  const managed = new Managed(child, path.join(dir, "server.log"));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, managed, 90_000, "LangGraph.js API server");
  // The process that serves HTTP is the deepest one running the API's entrypoint (CLI → tsx → server): its
  // memory is the figure; the CPU is the whole tree's, from the CLI down.
  const tree = descendants(child.pid!).filter((p) => p.cmdline.includes("entrypoint"));
  const server = tree.length ? tree[tree.length - 1].pid : child.pid!;
  return handle("langgraphjs", url, server, managed, child.pid!);
}

export async function startKoaCeiling(opts: { workDir: string; bodyFile: string }): Promise<ServerHandle> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "ceiling-koa.ts")], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv({ PORT: String(port), CEILING_BODY_FILE: opts.bodyFile }),
  });
  const managed = new Managed(child, path.join(opts.workDir, "koa-ceiling.log"));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, managed, 30_000, "Koa ceiling");
  return handle("koa-ceiling", url, child.pid!, managed);
}

/** Runs a bench child script (`node --import tsx <script>`, a path under scripts/bench/) and parses the JSON line it prints last. */
export async function runJsonChild<T>(script: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, script)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv(env),
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (err = (err + c.toString("utf8")).slice(-8000)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const last = out.trim().split("\n").pop() ?? "";
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${err}`);
  return JSON.parse(last) as T;
}
