/**
 * A page of test/e2e/pages/, built by Vite (with the React plugin, from the packages in node_modules)
 * into a temporary folder and served by Vite's preview server on a port of its own: an origin other
 * than the API's, so each of the page's requests to the API is a CORS request.
 */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { build, preview, type InlineConfig } from "vite";

export const PAGES = fileURLToPath(new URL("../pages", import.meta.url));

export interface ServedPage {
  /** `http://127.0.0.1:<port>`, the origin the API must allow. */
  origin: string;
  close(): Promise<void>;
}

export async function servePage(name: string): Promise<ServedPage> {
  const root = path.join(PAGES, name);
  if (!fs.existsSync(path.join(root, "index.html"))) throw new Error(`no page ${name}: ${root}/index.html is missing`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `threadgate-e2e-${name}-`));
  const outDir = path.join(tmp, "dist");
  // No config file, no .env, Vite's cache outside the source tree: the page is all there is. React's
  // development build (StrictMode mounts twice; its warnings are console errors, which fail a test).
  const config: InlineConfig = {
    configFile: false,
    envDir: false,
    mode: "development",
    define: { "process.env.NODE_ENV": JSON.stringify("development") },
    root,
    cacheDir: path.join(tmp, "vite-cache"),
    logLevel: "warn",
    plugins: [react()],
    build: { outDir, emptyOutDir: true, minify: false },
  };
  try {
    await build(config);
    const server = await preview({ ...config, preview: { host: "127.0.0.1", port: 0, strictPort: true } });
    const { port } = server.httpServer.address() as AddressInfo;
    return {
      origin: `http://127.0.0.1:${port}`,
      async close() {
        await server.close();
        fs.rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
