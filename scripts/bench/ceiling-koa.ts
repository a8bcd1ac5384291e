/**
 * The ceiling for `GET /threads/{thread_id}/runs/{run_id}`: a bare Koa app whose
 * one handler answers every GET with the same run JSON Threadgate returned (read
 * from CEILING_BODY_FILE), serialised per request as Koa does. No validation,
 * no routing, no database: what is left of Threadgate's cost is dispatch,
 * validation and the store.
 */
import fs from "node:fs";
import http from "node:http";
import Koa from "koa";

const body = JSON.parse(fs.readFileSync(process.env.CEILING_BODY_FILE ?? "", "utf8")) as Record<string, unknown>;
const app = new Koa();
app.use((ctx) => {
  if (ctx.path === "/ok") {
    ctx.body = { ok: true };
    return;
  }
  ctx.body = body;
});
const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
