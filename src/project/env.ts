/**
 * langgraph.json's `env`: a `.env` file (a path relative to langgraph.json) or a map of variables, put
 * into `process.env` before any graph, auth or HTTP app module is imported, since such modules read
 * their settings at import. A variable already set in the real environment keeps its value, as dotenv
 * does by default. `.env` files are parsed by Node's own `util.parseEnv` (the dotenv format: comments,
 * quotes, `export` prefixes, multi-line quoted values).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";

/** The variables langgraph.json's `env` gives, read (a file) or checked (a map); none without the key. */
export async function readProjectEnv(
  value: unknown,
  configPath: string,
): Promise<{ vars: Record<string, string>; file: string | null }> {
  if (value === undefined || value === null) return { vars: {}, file: null };
  if (typeof value === "string") {
    const file = path.resolve(path.dirname(configPath), value);
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new Error(`${configPath}: "env" names the file ${file}, which does not exist`);
      throw new Error(`${configPath}: "env" names the file ${file}, which cannot be read: ${(err as Error).message}`);
    }
    const vars: Record<string, string> = {};
    for (const [name, v] of Object.entries(parseEnv(text))) if (v !== undefined) vars[name] = v;
    return { vars, file };
  }
  if (typeof value !== "object" || Array.isArray(value))
    throw new Error(`${configPath}: "env" must be the path of a .env file or an object of variables`);
  const vars: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    // The schema says strings; a number or a boolean is what the user meant as its text.
    if (typeof v === "string") vars[name] = v;
    else if (typeof v === "number" || typeof v === "boolean") vars[name] = String(v);
    else throw new Error(`${configPath}: env.${name} must be a string`);
  }
  return { vars, file: null };
}

/**
 * Sets each variable the environment does not already have (set, even to "", is the real environment's
 * say). Returns the names it set and an undo that removes those still holding the value it gave them:
 * a stopped server leaves the process's environment as it found it (tests start many in one process).
 */
export function applyProjectEnv(
  vars: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): { applied: string[]; undo(): void } {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    if (Object.prototype.hasOwnProperty.call(env, name)) continue;
    env[name] = value;
    applied.push(name);
  }
  return {
    applied,
    undo() {
      for (const name of applied) if (env[name] === vars[name]) delete env[name];
    },
  };
}
