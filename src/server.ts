/**
 * Boots Threadgate: langgraph.json (its env first), stores, graphs, runtime, and the Koa app with its
 * middleware composed in one visible place:
 *   errors → CORS → Host check → [custom routes: langgraph.json's http.app] → JSON body (415, depth)
 *   → contract dispatch (openapi-backend).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import type { Middleware } from "koa";
import { loadConfig, type ServerConfig } from "./config.ts";
import { createLogger, type Logger } from "./logger.ts";
import { lockData, openStores } from "./stores/open.ts";
import { workerFor } from "./cluster/worker.ts";
import type { DataLock } from "./stores/sqlite/files/data-lock.ts";
import { GraphRegistry } from "./runtime/graphs/registry.ts";
import { AssistantDirectory } from "./runtime/assistants/directory.ts";
import { StreamHub } from "./runtime/streams/hub.ts";
import { RunManager } from "./runtime/runs/manager.ts";
import { RunTurns } from "./runtime/graphs/turns.ts";
import { InProcessGraphExecutor, type GraphExecutor } from "./runtime/graphs/executor.ts";
import { GraphWorkerPool } from "./runtime/graphs/workers/pool.ts";
import { ThreadStateReader } from "./runtime/threads/state.ts";
import { ThreadTtlSweeper } from "./runtime/threads/ttl.ts";
import { StoreService } from "./runtime/store/service.ts";
import { StoreTtlSweeper } from "./runtime/store/ttl.ts";
import { ThreadgateStore } from "./runtime/store/graph-store.ts";
import { CronService } from "./runtime/crons/crons.ts";
import { CronScheduler } from "./runtime/crons/scheduler.ts";
import { handlers } from "./handlers/index.ts";
import { createDispatcher } from "./http/dispatch.ts";
import { errorEnvelope, isClientGone, jsonLastResort } from "./http/error-envelope.ts";
import { hostAllowed, hostGuard, isLoopbackName } from "./http/host-guard.ts";
import { attachProtocolSockets } from "./http/streaming/protocol-socket.ts";
import { jsonBody } from "./http/json-body.ts";
import { answerClientError } from "./http/client-error.ts";
import type { Services } from "./services.ts";
import { ThreadStreams } from "./runtime/streams/thread-follow.ts";
import { ProtocolCommands } from "./runtime/protocol/commands.ts";
import { createAuthGate, planAuth, type AuthPlan } from "./auth/index.ts";
import type { AuthGate } from "./auth/gate.ts";
import { loadProject, type Project } from "./project/langgraph-json.ts";
import { applyProjectEnv } from "./project/env.ts";
import { corsMiddleware, originAllowed } from "./http/cors.ts";
import { customRoutes, loadCustomApp, type FetchHandler } from "./http/custom-app.ts";

export interface RunningServer {
  url: string;
  config: ServerConfig;
  services: Services;
  operationCount: number;
  close(): Promise<void>;
}

/**
 * Stops listening, lets the responses that have ended (a stopped run's last events) reach their clients
 * as their connections go idle, and after `lingerMs` closes whatever is still open (streams of pending
 * runs, which go on after a restart: their clients rejoin with Last-Event-ID).
 */
async function closeHttp(server: http.Server, lingerMs = 1_000): Promise<void> {
  let closed = false;
  const done = new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
    closed = true;
  });
  for (const deadline = Date.now() + lingerMs; !closed && Date.now() < deadline;) {
    server.closeIdleConnections();
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20))]);
  }
  server.closeAllConnections();
  await done;
}

/** What boot starts from: the settings, langgraph.json, and what was checked or taken before anything opened. */
interface Start {
  config: ServerConfig;
  project: Project;
  log: Logger;
  lock: DataLock;
  auth: AuthPlan;
  cors: Middleware;
  /** Takes langgraph.json's env back out of process.env. */
  undoEnv: () => void;
}

export async function startServer(overrides: Partial<ServerConfig> = {}, logger?: Logger): Promise<RunningServer> {
  const project = await loadProject(loadConfig(process.env, overrides).graphsConfigPath);
  // langgraph.json's env goes into process.env before any module of the project is imported (graphs, the
  // auth file and the HTTP app read it at import) and before graph workers start (they copy process.env).
  // The settings are read again after it, so its .env may hold them too (LANGGRAPH_CONFIG, LOG_LEVEL, …).
  const env = applyProjectEnv(project.env);
  try {
    const config = loadConfig(process.env, overrides);
    const log = logger ?? createLogger(config.logLevel);
    for (const key of project.unknownKeys)
      log.warn({ key, file: project.path }, "langgraph.json: unknown key, ignored");
    for (const key of project.notApplied)
      log.warn({ key, file: project.path }, "langgraph.json: key this server does not apply, ignored");
    const auth = planAuth(config, project.auth);
    refuseOpenAddress(config, auth);
    const cors = corsMiddleware(config, project.http.cors);
    // Before anything is opened: a second process on this data is refused (the error names the holder).
    const lock = await lockData(config);
    try {
      return await boot({ config, project, log, lock, auth, cors, undoEnv: env.undo });
    } catch (err) {
      lock.release();
      throw err;
    }
  } catch (err) {
    env.undo();
    throw err;
  }
}

/**
 * With no authentication, whoever reaches the port is the server's user: the local user on a loopback
 * address, everyone on the network on any other. The latter needs saying so (THREADGATE_ALLOW_UNAUTHENTICATED).
 */
function refuseOpenAddress(config: ServerConfig, auth: AuthPlan): void {
  if (auth.mode !== "none" || isLoopbackName(config.host) || config.allowUnauthenticated) return;
  throw new Error(
    `HOST=${config.host} is not a loopback address and this server has no authentication, so anyone who can ` +
      `reach the port could read, change and cancel every thread and run. Listen on 127.0.0.1 (the default), ` +
      `choose an authentication mode (THREADGATE_AUTH=api-keys, jwt, or custom with "auth" in langgraph.json), ` +
      `or set THREADGATE_ALLOW_UNAUTHENTICATED=true to serve it open anyway (e.g. behind a proxy that authenticates)`,
  );
}

async function boot({ config, project, log, lock, auth, cors, undoEnv }: Start): Promise<RunningServer> {
  const turns = new RunTurns();
  const { stores, workerCheckpoints, backend } = await openStores(config, (write) =>
    turns.turn(write.configurable?.run_id as string | undefined),
  );
  // Semantic search's embeddings and vector extension load first: a store that cannot do it stops the start.
  const store = await StoreService.open(stores.storeItems, project.store, log).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  // Graph workers load their graphs while this thread loads its own (for state, validation, schemas).
  // An in-memory database cannot be opened from another thread: its graphs run here.
  const workers =
    config.graphWorkers > 0 && workerCheckpoints !== null
      ? GraphWorkerPool.start({
          size: config.graphWorkers,
          checkpoints: workerCheckpoints,
          graphs: project.graphs,
          logLevel: log.level,
          streamBufferBytes: config.streamBufferBytes,
          heapMb: config.graphWorkerHeapMb,
          logger: log,
          store,
        })
      : null;
  workers?.catch(() => undefined); // awaited below
  let registry: GraphRegistry;
  let executor: GraphExecutor;
  let gate: AuthGate;
  let customApp: FetchHandler | null;
  try {
    // An auth file that cannot be loaded stops the start: a server that should guard its routes never runs open.
    gate = await createAuthGate(config, auth, stores.apiKeys, log);
    registry = await GraphRegistry.load(project.graphs, stores.checkpointer, { logger: log });
    for (const { graphId, file, error } of registry.failures) {
      log.error({ graph_id: graphId, file, err: error }, "graph failed to load: its runs and state calls answer 409");
    }
    // Like the auth file, an HTTP app that cannot be loaded stops the start.
    customApp = project.http.app ? await loadCustomApp(project.http.app) : null;
    executor =
      (await workers) ??
      new InProcessGraphExecutor({
        registry,
        checkpointAdmin: stores.checkpointAdmin,
        turns,
        logger: log,
        storeFor: (owner) => new ThreadgateStore(store, owner),
      });
  } catch (err) {
    await workers?.then((pool) => pool.close()).catch(() => undefined);
    await stores.close();
    throw err;
  }
  const assistants = new AssistantDirectory(registry, stores.assistants, config.systemAssistantDefaults);
  const { worker, streamsShared } = await workerFor(config, backend, stores, log);
  const streams = new StreamHub(stores.streamEvents, log, {
    retentionSeconds: config.streamRetentionSeconds,
    maxInMemory: config.streamEventsInMemory,
    bufferBytes: config.streamBufferBytes,
    shared: streamsShared,
  });
  const runs = new RunManager({
    stores,
    registry,
    assistants,
    streams,
    logger: log,
    executor,
    turns,
    idempotencyTtlSeconds: config.idempotencyTtlSeconds,
    webhookOptions: {
      timeoutMs: config.webhookTimeoutMs,
      retries: config.webhookRetries,
      backoffMs: config.webhookBackoffMs,
      allowedHosts: config.webhookAllowedHosts,
      disabled: project.http.disabled.has("webhooks"),
    },
    newThreadTtl: project.threadTtl.defaultTtl,
    worker,
  });
  const state = new ThreadStateReader(registry, (assistantId, owner) => assistants.configForThread(assistantId, owner));
  const services: Services = {
    config,
    logger: log,
    stores,
    registry,
    assistants,
    streams,
    runs,
    state,
    threadTtl: project.threadTtl,
    store,
    crons: new CronService(stores, runs, assistants),
    threadStreams: new ThreadStreams({ stores, streams }),
    protocol: new ProtocolCommands({ stores, runs, state }),
  };
  const sweeper = new ThreadTtlSweeper(stores, runs, project.threadTtl, log);
  const storeSweeper = new StoreTtlSweeper(stores.storeItems, project.store.ttl, log);
  const cronScheduler = new CronScheduler(stores, runs, log, { tickMs: config.cronTickMs });

  const dispatcher = await createDispatcher(handlers, services, config.basePath, gate, project.http.disabled);
  if (dispatcher.operationCount === 0) throw new Error("the OpenAPI spec loaded no operations");

  const app = new Koa();
  jsonLastResort(app);
  app.use(errorEnvelope(log));
  app.use(cors);
  const hostOptions = { listenHost: config.host, allowedHosts: config.allowedHosts };
  app.use(hostGuard(hostOptions));
  if (customApp) {
    // Custom routes are authenticated only when langgraph.json asks (http.enable_custom_route_auth), as on LangGraph servers.
    const authenticate = project.http.enableCustomRouteAuth
      ? (ctx: Koa.Context) => gate.authenticate({ method: ctx.method, url: ctx.href, headers: ctx.headers })
      : undefined;
    app.use(customRoutes({ app: customApp, miss: dispatcher.miss, authenticate, logger: log }));
  }
  app.use(jsonBody({ maxDepth: config.maxJsonDepth, limit: "10mb" }));
  app.use((ctx) => dispatcher.handle(ctx));
  app.on("error", (err: Error & { code?: string }) => {
    if (isClientGone(err)) return; // a client that hung up mid-stream is not a server error
    log.error({ err }, "unhandled error");
  });

  const server = http.createServer(app.callback());
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 65_000;
  const sockets = attachProtocolSockets(server, {
    services,
    gate,
    basePath: config.basePath,
    originAllowed: originAllowed(config, project.http.cors),
    hostAllowed: hostAllowed(hostOptions),
    disabled: project.http.disabled.has("runs"),
    logger: log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (err) => {
    await runs.close();
    await executor.close();
    await stores.close();
    throw err;
  });
  // The database lock (taken first) keeps a second process off these files; recovery also waits for the
  // port, so a start that cannot listen changes nothing.
  await runs.recover();
  streams.startRetention();
  sweeper.start();
  storeSweeper.start();
  // After recovery: a slot missed while the server was down fires once, on the first tick.
  cronScheduler.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}${config.basePath}`;
  lock.describe({ url });
  log.info(
    {
      url,
      operations: dispatcher.operationCount,
      auth: gate.mode,
      graphs: registry.definitions.filter((d) => registry.loaded(d.graphId)).map((d) => d.graphId),
      ...(registry.failures.length ? { graphs_failed: registry.failures.map((f) => f.graphId) } : {}),
      ...(project.http.app ? { http_app: project.http.app.file } : {}),
      ...(project.http.disabled.size ? { disabled: [...project.http.disabled] } : {}),
    },
    "threadgate listening",
  );

  return {
    url,
    config,
    services,
    operationCount: dispatcher.operationCount,
    /**
     * Shutdown. The API keeps answering while runs in flight have their grace period (new runs get 503);
     * then the rest are stopped as shut down, and their clients get the `error` event before the
     * connections close. Pending runs stay pending, for the next start.
     */
    async close() {
      try {
        // No cron starts a run once shutdown begins; a slot due meanwhile fires after the next start.
        await cronScheduler.stop();
        await runs.close(config.shutdownGraceSeconds * 1000);
        await sweeper.stop();
        await storeSweeper.stop();
        await executor.close();
        streams.stop();
        sockets.close();
        await closeHttp(server);
        await streams.flush();
        await gate.close();
        await worker.signals.close();
        await stores.close();
      } finally {
        lock.release();
        undoEnv();
      }
    },
  };
}
