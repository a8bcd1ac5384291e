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
    if (stopping) return;
    stopping = true;
    server.services.logger.info({ signal }, "shutting down");
    server
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        server.services.logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  });
}
