/** `npm start`: the server on the embedded default (SQLite), configured from the environment. */
import { DEFAULT_PORT } from "./config.ts";
import { startServer } from "./server.ts";

const server = await startServer().catch((err: NodeJS.ErrnoException) => {
  const reason =
    err.code === "EADDRINUSE"
      ? `port ${process.env.PORT ?? DEFAULT_PORT} is already in use (set PORT to another one)`
      : err.message;
  console.error(`threadgate: cannot start: ${reason}`);
  process.exit(1);
});
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second signal: stop now. Runs still executing are ended as orphans at the next start.
      server.services.logger.warn({ signal }, "second signal: exiting without waiting for runs");
      process.exit(1);
    }
    stopping = true;
    // New runs get 503; runs in flight get the grace period, then end as `error` (ServerShutdown).
    server.services.logger.info(
      { signal, grace_seconds: server.config.shutdownGraceSeconds },
      "shutting down: no new runs; runs in flight get the grace period",
    );
    server
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        server.services.logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  });
}
