// Generated from spec/openapi.yaml by scripts/generate.ts. Do not edit.

export interface paths {
    "/ok": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description Answers `{"ok":true}` while the process is able to serve requests.
         */
        get: operations["getOk"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server information
         * @description Returns the server version, the feature flags clients use to decide which endpoints to call
         *     (LangGraph Studio hides crons when `crons` is false and shows in-app traces only with
         *     `langsmith_tracing_session_on_runs`), and the host, in LangGraph Platform's shape.
         */
        get: operations["getInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an assistant
         * @description Creates a stored assistant of a registered graph, at version 1, owned by the caller.
         *     Its id is server-generated unless `assistant_id` is given; when an assistant with that id
         *     exists (a system assistant's id included) the answer is 409 with `if_exists: raise` (the
         *     default), or the existing assistant with `do_nothing` (when the caller may see it; 409 otherwise).
         *     A graph that is not registered is a 404 naming it, and nothing is created.
         */
        post: operations["createAssistant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search assistants
         * @description Lists the system assistants and the caller's stored assistants matching every given filter,
         *     sorted by `sort_by`/`sort_order` (default `created_at`, `desc`) and paginated with
         *     `limit`/`offset`. `name` matches a case-insensitive substring; `metadata` matches assistants
         *     whose metadata contains all the given key/value pairs. With `select`, each assistant has only
         *     the fields it names.
         */
        post: operations["searchAssistants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count assistants
         * @description Counts the assistants `searchAssistants` would list with the same filters (system ones and the caller's).
         */
        post: operations["countAssistants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get an assistant
         * @description Returns one assistant at its latest version, looked up by assistant id or by graph name (which maps to that graph's system assistant).
         */
        get: operations["getAssistant"];
        put?: never;
        post?: never;
        /**
         * Delete an assistant
         * @description Deletes a stored assistant with all its versions. System assistants cannot be deleted (409).
         *
         *     Without `delete_threads` its threads and their runs are left alone, and a new run of the deleted
         *     assistant is a 404. A run already running finishes with the config it started with (its thread
         *     keeps `metadata.assistant_id`); a run still pending (enqueued, or waiting for `after_seconds`)
         *     reads its assistant only when it starts, so when its turn comes it ends as `error`
         *     (`AssistantDeleted`) without running.
         *
         *     With `delete_threads=true` the threads the caller may see whose `metadata.assistant_id` is this
         *     assistant are deleted too, with their runs, stream events, journal and checkpoints; while one of
         *     them has a run pending or running the answer is 409 and nothing is deleted.
         */
        delete: operations["deleteAssistant"];
        options?: never;
        head?: never;
        /**
         * Update an assistant
         * @description Writes a new version of a stored assistant (its highest version plus one) and makes it the
         *     latest: the given fields replace the latest version's, but `metadata`, which is merged into it
         *     (top-level keys replaced). A graph that is not registered is a 404 naming it. System
         *     assistants cannot be changed (409).
         */
        patch: operations["patchAssistant"];
        trace?: never;
    };
    "/assistants/{assistant_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * List an assistant's versions
         * @description Lists the versions of an assistant, newest first, paginated with `limit`/`offset`; `metadata`
         *     keeps the versions whose metadata contains all the given key/value pairs. A system assistant
         *     has one version.
         */
        post: operations["listAssistantVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}/latest": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set an assistant's latest version
         * @description Makes one of the assistant's versions its latest, the one reads and new runs use. A version it
         *     does not have is a 404. A system assistant has only version 1.
         */
        post: operations["setLatestAssistantVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}/graph": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get an assistant's graph
         * @description The nodes and edges of the assistant's graph, as LangGraph draws it. With `xray`, a node that
         *     is a subgraph (of more than one node) is drawn as that subgraph's nodes, named
         *     `<node>:<inner node>`; an integer `xray` stops that many levels down. `xray` of 0 or below,
         *     or not a boolean or an integer, is a 422.
         */
        get: operations["getAssistantGraph"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}/schemas": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get the schemas of an assistant's graph
         * @description The JSON Schemas of the graph's input, output, state, config and context, from which LangGraph
         *     Studio builds its input and configuration forms. A schema that cannot be derived is null.
         */
        get: operations["getAssistantSchemas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}/subgraphs": {
        parameters: {
            query?: {
                /** @description Also list the subgraphs of subgraphs, at any depth. The SDK sends `true`/`false`; `1`/`0` are taken too. */
                recurse?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /**
         * List the subgraphs of an assistant's graph
         * @description The schemas of each subgraph of the graph (a node that is a compiled graph), by namespace: the
         *     node's name, and with `recurse` also `parent|child` for the subgraphs of subgraphs. A graph
         *     without subgraphs answers `{}`.
         */
        get: operations["getAssistantSubgraphs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assistants/{assistant_id}/subgraphs/{namespace}": {
        parameters: {
            query?: {
                /** @description Also list the subgraphs of subgraphs, at any depth. The SDK sends `true`/`false`; `1`/`0` are taken too. */
                recurse?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
                /** @description The subgraph's namespace, e.g. `child`, or `parent|child` (URL-encoded) with `recurse`. */
                namespace: string;
            };
            cookie?: never;
        };
        /**
         * Get one subgraph of an assistant's graph
         * @description The schemas of the subgraph at `namespace`, as a map of one entry (with `recurse`, the
         *     subgraphs under it too, as LangGraph lists them); `{}` when the graph has no subgraph there.
         *     A nested namespace (`parent|child`) is found only with `recurse`, as in LangGraph.
         */
        get: operations["getAssistantSubgraphsByNamespace"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a thread
         * @description Creates a thread, with a server-generated id unless `thread_id` is given.
         *     When a thread with that id already exists the answer is 409 if `if_exists`
         *     is `raise` (the default), or the existing thread if it is `do_nothing`.
         *     With `supersteps` the thread starts with one checkpoint per superstep, written by
         *     the graph `metadata.graph_id` names; a superstep that cannot be applied is a 422
         *     naming it, and nothing is created.
         */
        post: operations["createThread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search threads
         * @description Lists threads matching all given filters, paginated with `limit`/`offset`
         *     and sorted by `sort_by`/`sort_order` (default: `created_at`, `desc`). With `select`, each
         *     thread has only the fields it names.
         */
        post: operations["searchThreads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count threads
         * @description Counts the threads `searchThreads` would find with the same filters (`metadata`, `values`,
         *     `ids`, `status`), all of them rather than a page: the caller's threads only.
         */
        post: operations["countThreads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prune threads
         * @description Prunes the threads named in `thread_ids`. With `strategy: delete` (the default) each is
         *     deleted with its runs, checkpoints, stored stream events and audit journal; with
         *     `keep_latest` the thread stays with only the latest checkpoint of each namespace (its
         *     current state, now the root of its history). A thread that does not exist, is another
         *     user's, or has a run pending or running is left as it is and not counted.
         */
        post: operations["pruneThreads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a thread
         * @description Returns one thread with its status, metadata and cached latest values.
         */
        get: operations["getThread"];
        put?: never;
        post?: never;
        /**
         * Delete a thread
         * @description Deletes the thread with its runs, checkpoints, stored stream events and audit journal. Refused while a run on the thread is pending or running.
         */
        delete: operations["deleteThread"];
        options?: never;
        head?: never;
        /**
         * Update a thread
         * @description Merges the given metadata into the thread's metadata (top-level keys are replaced), sets or removes its time to live (`ttl`, counted from now), and returns the updated thread.
         */
        patch: operations["patchThread"];
        trace?: never;
    };
    "/threads/{thread_id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get the current thread state
         * @description Returns the state at the thread's latest checkpoint. A thread that has
         *     never run returns an empty state (`values: {}`, `next: []`, `tasks: []`,
         *     `checkpoint: null`).
         */
        get: operations["getThreadState"];
        put?: never;
        /**
         * Update the thread state
         * @description Writes `values` to the thread's state as if node `as_node` had returned
         *     them (LangGraph `updateState`), creating a new checkpoint. With
         *     `checkpoint_id` / `checkpoint` the update forks from that checkpoint.
         *     Refused with 409 while a run of the thread is pending or running, and
         *     with 422 when the thread has never run a graph (its graph is unknown), when
         *     `as_node` is not a node of it, when `checkpoint.checkpoint_ns` names no subgraph
         *     of it, or when the graph refuses the values. The graph is built with the
         *     thread's config, which a run admitted on the idle thread merges its config into.
         */
        post: operations["updateThreadState"];
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Patch the metadata of a thread's checkpoint
         * @description Merges `metadata` into the metadata of the thread's latest checkpoint (top-level keys are
         *     replaced), or of the checkpoint `checkpoint_id` / `checkpoint` names; the state itself is
         *     unchanged and no checkpoint is created. The SDK's `threads.patchState` sends `metadata` only.
         *     404 when the thread or the checkpoint does not exist (a thread that never ran has none), 409
         *     while a run of the thread is pending or running, 422 for the keys LangGraph and the server
         *     keep in checkpoint metadata (`run_id`, `source`, `step`, `parents`).
         */
        patch: operations["patchThreadState"];
        trace?: never;
    };
    "/threads/{thread_id}/state/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get the thread state at a checkpoint
         * @description Returns the state at the given checkpoint of the thread (404 when it does not exist; 422 when its `checkpoint_ns` names no subgraph of the thread's graph).
         */
        post: operations["readThreadStateAtCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/state/{checkpoint_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The checkpoint id (LangGraph checkpoint ids are UUIDs). */
                checkpoint_id: string;
            };
            cookie?: never;
        };
        /**
         * Get the thread state at a checkpoint (path form)
         * @description Returns the state at the given checkpoint of the thread (404 when it does not exist).
         */
        get: operations["getThreadStateAtCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * List thread history
         * @description Returns past states of the thread (root namespace), newest first.
         */
        get: operations["listThreadHistory"];
        put?: never;
        /**
         * Search thread history
         * @description Returns past states of the thread (root namespace), newest first,
         *     optionally before a checkpoint, filtered by checkpoint metadata, or
         *     starting from a given checkpoint (or listing a subgraph's namespace; 422 when
         *     it names no subgraph of the thread's graph). This is what `useStream` calls when
         *     `fetchStateHistory` is enabled.
         */
        post: operations["searchThreadHistory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/copy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Copy a thread
         * @description Creates a thread of the caller's with a new id and the source thread's metadata, config,
         *     status, values and interrupts, and a copy of its whole checkpoint history (every namespace,
         *     with pending writes): the copy's history is the source's but for the thread id. Runs,
         *     stream events and the audit journal are not copied. Refused with 409 while a run of the
         *     source is pending or running; the source is left as it was.
         */
        post: operations["copyThread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * Join a thread's stream, across its runs
         * @description Server-Sent Events of the thread's runs, one run after another in the order they were made,
         *     open across runs (with `: heartbeat` comments) until the client leaves. It is read from the
         *     runs' own stored event logs, so it resumes from any event id, also after a server restart, as
         *     long as the runs' logs are kept (`THREADGATE_STREAM_RETENTION_SECONDS`).
         *
         *     What it carries (`stream_modes`, or `stream_mode` as the JS SDK sends it; both may be given,
         *     and the modes add up; `run_modes` when neither is):
         *     - `run_modes`: every event each run stored, as it streamed it (`metadata`, `values`,
         *       `updates|<namespace>`, `messages`, `error`, ...; the data unchanged), with the id
         *       `<run_id>:<seq>` (`seq` is the event's number in its run, as in `joinRunStream`).
         *     - `lifecycle`: `event: lifecycle` when a run starts, data
         *       `{"run_id", "thread_id", "status": "running"}`, id `<run_id>:start` (just before the run's
         *       first event, `metadata`); and when it ends, data `{"run_id", "thread_id", "status", "error"?}`
         *       with the run's final status (and its error, when it has one), id `<run_id>:end`.
         *     - `state_update`: at each run's end (before its `lifecycle` end), `event: state_update`, data
         *       `{"run_id", "thread_id", "values"}`: the thread's values after the run (those of the last
         *       checkpoint the run wrote; the thread's current values when it wrote none), id
         *       `<run_id>:state`.
         *
         *     Within a run the ids are ordered `start`, its events by `seq`, `state`, `end`, whichever modes
         *     are asked for, and every id can be sent back as `Last-Event-ID` to resume right after it.
         */
        get: operations["joinThreadStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a protocol v2 command on a thread
         * @description Carries out one command (`run.start`, `input.respond`, `state.get`) and answers
         *     `ProtocolSuccess` or, when the command itself fails, `ProtocolError` (both 200). A run a
         *     command starts is admitted exactly as `createRun` admits one (multitask strategy, auth,
         *     cancellation with `cancelRun`); `run.start` on a thread id that does not exist yet creates
         *     that thread for the caller. The classic answers stay: 404 for a thread that is not the
         *     caller's, 409 when `reject` finds the thread busy, 503 while the server shuts down.
         */
        post: operations["runProtocolCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/stream/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stream a thread's protocol v2 events
         * @description Server-Sent Events of the thread's runs in protocol v2's shape, filtered by the body's
         *     channels and namespaces. Every stream starts with what the thread retains (the events of its
         *     oldest pending or running run and those after it, or else of its latest run; after `since`
         *     when given), then stays open across runs until the client leaves, with `:` heartbeat comments.
         *     A stream may be opened before the thread exists (the client picked its id and sends
         *     `run.start` at the same time): it waits for the thread's first run.
         */
        post: operations["streamProtocolEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * List runs of a thread
         * @description Returns the thread's runs, newest first, optionally filtered by status.
         */
        get: operations["listRuns"];
        put?: never;
        /**
         * Create a background run
         * @description Creates a run and returns it immediately; the run executes in the
         *     background. Its events can be read later with `joinRunStream` and its
         *     result with `joinRun`. The thread must exist unless `if_not_exists` is
         *     `create`. If the thread already has a pending or running run, the
         *     `multitask_strategy` decides what happens (`reject` answers 409).
         */
        post: operations["createRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a run and stream its output
         * @description Creates a run (same rules as `createRun`) and streams its events as
         *     Server-Sent Events until the run ends. All validation happens before the
         *     200 is sent; failures after that are reported as an `error` event. If the
         *     client disconnects, the run is cancelled when `on_disconnect` is `cancel`
         *     and keeps running when it is `continue` (the default).
         */
        post: operations["streamRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/wait": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a run and wait for its result
         * @description Creates a run (same rules as `createRun`) and answers when it ends with
         *     the thread's final state values. The server may send whitespace
         *     keep-alives before the JSON document. A run that fails still answers 200,
         *     with `{"__error__": {"error": ..., "message": ...}}` as the body.
         */
        post: operations["waitRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a run
         * @description Returns one run of the thread, including its status and token counters.
         */
        get: operations["getRun"];
        put?: never;
        post?: never;
        /**
         * Delete a run
         * @description Deletes a finished run, its stream events, its journal entries and the
         *     checkpoints it wrote. A pending or running run is refused with 409
         *     (cancel it first).
         */
        delete: operations["deleteRun"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a run
         * @description Cancels a pending or running run. With `action=interrupt` the run stops
         *     and its checkpoints are kept; with `action=rollback` the run and the
         *     checkpoints it wrote are deleted. Without `wait` the answer is 202 as
         *     soon as the cancellation is requested; with `wait` it is 204 once the
         *     run has stopped.
         */
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/join": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * Wait for a run to finish
         * @description Blocks until the run ends and returns the thread's final state values. Answers immediately for a run that has already ended.
         */
        get: operations["joinRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * Join a run's event stream
         * @description Streams the run's events as Server-Sent Events, in the same format as
         *     `streamRun`. With `Last-Event-ID: N` the stream resumes after event N
         *     (`-1` replays from the first event); without it only new events are
         *     sent. For a run that has already ended the stored events after the
         *     cursor are replayed and the stream ends.
         */
        get: operations["joinRunStream"];
        put?: never;
        /**
         * Control a run and stream its remaining events
         * @description Used by the `useStream` stop button. With `action`, the run is cancelled
         *     with that action (as in `cancelRun`) and the events it still emits are
         *     streamed until it ends, in the same format as `joinRunStream` (honouring
         *     `Last-Event-ID`). Without `action` this behaves like `joinRunStream`.
         *     When the client does not accept `text/event-stream` (no such media type
         *     in `Accept`), no stream is returned: the answer is 202 once the
         *     cancellation is requested, or 204 with `wait=true` once the run has
         *     stopped. Cancelling a run that has already ended answers 409.
         */
        post: operations["controlRunStream"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a stateless run
         * @description Runs the graph on a temporary thread (a thread of its own when the body
         *     has no `thread_id` in `config.configurable`). With `on_completion: delete`
         *     (the default) the thread and its checkpoints are deleted when the run ends;
         *     with `keep` they stay. Returns the run at once.
         */
        post: operations["createStatelessRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a stateless run and stream its output
         * @description As `createStatelessRun`, streaming the run's events as Server-Sent Events
         *     (same frames as `streamRun`, without `id:` lines, as LangGraph Platform does
         *     for stateless streams).
         */
        post: operations["streamStatelessRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a stateless run and wait for its result
         * @description As `createStatelessRun`, answering with the final state values once the run
         *     ends (or `{"__error__": {error, message}}` when it failed).
         */
        post: operations["waitStatelessRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create several stateless runs
         * @description Creates one stateless run per element, as `createStatelessRun`. Every
         *     element is validated before any run is created: one bad element fails
         *     the whole batch with 422 naming it (`["body", <index>, <field>]`).
         */
        post: operations["createRunBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel many runs
         * @description Cancels every pending or running run that matches: the given `run_ids`
         *     (all must exist, else 404), or all active runs of `thread_id`, or with
         *     `status` (`pending`, `running` or `all`) all runs in that state. Runs that
         *     already ended are skipped. Answers 204 once they are stopped.
         */
        post: operations["cancelRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/{run_id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * Join the stream of a run by id
         * @description Streams a run's events (see `joinRunStream`), addressed by run id alone,
         *     as the SDK does for stateless runs.
         */
        get: operations["joinStatelessRunStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * List a thread's messages
         * @description Returns the journal entries of category `message` across all runs of the
         *     thread, in ascending `seq` order. With `after_seq`, the oldest `limit`
         *     entries after that cursor; otherwise the newest `limit` entries (before
         *     `before_seq` when given). Each entry carries `feedback`: the caller's
         *     feedback on its run on the run's last AI message (its last
         *     `llm.ai.response` over the whole run, not just this page), null on
         *     every other entry.
         */
        get: operations["listThreadMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * List a run's messages
         * @description Returns one page of the run's journal entries of category `message`, in
         *     ascending `seq` order, with the same cursor rules as
         *     `listThreadMessages`. `has_more` tells whether more entries exist in the
         *     paging direction. Feedback is attached as by `listThreadMessages`.
         */
        get: operations["listRunMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * List a run's events
         * @description Returns one page of all journal entries of the run (messages, traces,
         *     outputs, errors), ascending by `seq`, optionally filtered by event type.
         */
        get: operations["listRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/token-usage": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a thread's token usage
         * @description Sums the token counters of the thread's finished runs (status `success`
         *     or `error`), overall, per model and per caller. With `include_active`,
         *     runs that are still running are included too.
         */
        get: operations["getThreadTokenUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an item
         * @description Returns the caller's item with `key` in `namespace`, or null (status 200) when there is none, as
         *     LangGraph Platform answers and the SDK's `store.getItem` expects. Another user's item is not the
         *     caller's: null. An item past its time to live is gone (null) before the sweep removes it. The item's
         *     time to live starts anew unless `refresh_ttl` is false (absent: langgraph.json
         *     `store.ttl.refresh_on_read`, default true).
         */
        get: operations["getStoreItem"];
        /**
         * Store or update an item
         * @description Puts `value` under `key` in `namespace`: a new item, or the caller's item there replaced
         *     (`updated_at` moves, `created_at` stays). In auth modes api-keys, jwt and custom every user has a
         *     store of their own: the same namespace and key put by another user is that user's own item.
         *     `ttl` (minutes; absent: langgraph.json `store.ttl.default_ttl`) is the item's time to live. With
         *     langgraph.json `store.index` the value's indexed fields (or those `index` names) are embedded
         *     before anything is written, for searches by `query`. A namespace that is empty,
         *     or has an empty label or a label holding `.`, is a 422 naming it, and nothing is written.
         */
        put: operations["putStoreItem"];
        post?: never;
        /**
         * Delete an item
         * @description Deletes the caller's item with `key` in `namespace` (absent: the root namespace, which holds no items). Answers 204 whether or not there was one; another user's item is never touched.
         */
        delete: operations["deleteStoreItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/items/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search items
         * @description Lists the caller's items whose namespace starts with `namespace_prefix` (whole labels: `["a"]`
         *     takes `["a", "b"]`, not `["ab"]`; empty or absent: every namespace) and whose value matches
         *     `filter`, most recently put first, paginated with `limit` and `offset`. With a `query` and
         *     langgraph.json `store.index`, the items with embedded fields are ranked by similarity instead, best
         *     first, each with its `score` (exact cosine similarity over the caller's vectors within the prefix);
         *     without an index `query` ranks nothing. The items found start their time to live anew unless
         *     `refresh_ttl` is false.
         */
        post: operations["searchStoreItems"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * List namespaces
         * @description Lists the namespaces that hold items of the caller's, sorted and each once: those starting with
         *     `prefix` and ending with `suffix` (whole labels both), cut to `max_depth` labels when given,
         *     paginated with `limit` and `offset`. Labels are matched as they are (`*` is no wildcard).
         */
        post: operations["listStoreNamespaces"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * List feedback on a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. The
         *     caller's own feedback on the run (at most one row; other users' rows
         *     are never listed), oldest first.
         */
        get: operations["listRunFeedback"];
        /**
         * Set the caller's feedback on a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. Creates
         *     or replaces the caller's feedback on the run (one per user per run): a
         *     rating of 1 or -1 and an optional comment. A replaced row keeps its
         *     `feedback_id` and `created_at`.
         */
        put: operations["putRunFeedback"];
        /**
         * Give feedback on a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. Creates
         *     the caller's feedback on the run. A user has at most one per run: when
         *     the caller has one already, the answer is 409 and nothing changes (use
         *     PUT to replace it).
         */
        post: operations["createRunFeedback"];
        /**
         * Delete the caller's feedback on a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. Deletes
         *     the caller's feedback on the run; 404 when the caller has none.
         */
        delete: operations["deleteRunFeedback"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/feedback/stats": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /**
         * Count the feedback on a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. Counts
         *     every user's feedback on the run, as the DeerFlow gateway does (counts
         *     only, no identities): whoever may read the run may read its counts.
         */
        get: operations["getRunFeedbackStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/{run_id}/feedback/{feedback_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
                /** @description The feedback id (UUID). */
                feedback_id: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete one feedback row of a run
         * @description Threadgate/DeerFlow extension, not part of the LangGraph API. Deletes
         *     the row; 404 unless it is on this thread's run and the caller's.
         */
        delete: operations["deleteRunFeedbackById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/threads/{thread_id}/runs/crons": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Schedule runs on a thread
         * @description Creates a cron: from `next_run_date` on, at each slot of `schedule` (read in `timezone`),
         *     the scheduler starts an ordinary run from the RunCreate fields of the body, through the same
         *     admission as `createRun` (its multitask strategy applies when the thread is busy; a slot whose
         *     run is refused is skipped). A bad `schedule` or `timezone` is a 422 naming it, and nothing is
         *     written; an unknown assistant is a 404.
         *     The runs run on this thread (404 when it does not exist or is not the caller's); the cron
         *     is deleted with it.
         */
        post: operations["createThreadCron"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/crons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Schedule stateless runs
         * @description Creates a cron: from `next_run_date` on, at each slot of `schedule` (read in `timezone`),
         *     the scheduler starts an ordinary run from the RunCreate fields of the body, through the same
         *     admission as `createRun` (its multitask strategy applies when the thread is busy; a slot whose
         *     run is refused is skipped). A bad `schedule` or `timezone` is a 422 naming it, and nothing is
         *     written; an unknown assistant is a 404.
         *     Each run gets a new thread of its own, deleted when the run ends unless
         *     `on_run_completed` is `keep` (default `delete`).
         */
        post: operations["createCron"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/crons/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search crons
         * @description Lists the caller's crons matching all given filters, paginated with `limit`/`offset` and
         *     sorted by `sort_by`/`sort_order` (default: `created_at`, `desc`). With `select`, each cron
         *     has only the fields it names.
         */
        post: operations["searchCrons"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/crons/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count crons
         * @description Counts the caller's crons `searchCrons` would find with the same filters.
         */
        post: operations["countCrons"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/runs/crons/{cron_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The cron id (UUID). */
                cron_id: components["parameters"]["CronIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a cron
         * @description The cron; 404 when it does not exist or is another user's.
         */
        get: operations["getCron"];
        put?: never;
        post?: never;
        /**
         * Delete a cron
         * @description Deletes the cron; the runs it started stay as they are. 404 when it does not exist or is
         *     another user's.
         */
        delete: operations["deleteCron"];
        options?: never;
        head?: never;
        /**
         * Update a cron
         * @description Changes the given fields (see `CronPatch`) and returns the cron. A bad `schedule` or
         *     `timezone` is a 422 naming it, and nothing is written.
         */
        patch: operations["patchCron"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description A boolean flag in a query string. Clients send `true`/`false`; the
         *     official SDK sends `1`/`0`. Absent means false.
         * @enum {boolean|string}
         */
        QueryFlag: true | false | "true" | "false" | "1" | "0";
        /**
         * @description Body of every 4xx/5xx response. For 422, `detail` lists at most 100
         *     issues; when there were more, one more entry follows them with type
         *     `too_many_errors`, a `msg` of the form `"<n> more issues not listed"`,
         *     and as `loc` what the locations of the unlisted issues share (e.g.
         *     `["body", "ids"]`).
         */
        ErrorResponse: {
            /** @description A human-readable message, or the list of validation issues. */
            detail: string | components["schemas"]["ValidationIssue"][];
        };
        /** @description One request validation failure. */
        ValidationIssue: {
            /** @description Where the issue is, e.g. `["body", "limit"]` or `["query", "wait"]`. */
            loc: (string | number)[];
            /** @description Human-readable message. */
            msg: string;
            /**
             * @description Machine-readable issue kind: the JSON Schema keyword that failed
             *     (e.g. `type`, `minimum`, `required`, `format`), `json_invalid` for a
             *     body that is not JSON, `json_too_deep` for one nested deeper than
             *     the limit, `value_error` for a value the server refused, or
             *     `too_many_errors` for the entry counting unlisted issues.
             */
            type: string;
        };
        /**
         * @description An assistant id (a UUID, taken in any case or as `urn:uuid:…` and
         *     canonicalised to lowercase, as every `format: uuid` field is), or a graph
         *     name, which stands for that graph's system assistant.
         */
        AssistantIdOrGraph: string;
        /** @description A string, or a list of strings (repeated query parameter). */
        StringOrStringArray: string | string[];
        /**
         * @description Server version, feature flags and host, in the shape LangGraph Platform's `GET /info` answers
         *     (LangGraph Studio reads `flags` and `host`). The official reference lists a `metadata` object where
         *     the official server sends `host`; this follows the server. `langgraph_js_version` and `context`
         *     are LangGraph.js's server's fields in place of the Python server's `langgraph_py_version`.
         */
        ServerInfo: {
            /** @description Threadgate version. */
            version: string;
            /** @description Version of `@langchain/langgraph` in use. */
            langgraph_js_version: string;
            /**
             * @description Runtime flavour; always `js`.
             * @constant
             */
            context: "js";
            /**
             * @description Features this server has. A client (Studio, the SDK) only calls the endpoints of a feature
             *     flagged `true`, so a flag is `true` only for what works.
             */
            flags: {
                /** @description Assistant endpoints are available (always `true`). */
                assistants: boolean;
                /** @description Cron endpoints and a scheduler running them are available; Threadgate has both, so `true`. */
                crons: boolean;
                /** @description Runs are traced to LangSmith; `false`, Threadgate sends no traces. */
                langsmith: boolean;
                /** @description A run's trace can be written to more than one LangSmith project; `false`. */
                langsmith_tracing_replicas: boolean;
                /**
                 * @description A run's `langsmith_tracer.project_name` is honoured and the run reports it as
                 *     `langsmith_session_name`, so Studio can show its traces; `false`, the field is accepted and ignored.
                 */
                langsmith_tracing_session_on_runs: boolean;
            };
            /** @description Where the server runs. Threadgate is always self-hosted, with none of LangSmith's deployment ids. */
            host: {
                /**
                 * @description Always `self-hosted`.
                 * @constant
                 */
                kind: "self-hosted";
                /** @description LangSmith deployment project id; always null. */
                project_id: string | null;
                /** @description LangSmith host revision id; always null. */
                host_revision_id: string | null;
                /** @description LangSmith deployment revision id; always null. */
                revision_id: string | null;
                /** @description LangSmith workspace id; always null. */
                tenant_id: string | null;
            };
        };
        /** @description A configured graph. */
        Assistant: {
            /**
             * Format: uuid
             * @description Assistant id. System assistants have the UUIDv5 of their graph id.
             */
            assistant_id: string;
            /** @description Id of the graph this assistant runs. */
            graph_id: string;
            config: components["schemas"]["FreeFormObject"];
            context: components["schemas"]["FreeFormObject"];
            metadata: components["schemas"]["FreeFormObject"];
            /** @description Name; for system assistants, the graph id. */
            name: string;
            /** @description Optional description. */
            description: string | null;
            /** @description Version number. */
            version: number;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at: string;
        };
        /** @description Body of `searchAssistants`. */
        AssistantSearchRequest: {
            /** @description Only assistants of this graph. */
            graph_id?: string;
            /** @description Case-insensitive substring of the assistant name. */
            name?: string;
            metadata?: components["schemas"]["MetadataObject"];
            /**
             * @description Maximum number of assistants to return.
             * @default 10
             */
            limit?: number;
            /**
             * @description Number of assistants to skip.
             * @default 0
             */
            offset?: number;
            /**
             * @description Sort field (newest first by default); ties are broken by `name` (ascending), then `assistant_id`.
             * @default created_at
             * @enum {string}
             */
            sort_by?: "assistant_id" | "graph_id" | "name" | "created_at" | "updated_at";
            sort_order?: components["schemas"]["SortOrder"];
            /** @description Fields to return of each assistant (default all). */
            select?: components["schemas"]["AssistantField"][];
        };
        /**
         * @description A field of Assistant.
         * @enum {string}
         */
        AssistantField: "assistant_id" | "graph_id" | "config" | "context" | "metadata" | "name" | "description" | "version" | "created_at" | "updated_at";
        /** @description An assistant with the fields a search's `select` names (all of them without `select`), each as in Assistant. */
        AssistantSelection: {
            /**
             * Format: uuid
             * @description Assistant id.
             */
            assistant_id?: string;
            /** @description Id of the graph this assistant runs. */
            graph_id?: string;
            config?: components["schemas"]["FreeFormObject"];
            context?: components["schemas"]["FreeFormObject"];
            metadata?: components["schemas"]["FreeFormObject"];
            /** @description Name. */
            name?: string;
            /** @description Optional description. */
            description?: string | null;
            /** @description Version number. */
            version?: number;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at?: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at?: string;
        };
        /** @description One version of an assistant. */
        AssistantVersion: {
            /**
             * Format: uuid
             * @description Assistant id.
             */
            assistant_id: string;
            /** @description Id of the graph this version runs. */
            graph_id: string;
            config: components["schemas"]["FreeFormObject"];
            context: components["schemas"]["FreeFormObject"];
            metadata: components["schemas"]["FreeFormObject"];
            /** @description Name at this version. */
            name: string;
            /** @description Description at this version. */
            description: string | null;
            /** @description Version number. */
            version: number;
            /**
             * Format: date-time
             * @description When this version was written.
             */
            created_at: string;
        };
        /**
         * @description What creating an assistant whose id exists does - `raise` answers 409, `do_nothing` answers the existing one.
         * @default raise
         * @enum {string}
         */
        AssistantIfExists: "raise" | "do_nothing";
        /** @description Body of `createAssistant`. */
        AssistantCreate: {
            /**
             * Format: uuid
             * @description The id to create the assistant with (default a new UUID).
             */
            assistant_id?: string;
            /** @description Id of a registered graph. */
            graph_id: string;
            config?: components["schemas"]["FreeFormObject"];
            context?: components["schemas"]["FreeFormObject"];
            metadata?: components["schemas"]["MetadataObject"];
            if_exists?: components["schemas"]["AssistantIfExists"];
            /** @description Name (default `Untitled`). */
            name?: string;
            /** @description Optional description. */
            description?: string | null;
        };
        /** @description Body of `patchAssistant`. Given fields replace the latest version's; `metadata` is merged. */
        AssistantPatch: {
            /** @description Id of a registered graph. */
            graph_id?: string;
            config?: components["schemas"]["FreeFormObject"];
            context?: components["schemas"]["FreeFormObject"];
            metadata?: components["schemas"]["MetadataObject"];
            /** @description New name. */
            name?: string;
            /** @description New description. */
            description?: string | null;
        };
        /** @description Body of `countAssistants`. */
        AssistantCountRequest: {
            /** @description Only assistants of this graph. */
            graph_id?: string;
            /** @description Case-insensitive substring of the assistant name. */
            name?: string;
            metadata?: components["schemas"]["MetadataObject"];
        };
        /** @description Body of `listAssistantVersions`. */
        AssistantVersionsRequest: {
            metadata?: components["schemas"]["MetadataObject"];
            /**
             * @description Maximum number of versions to return.
             * @default 10
             */
            limit?: number;
            /**
             * @description Number of versions to skip.
             * @default 0
             */
            offset?: number;
        };
        /** @description Body of `setLatestAssistantVersion`. */
        AssistantLatestRequest: {
            /** @description The version to make latest. */
            version: number;
        };
        /**
         * @description A graph's nodes and edges as LangGraph draws them (`graph.getGraphAsync({xray}).toJSON()`
         *     of `@langchain/core/runnables/graph`), what LangGraph Studio renders. As the official server
         *     answers, each node's `data` object leaves out its `id` (LangChain's class path of the node's
         *     runnable).
         */
        DrawableGraph: {
            /** @description The graph's nodes, `__start__` first; with `xray`, a subgraph's nodes are named `<node>:<inner node>`. */
            nodes: components["schemas"]["DrawableGraphNode"][];
            /** @description The graph's edges. */
            edges: components["schemas"]["DrawableGraphEdge"][];
        };
        /** @description One node of a drawable graph. */
        DrawableGraphNode: {
            /** @description The node's id (its name; an index for a node LangGraph gave no name). */
            id: string | number;
            /** @description `runnable` for a node that runs code, `schema` for `__start__` and `__end__`. */
            type?: string;
            /** @description What the node is: `{name}` for a runnable, a JSON Schema for a schema node. */
            data?: Record<string, unknown> | string;
            /** @description The node's metadata (e.g. `__interrupt` for a node the graph interrupts at). */
            metadata?: Record<string, unknown>;
        };
        /** @description One edge of a drawable graph. */
        DrawableGraphEdge: {
            /** @description Id of the node the edge leaves. */
            source: string | number;
            /** @description Id of the node the edge enters. */
            target: string | number;
            /** @description The edge's label (a conditional edge's branch name), when it has one. */
            data?: string;
            /** @description Whether the edge is taken only on some condition. */
            conditional?: boolean;
        };
        /** @description A JSON Schema, or null when none could be derived from the graph. */
        JsonSchemaOrNull: Record<string, unknown> | null;
        /**
         * @description The JSON Schemas of a graph's input, output, state and configuration, derived from its
         *     `StateSchema` or zod state by `@langchain/langgraph` (`@langchain/langgraph/zod/schema`).
         *     A schema that cannot be derived (an `Annotation` state, a graph without a context schema)
         *     is null. As in LangGraph.js, `context_schema` is the graph's context schema, which is
         *     also its `config_schema`.
         */
        GraphSchemas: {
            /** @description The graph of the assistant. */
            graph_id: string;
            input_schema: components["schemas"]["JsonSchemaOrNull"];
            output_schema: components["schemas"]["JsonSchemaOrNull"];
            state_schema: components["schemas"]["JsonSchemaOrNull"];
            config_schema: components["schemas"]["JsonSchemaOrNull"];
            context_schema: components["schemas"]["JsonSchemaOrNull"];
        };
        /** @description The schemas of one subgraph, as `GraphSchemas` without `graph_id`. */
        SubgraphSchemas: {
            input_schema: components["schemas"]["JsonSchemaOrNull"];
            output_schema: components["schemas"]["JsonSchemaOrNull"];
            state_schema: components["schemas"]["JsonSchemaOrNull"];
            config_schema: components["schemas"]["JsonSchemaOrNull"];
            context_schema: components["schemas"]["JsonSchemaOrNull"];
        };
        /**
         * @description Subgraph namespace (the node's name; `parent|child` for a subgraph of a subgraph) to its
         *     schemas.
         */
        Subgraphs: {
            [key: string]: components["schemas"]["SubgraphSchemas"];
        };
        /**
         * @description `true` for every subgraph, `false` (or absent) for none, or a depth of at least 1: the
         *     subgraphs at most that many levels down.
         */
        XrayDepth: boolean | number | ("True" | "False");
        /**
         * @description Sort direction.
         * @enum {string}
         */
        SortOrder: "asc" | "desc";
        /** @description A JSON object with arbitrary keys. */
        FreeFormObject: {
            [key: string]: unknown;
        };
        /**
         * @description Metadata: a JSON object of at most 100 keys. Metadata travels with every run into the
         *     config of each runnable LangGraph calls, and LangChain copies it key by key for each one
         *     (a cost that grows with the square of the number of keys: 1,000 keys made a one-node run
         *     take seconds), so it is bounded; a thread's metadata stays within 100 keys after merges too.
         *     Put large data in the thread's state or in the store.
         */
        MetadataObject: {
            [key: string]: unknown;
        };
        /**
         * @description `idle`: no active run; `busy`: a run is pending or running;
         *     `interrupted`: the last run stopped at an interrupt; `error`: the last
         *     run failed.
         * @enum {string}
         */
        ThreadStatus: "idle" | "busy" | "interrupted" | "error";
        /** @description A thread (conversation). */
        Thread: {
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id: string;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at: string;
            /**
             * Format: date-time
             * @description When the thread's state last changed (a run ended, its state was updated, it was created with supersteps); its creation time before that.
             */
            state_updated_at: string;
            metadata: components["schemas"]["FreeFormObject"];
            status: components["schemas"]["ThreadStatus"];
            config: components["schemas"]["FreeFormObject"];
            /** @description State values at the latest checkpoint, cached when a run ends; `null` before the first run. */
            values: {
                [key: string]: unknown;
            } | null;
            /** @description Pending interrupts, keyed by task id. */
            interrupts: {
                [key: string]: unknown;
            };
            ttl?: components["schemas"]["ThreadTtlInfo"];
        };
        /**
         * @description What happens to a thread when its time to live runs out - `delete` removes it with its runs and checkpoints, `keep_latest` keeps it and only its latest checkpoint of each namespace.
         * @enum {string}
         */
        ThreadTtlStrategy: "delete" | "keep_latest";
        /** @description A thread's time to live - it is swept `ttl` minutes after its last update (a run, a state update, a patch), unless a run is pending or running on it then. */
        ThreadTtl: {
            strategy?: components["schemas"]["ThreadTtlStrategy"];
            /** @description Minutes from the thread's last update until it is swept. */
            ttl: number;
        };
        /** @description The thread's time to live (only with `include=ttl`; null when it has none) - its strategy, its minutes and when it expires (null after a `keep_latest` sweep until its next update). */
        ThreadTtlInfo: {
            strategy: components["schemas"]["ThreadTtlStrategy"];
            /** @description The time to live in minutes. */
            ttl_minutes: number;
            /**
             * Format: date-time
             * @description When the thread expires.
             */
            expires_at: string | null;
        } | null;
        /**
         * @description A field of Thread that a search can `select`.
         * @enum {string}
         */
        ThreadField: "thread_id" | "created_at" | "updated_at" | "state_updated_at" | "metadata" | "config" | "status" | "values" | "interrupts";
        /** @description A thread with the fields a search's `select` names (all of them without `select`), each as in Thread. */
        ThreadSelection: {
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id?: string;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at?: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at?: string;
            /**
             * Format: date-time
             * @description When the thread's state last changed.
             */
            state_updated_at?: string;
            metadata?: components["schemas"]["FreeFormObject"];
            status?: components["schemas"]["ThreadStatus"];
            config?: components["schemas"]["FreeFormObject"];
            /** @description State values at the latest checkpoint. */
            values?: {
                [key: string]: unknown;
            } | null;
            /** @description Pending interrupts, keyed by task id. */
            interrupts?: {
                [key: string]: unknown;
            };
        };
        /** @description Body of `createThread`. */
        ThreadCreate: {
            /**
             * Format: uuid
             * @description Id for the new thread; generated when omitted.
             */
            thread_id?: string;
            metadata?: components["schemas"]["MetadataObject"];
            /**
             * @description What to do when a thread with `thread_id` exists - `raise` answers 409, `do_nothing` returns it (and applies no `supersteps`).
             * @default raise
             * @enum {string}
             */
            if_exists?: "raise" | "do_nothing";
            ttl?: components["schemas"]["ThreadTtl"];
            /** @description State updates to start the thread with, applied by the graph `metadata.graph_id` names (required with them): one checkpoint per superstep, each update written as its `as_node` (LangGraph `bulkUpdateState`). All or nothing - a superstep LangGraph refuses is a 422 naming it, and no thread is created. */
            supersteps?: components["schemas"]["ThreadSuperstep"][] | null;
        };
        /** @description One superstep of `createThread`; its updates make one checkpoint. */
        ThreadSuperstep: {
            /** @description The updates of this superstep, each as if its node had returned it. */
            updates: {
                /** @description The values to write (an object, a list of updates, or null). */
                values?: unknown;
                /** @description A LangGraph command to write instead of `values`. */
                command?: ({
                    /** @description State update to apply. */
                    update?: unknown;
                    /** @description Value to resume an interrupt with. */
                    resume?: unknown;
                    /** @description Node(s) to go to; a node name, `{node, input}`, or a list of those. */
                    goto?: unknown;
                } & {
                    [key: string]: unknown;
                }) | null;
                /** @description The node the update is written as. */
                as_node: string;
            }[];
        };
        /** @description Body of `searchThreads`. */
        ThreadSearchRequest: {
            metadata?: components["schemas"]["MetadataObject"];
            /** @description Only threads with these ids. */
            ids?: string[];
            status?: components["schemas"]["ThreadStatus"];
            values?: components["schemas"]["FreeFormObject"];
            /**
             * @description Maximum number of threads to return.
             * @default 10
             */
            limit?: number;
            /**
             * @description Number of threads to skip.
             * @default 0
             */
            offset?: number;
            /**
             * @description Sort field.
             * @default created_at
             * @enum {string}
             */
            sort_by?: "thread_id" | "status" | "created_at" | "updated_at" | "state_updated_at";
            sort_order?: components["schemas"]["SortOrder"];
            /** @description Fields to return of each thread (default all). */
            select?: components["schemas"]["ThreadField"][];
        };
        /** @description Body of `countThreads`; the filters of `searchThreads`. */
        ThreadCountRequest: {
            metadata?: components["schemas"]["MetadataObject"];
            values?: components["schemas"]["FreeFormObject"];
            /** @description Only threads with these ids. */
            ids?: string[];
            status?: components["schemas"]["ThreadStatus"];
        };
        /** @description Body of `pruneThreads`. */
        ThreadPruneRequest: {
            /** @description The threads to prune. */
            thread_ids: string[];
            /**
             * @description `delete` removes each thread; `keep_latest` keeps it with only its latest checkpoint per namespace.
             * @default delete
             * @enum {string}
             */
            strategy?: "delete" | "keep_latest";
        };
        /** @description Answer of `pruneThreads`. */
        ThreadPruneResult: {
            /** @description How many of the named threads were pruned. */
            pruned_count: number;
        };
        /** @description Body of `patchThread`. */
        ThreadPatch: {
            metadata?: components["schemas"]["MetadataObject"];
            /** @description A new time to live, counted from this update; null takes the thread's away. */
            ttl?: components["schemas"]["ThreadTtl"] | null;
        };
        /** @description Identifies a checkpoint. */
        CheckpointRef: {
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id?: string;
            /** @description Checkpoint namespace; empty string for the root graph. */
            checkpoint_ns?: string;
            /**
             * Format: uuid
             * @description Checkpoint id.
             */
            checkpoint_id?: string;
            /** @description Checkpoint ids of parent namespaces, keyed by namespace. */
            checkpoint_map?: {
                [key: string]: unknown;
            } | null;
        };
        /** @description Body of `searchThreadHistory`. */
        ThreadHistoryRequest: {
            /**
             * @description Maximum number of states to return.
             * @default 10
             */
            limit?: number;
            /** @description Only states older than this checkpoint (a checkpoint reference or a checkpoint id). */
            before?: components["schemas"]["CheckpointRef"] | string;
            metadata?: components["schemas"]["MetadataObject"];
            checkpoint?: components["schemas"]["CheckpointRef"];
        };
        /** @description Body of `updateThreadState`. */
        ThreadStateUpdate: {
            /** @description The values to write (an object, a list of updates, or null). */
            values?: unknown;
            /** @description Write as if this node had returned the values (default is the last node that ran). */
            as_node?: string | null;
            /**
             * Format: uuid
             * @description Fork from this checkpoint instead of the latest.
             */
            checkpoint_id?: string | null;
            /** @description Fork from this checkpoint instead of the latest. */
            checkpoint?: components["schemas"]["CheckpointRef"] | null;
        };
        /** @description Body of `patchThreadState`. */
        ThreadStatePatch: {
            metadata: components["schemas"]["MetadataObject"];
            /**
             * Format: uuid
             * @description Patch this checkpoint (root namespace) instead of the latest.
             */
            checkpoint_id?: string | null;
            /** @description Patch this checkpoint (its namespace's latest without an id) instead of the latest. */
            checkpoint?: components["schemas"]["CheckpointRef"] | null;
        };
        /** @description Result of `updateThreadState`. */
        ThreadStateUpdateResult: {
            checkpoint: components["schemas"]["CheckpointRef"];
        };
        /** @description Body of `readThreadStateAtCheckpoint`. */
        ThreadStateCheckpointRequest: {
            checkpoint: components["schemas"]["CheckpointRef"];
            /** @description Include the state of subgraphs. */
            subgraphs?: boolean;
        };
        /** @description Body of `cancelRuns`; give `run_ids`, `thread_id` or `status`. */
        RunCancelMany: {
            /**
             * Format: uuid
             * @description Cancel the active runs of this thread (or, with `run_ids`, restrict them to it).
             */
            thread_id?: string | null;
            /** @description The runs to cancel. */
            run_ids?: string[] | null;
            /**
             * @description Cancel every run in this state.
             * @enum {string|null}
             */
            status?: "pending" | "running" | "all" | null;
        };
        /** @description A task of the next superstep. */
        ThreadTask: {
            /** @description Task id. */
            id: string;
            /** @description Node name. */
            name: string;
            /** @description Error message if the task failed. */
            error: string | null;
            /** @description Interrupts raised by the task. */
            interrupts: unknown[];
            /** @description Where the task comes from, e.g. `["__pregel_pull", "agent"]`. */
            path: unknown[];
            /** @description A subgraph task's checkpoint - its `thread_id` and `checkpoint_ns` (the ids once known); null for other tasks, and with `subgraphs=true`, where `state` carries the subgraph's checkpoint. */
            checkpoint: components["schemas"]["CheckpointRef"] | null;
            /** @description State of the task's subgraph (with `subgraphs=true`). */
            state: {
                [key: string]: unknown;
            } | null;
            /** @description What the task wrote, once it has run; null before. */
            result: unknown;
        };
        /** @description The state of a thread at one checkpoint. */
        ThreadState: {
            /** @description State values. */
            values: {
                [key: string]: unknown;
            } | unknown[];
            /** @description Nodes to run next; empty when the graph has finished. */
            next: string[];
            /** @description Tasks of the next superstep. */
            tasks: components["schemas"]["ThreadTask"][];
            /** @description Checkpoint metadata (source, step, run_id, ...). */
            metadata: {
                [key: string]: unknown;
            } | null;
            /** @description Checkpoint creation time. */
            created_at: string | null;
            /** @description This checkpoint; `null` for a thread without checkpoints. */
            checkpoint: components["schemas"]["CheckpointRef"] | null;
            /** @description The parent checkpoint, if any. */
            parent_checkpoint: components["schemas"]["CheckpointRef"] | null;
            /** @description Pending interrupts across tasks. */
            interrupts?: unknown[];
        };
        /**
         * @description What a thread's stream (`joinThreadStream`) carries. `run_modes` - every event each run stored, as it streamed it; `lifecycle` - a `lifecycle` event when a run starts and when it ends; `state_update` - a `state_update` event with the thread's values after each run.
         * @enum {string}
         */
        ThreadStreamMode: "lifecycle" | "run_modes" | "state_update";
        /**
         * @description Run lifecycle status.
         * @enum {string}
         */
        RunStatus: "pending" | "running" | "error" | "success" | "timeout" | "interrupted";
        /**
         * @description What to do when the thread already has an active run: `reject` the new
         *     run (409), `interrupt` or `rollback` the active run, or `enqueue` the new
         *     run behind it.
         * @enum {string}
         */
        MultitaskStrategy: "reject" | "rollback" | "interrupt" | "enqueue";
        /**
         * @description Stream modes known to the server.
         * @enum {string}
         */
        StreamMode: "values" | "messages" | "messages-tuple" | "updates" | "events" | "debug" | "custom" | "tasks" | "checkpoints" | "tools";
        /** @description LangGraph runnable config. Keys other than those listed are passed through. */
        RunConfig: {
            /** @description Tags for tracing. */
            tags?: string[];
            /** @description Maximum number of supersteps (at most 2^63-1, which Python clients send for "no limit"). */
            recursion_limit?: number;
            configurable?: components["schemas"]["FreeFormObject"];
            metadata?: components["schemas"]["MetadataObject"];
            /** @description Name of the run for tracing. */
            run_name?: string;
            /** @description Maximum number of parallel tasks (at most 2^63-1). */
            max_concurrency?: number;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description Body of `createRun`, `streamRun` and `waitRun`. Every optional field also
         *     accepts `null`, meaning "not set".
         */
        RunCreate: {
            assistant_id: components["schemas"]["AssistantIdOrGraph"];
            /** @description Graph input; any JSON value (`null` when resuming with `command`). */
            input?: unknown;
            /** @description A LangGraph command, used instead of `input` to resume or redirect the graph. */
            command?: ({
                /** @description State update to apply. */
                update?: unknown;
                /** @description Value to resume an interrupt with (or a map of interrupt id to value). */
                resume?: unknown;
                /** @description Node(s) to go to; a node name, `{node, input}`, or a list of those. */
                goto?: unknown;
            } & {
                [key: string]: unknown;
            }) | null;
            /**
             * Format: uuid
             * @description Start from this checkpoint of the thread.
             */
            checkpoint_id?: string | null;
            /** @description Start from this checkpoint of the thread. */
            checkpoint?: components["schemas"]["CheckpointRef"] | null;
            /** @description Metadata stored on the run (at most 100 keys, see MetadataObject). */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /** @description Config merged over the assistant's and the thread's config. */
            config?: components["schemas"]["RunConfig"] | null;
            /** @description Static runtime context merged over the assistant's context. */
            context?: {
                [key: string]: unknown;
            } | null;
            /**
             * Format: uri
             * @description URL that receives a POST with the run when it ends.
             */
            webhook?: string | null;
            /** @description Nodes to interrupt before; `"*"` for all nodes. */
            interrupt_before?: components["schemas"]["NodeSelection"] | null;
            /** @description Nodes to interrupt after; `"*"` for all nodes. */
            interrupt_after?: components["schemas"]["NodeSelection"] | null;
            /**
             * @description What to do with the run when a streaming client disconnects.
             * @default continue
             * @enum {string|null}
             */
            on_disconnect?: "cancel" | "continue" | null;
            /**
             * @description What to do when the thread already has an active run.
             * @default reject
             */
            multitask_strategy?: components["schemas"]["MultitaskStrategy"] | null;
            /**
             * @description Stream mode(s) for `streamRun` (default `["values"]`). Known modes:
             *     `values`, `messages`, `messages-tuple`, `updates`, `events`, `debug`,
             *     `custom`, `tasks`, `checkpoints`, `tools` (see `StreamMode`). Any
             *     string is accepted; unknown modes are ignored with a warning.
             */
            stream_mode?: components["schemas"]["StreamMode"] | string | string[] | null;
            /**
             * @description Also stream events from subgraphs (event names get a `|<namespace>` suffix).
             * @default false
             */
            stream_subgraphs?: boolean | null;
            /**
             * @description Keep the event log so clients can re-join with `Last-Event-ID`.
             * @default false
             */
            stream_resumable?: boolean | null;
            /** @description Delay before the run starts, in seconds (at most 315,360,000, i.e. 3,650 days). */
            after_seconds?: number | null;
            /**
             * @description What to do when the thread does not exist - `create` it, or `reject` (404).
             * @default reject
             * @enum {string|null}
             */
            if_not_exists?: "create" | "reject" | null;
            /**
             * @description Whether to delete or keep the thread after the run (stateless runs).
             * @enum {string|null}
             */
            on_completion?: "delete" | "keep" | null;
            /** @description Feedback keys to create presigned feedback URLs for. */
            feedback_keys?: string[] | null;
            /** @description LangSmith tracer settings (`project_name`, `example_id`). */
            langsmith_tracer?: {
                [key: string]: unknown;
            } | null;
            /** @description Write checkpoints during the run (older SDKs; see `durability`). */
            checkpoint_during?: boolean | null;
            /**
             * @description When checkpoints are persisted.
             * @enum {string|null}
             */
            durability?: "sync" | "async" | "exit" | null;
        };
        /** @description `"*"` for all nodes, or a list of node names. */
        NodeSelection: "*" | string[];
        /** @description Token usage of one model within a run. */
        ModelTokenUsage: {
            /** @description Input tokens. */
            input_tokens: number;
            /** @description Output tokens. */
            output_tokens: number;
            /** @description Total tokens. */
            total_tokens: number;
            /** @description Number of LLM calls. */
            calls: number;
        };
        /** @description A run of an assistant on a thread. */
        Run: {
            /**
             * Format: uuid
             * @description Run id.
             */
            run_id: string;
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id: string;
            /** @description Id of the assistant that runs. */
            assistant_id: string;
            /**
             * Format: date-time
             * @description Creation time (in the future for delayed runs).
             */
            created_at: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at: string;
            status: components["schemas"]["RunStatus"];
            metadata: components["schemas"]["FreeFormObject"];
            /** @description The request as accepted (input, command, config, context, stream_mode, ...). */
            kwargs: {
                [key: string]: unknown;
            };
            multitask_strategy: components["schemas"]["MultitaskStrategy"];
            /** @description Error message when the run failed. */
            error: string | null;
            /** @description Why the run stopped early (e.g. cancelled, interrupted), if it did. */
            stop_reason: string | null;
            /** @description 1, then one more each time the run is resumed from its last checkpoint because the worker executing it stopped (it died, or handed the run back when shutting down). The run's `metadata` stream events carry it too. A Threadgate field; LangGraph servers send none. */
            attempt: number;
            /** @description Input tokens over all LLM calls. */
            total_input_tokens: number;
            /** @description Output tokens over all LLM calls. */
            total_output_tokens: number;
            /** @description Total tokens over all LLM calls. */
            total_tokens: number;
            /** @description Number of LLM calls. */
            llm_call_count: number;
            /** @description Tokens used by the lead agent. */
            lead_agent_tokens: number;
            /** @description Tokens used by subagents. */
            subagent_tokens: number;
            /** @description Tokens used by middleware. */
            middleware_tokens: number;
            /** @description Number of messages recorded for the run. */
            message_count: number;
            /** @description Token usage per model name. */
            token_usage_by_model: {
                [key: string]: components["schemas"]["ModelTokenUsage"];
            };
            /**
             * @description The feedback on the run so far (a Threadgate/DeerFlow extension): how
             *     many ratings every user who may read the run gave it, and how many of
             *     each kind, as `GET …/feedback/stats` counts them. A run just created
             *     has none.
             */
            feedback: components["schemas"]["FeedbackSummary"];
        };
        /**
         * @description Final state values of the thread after the run. When the run failed,
         *     `{"__error__": {"error": "<error name>", "message": "<message>"}}`.
         */
        RunResult: {
            [key: string]: unknown;
        };
        /** @description One audit journal entry of a run. */
        JournalEntry: {
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id: string;
            /**
             * Format: uuid
             * @description Run id.
             */
            run_id: string;
            /** @description Thread-global, strictly increasing sequence number. */
            seq: number;
            /** @description Event type, e.g. `run.start`, `llm.human.input`, `llm.ai.response`, `run.end`. */
            event_type: string;
            /**
             * @description Entry category; `message` entries are the conversation.
             * @enum {string}
             */
            category: "message" | "trace" | "outputs" | "error";
            /** @description Entry payload; any JSON value. */
            content: unknown;
            metadata: components["schemas"]["FreeFormObject"];
            /**
             * Format: date-time
             * @description Time the entry was recorded.
             */
            created_at: string;
        };
        /** @description One page of journal entries. */
        JournalPage: {
            /** @description Entries, ascending by `seq`. */
            data: components["schemas"]["JournalEntry"][];
            /** @description More entries exist beyond this page. */
            has_more: boolean;
        };
        /** @description Token usage summed over a thread's runs. */
        ThreadTokenUsage: {
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id: string;
            /** @description Total tokens. */
            total_tokens: number;
            /** @description Input tokens. */
            total_input_tokens: number;
            /** @description Output tokens. */
            total_output_tokens: number;
            /** @description Number of runs counted. */
            total_runs: number;
            /** @description Usage per model name. */
            by_model: {
                [key: string]: {
                    /** @description Tokens used with this model. */
                    tokens: number;
                    /** @description Runs that used this model. */
                    runs: number;
                };
            };
            /** @description Usage per caller bucket. */
            by_caller: {
                /** @description Tokens used by the lead agent. */
                lead_agent: number;
                /** @description Tokens used by subagents. */
                subagent: number;
                /** @description Tokens used by middleware. */
                middleware: number;
            };
        };
        /** @description A namespace - a path of labels, e.g. `["users", "alice", "memories"]`. A label is a non-empty string without `.` (the SDK sends a namespace in a query string as its labels joined with `.`); a label that is empty or holds a `.` is a 422 naming it. */
        StoreNamespace: components["schemas"]["StoreNamespaceLabel"][];
        /** @description One label of a namespace - a non-empty string without `.`. */
        StoreNamespaceLabel: string;
        /** @description The namespace of an item - a namespace of one label at least (the root holds no items). */
        StoreItemNamespace: components["schemas"]["StoreNamespaceLabel"][];
        /** @description An item of the store, as LangGraph's `BaseStore` holds it - a JSON object under a key in a namespace, with when it was first put and when last. */
        StoreItem: {
            namespace: components["schemas"]["StoreNamespace"];
            /** @description The item's key within its namespace. */
            key: string;
            value: components["schemas"]["FreeFormObject"];
            /**
             * Format: date-time
             * @description When the item was first put.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When the item was last put.
             */
            updated_at: string;
        };
        /** @description The item, or null when there is none (with that namespace and key, among the caller's own). */
        StoreItemOrNull: components["schemas"]["StoreItem"] | null;
        /** @description An item a search found. A search with a `query` on a server with semantic search (langgraph.json `store.index`) ranks by meaning and gives each item its `score`. */
        StoreSearchItem: components["schemas"]["StoreItem"] & {
            /** @description The cosine similarity of the query to the item's closest embedded field (1 - cosine distance, so 1 is the same direction), present when the search had a `query` and the server an index. */
            score?: number;
        };
        /** @description Minutes the item is to live after it is put (or last read, with `refresh_ttl`). Absent or null: the server's default, langgraph.json `store.ttl.default_ttl` (none unless it is set: the item lives until deleted). An expired item is gone for every read at once, and swept from the database every `store.ttl.sweep_interval_minutes` (default 5). */
        StoreTtl: number | null;
        /** @description Body of `putStoreItem`. */
        StorePutRequest: {
            namespace: components["schemas"]["StoreItemNamespace"];
            /** @description The item's key within its namespace. */
            key: string;
            value: components["schemas"]["FreeFormObject"];
            /** @description Which fields of the value to embed for semantic search - `false` none (a search by `query` does not find the item), a list of paths in LangGraph's syntax (`text`, `a.b`, `items[*].title`, `$` for the whole value), absent or null langgraph.json's `store.index.fields`. Without `store.index` the server embeds nothing and this is ignored. */
            index?: false | string[] | null;
            ttl?: components["schemas"]["StoreTtl"];
        };
        /** @description Body of `deleteStoreItem`. */
        StoreDeleteRequest: {
            namespace?: components["schemas"]["StoreNamespace"];
            /** @description The key of the item to delete. */
            key: string;
        };
        /** @description Body of `searchStoreItems`. */
        StoreSearchRequest: {
            namespace_prefix?: components["schemas"]["StoreNamespace"];
            /** @description Only items whose value passes each of these top-level keys - a value that must be there and JSON-equal, or an object of LangGraph's operators: `$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte` (numbers with numbers, strings with strings), `$in`, `$nin` (a list), e.g. `{"score": {"$gte": 3}, "kind": {"$in": ["note", "todo"]}}`. A key the value lacks passes only `$ne` and `$nin`; an object with any other key is a value to equal. */
            filter?: components["schemas"]["FreeFormObject"] | null;
            /**
             * @description Maximum number of items to return.
             * @default 10
             */
            limit?: number;
            /**
             * @description Number of items to skip.
             * @default 0
             */
            offset?: number;
            /** @description A natural-language query. With langgraph.json `store.index`, the items of the prefix and filter that have embedded fields are ranked by their similarity to it, best first, each with its `score` (items put with `index: false`, or with none of the indexed fields, are not found). Without an index it ranks nothing: the items come in the usual order. */
            query?: string | null;
            /** @description Whether the items found start their time to live anew (absent or null: langgraph.json `store.ttl.refresh_on_read`, default true). */
            refresh_ttl?: boolean | null;
        };
        /** @description The items a search found, most recently put first (by similarity, best first, with a `query` and an index). */
        StoreSearchResult: {
            /** @description The items. */
            items: components["schemas"]["StoreSearchItem"][];
        };
        /** @description Body of `listStoreNamespaces`. */
        StoreListNamespacesRequest: {
            prefix?: components["schemas"]["StoreNamespace"];
            suffix?: components["schemas"]["StoreNamespace"];
            /** @description List namespaces cut to at most this many labels (several namespaces may be cut to one, listed once). */
            max_depth?: number | null;
            /**
             * @description Maximum number of namespaces to return.
             * @default 100
             */
            limit?: number;
            /**
             * @description Number of namespaces to skip.
             * @default 0
             */
            offset?: number;
        };
        /** @description The namespaces that hold items, sorted. */
        StoreNamespaceList: {
            /** @description The namespaces. */
            namespaces: components["schemas"]["StoreNamespace"][];
        };
        /**
         * @description 1 (thumbs up) or -1 (thumbs down).
         * @enum {integer}
         */
        FeedbackRating: 1 | -1;
        /** @description A comment, at most 4000 characters. */
        FeedbackComment: string | null;
        /** @description The caller's feedback on a run. */
        FeedbackPut: {
            rating: components["schemas"]["FeedbackRating"];
            comment?: components["schemas"]["FeedbackComment"];
        };
        /** @description New feedback on a run. */
        FeedbackCreate: {
            rating: components["schemas"]["FeedbackRating"];
            comment?: components["schemas"]["FeedbackComment"];
            /** @description The message the feedback is about (free text, not checked). */
            message_id?: string | null;
        };
        /** @description One user's feedback on a run (Threadgate/DeerFlow extension). */
        Feedback: {
            /**
             * Format: uuid
             * @description Feedback id.
             */
            feedback_id: string;
            /**
             * Format: uuid
             * @description Run id.
             */
            run_id: string;
            /**
             * Format: uuid
             * @description Thread id.
             */
            thread_id: string;
            /** @description Who gave it (the authenticated user; `local` without authentication). */
            user_id: string;
            /** @description The message it is about, if one was named. */
            message_id: string | null;
            rating: components["schemas"]["FeedbackRating"];
            /** @description The comment, if any. */
            comment: string | null;
            /**
             * Format: date-time
             * @description When it was created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description When it was last set.
             */
            updated_at: string;
        };
        /**
         * @description Counts of the feedback on a run, over every user who gave some (not only
         *     the caller's).
         */
        FeedbackSummary: {
            /** @description Feedback rows. */
            total: number;
            /** @description Rows rated 1. */
            positive: number;
            /** @description Rows rated -1. */
            negative: number;
        };
        /** @description Counts of the feedback on a run, over every user, with the run's id. */
        FeedbackStats: {
            /**
             * Format: uuid
             * @description Run id.
             */
            run_id: string;
        } & components["schemas"]["FeedbackSummary"];
        /**
         * @description The caller's feedback on the entry's run, on the run's last AI message
         *     (its last `llm.ai.response` entry over the whole run, whichever page it
         *     falls on); null on every other entry, and when the caller gave none.
         */
        AttachedFeedback: {
            /**
             * Format: uuid
             * @description Feedback id.
             */
            feedback_id: string;
            rating: components["schemas"]["FeedbackRating"];
            /** @description The comment, if any. */
            comment: string | null;
        } | null;
        /** @description A message entry of the journal, with the caller's feedback attached to a run's last AI message. */
        MessageEntry: components["schemas"]["JournalEntry"] & {
            feedback: components["schemas"]["AttachedFeedback"];
        };
        /** @description One page of message entries. */
        MessagePage: {
            /** @description Entries, ascending by `seq`. */
            data: components["schemas"]["MessageEntry"][];
            /** @description More entries exist beyond this page. */
            has_more: boolean;
        };
        /**
         * @description A cron expression: five fields (minute, hour, day of month, month, day of week), as LangGraph
         *     Platform takes it, or six with a leading seconds field (a Threadgate extension, e.g.
         *     `*\/2 * * * * *`). Read in `timezone` (UTC without one). An expression that cannot be parsed, or
         *     that never fires, is a 422 naming `schedule`.
         */
        CronSchedule: string;
        /** @description An IANA time zone the schedule is read in (e.g. `America/New_York`); UTC when null or absent. An unknown zone is a 422 naming `timezone`. */
        CronTimezone: string | null;
        /**
         * @description What a stateless cron does with the thread of each run when it ends (default `delete`); null on a thread's cron.
         * @enum {string|null}
         */
        CronOnRunCompleted: "delete" | "keep" | null;
        /** @description The fields a cron adds to a run's. */
        CronFields: {
            schedule: components["schemas"]["CronSchedule"];
            timezone?: components["schemas"]["CronTimezone"];
            /**
             * Format: date-time
             * @description No run is started after this time.
             */
            end_time?: string | null;
            /**
             * @description A disabled cron starts no runs until it is enabled again.
             * @default true
             */
            enabled?: boolean | null;
            on_run_completed?: components["schemas"]["CronOnRunCompleted"];
        };
        /**
         * @description Body of `createCron` and `createThreadCron`: the fields of a run (`RunCreate`, the payload of every
         *     run the cron starts) and the cron's own. `metadata` is the cron's and each run's.
         */
        CronCreate: components["schemas"]["RunCreate"] & components["schemas"]["CronFields"];
        /**
         * @description Body of `patchCron`: the fields to change. `metadata` is merged into the cron's (top-level keys
         *     replaced); the run fields replace those of the payload. A new `schedule`, `timezone`, `end_time` or
         *     `enabled` moves `next_run_date` to the first slot after now.
         */
        CronPatch: {
            schedule?: components["schemas"]["CronSchedule"];
            timezone?: components["schemas"]["CronTimezone"];
            /**
             * Format: date-time
             * @description No run is started after this time; null removes it.
             */
            end_time?: string | null;
            /** @description Turns the cron off (`false`) or on again (`true`). */
            enabled?: boolean | null;
            on_run_completed?: components["schemas"]["CronOnRunCompleted"];
            /** @description Merged into the cron's metadata (at most 100 keys, see MetadataObject). */
            metadata?: {
                [key: string]: unknown;
            } | null;
            /** @description Graph input of the runs. */
            input?: unknown;
            /** @description Config of the runs. */
            config?: components["schemas"]["RunConfig"] | null;
            /** @description Static runtime context of the runs. */
            context?: {
                [key: string]: unknown;
            } | null;
            /**
             * Format: uri
             * @description URL that receives a POST with each run when it ends.
             */
            webhook?: string | null;
            /** @description Nodes to interrupt before. */
            interrupt_before?: components["schemas"]["NodeSelection"] | null;
            /** @description Nodes to interrupt after. */
            interrupt_after?: components["schemas"]["NodeSelection"] | null;
            /** @description Stream mode(s) of the runs. */
            stream_mode?: string | string[] | null;
            /** @description Also stream events from subgraphs. */
            stream_subgraphs?: boolean | null;
            /** @description Keep the event log so clients can re-join. */
            stream_resumable?: boolean | null;
            /**
             * @description When checkpoints are persisted.
             * @enum {string|null}
             */
            durability?: "sync" | "async" | "exit" | null;
        };
        /** @description A schedule of runs, on a thread or (stateless) each on a new thread. */
        Cron: {
            /**
             * Format: uuid
             * @description Cron id.
             */
            cron_id: string;
            /** @description Id of the assistant its runs run. */
            assistant_id: string;
            /**
             * Format: uuid
             * @description The thread its runs run on; null for a stateless cron (a new thread per run).
             */
            thread_id: string | null;
            on_run_completed: components["schemas"]["CronOnRunCompleted"];
            /**
             * Format: date-time
             * @description No run is started after this time.
             */
            end_time: string | null;
            /** @description The cron expression. */
            schedule: string;
            /** @description The IANA time zone the schedule is read in; null is UTC. */
            timezone: string | null;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description Last update time.
             */
            updated_at: string;
            /** @description The run request each run is made from (the RunCreate fields given, without `assistant_id`). */
            payload: {
                [key: string]: unknown;
            };
            /** @description The user who created it (null without authentication). */
            user_id: string | null;
            /**
             * Format: date-time
             * @description When it starts its next run; null once `end_time` has passed or no slot remains.
             */
            next_run_date: string | null;
            metadata: components["schemas"]["FreeFormObject"];
            /** @description Whether it starts runs. */
            enabled: boolean;
        };
        /**
         * @description A field of Cron that a search can `select`, or `now`: the server's time when it answered (ISO 8601), to compare `next_run_date` with, as LangGraph Platform offers it.
         * @enum {string}
         */
        CronField: "cron_id" | "assistant_id" | "thread_id" | "on_run_completed" | "end_time" | "schedule" | "timezone" | "created_at" | "updated_at" | "payload" | "user_id" | "next_run_date" | "metadata" | "enabled" | "now";
        /** @description A cron with the fields a search's `select` names (all of them without `select`), each as in Cron. */
        CronSelection: {
            [key: string]: unknown;
        };
        /** @description Which crons a search or count takes; all given filters must match. */
        CronFilter: {
            /** @description Only crons of this assistant (its id, or a graph name for that graph's system assistant). */
            assistant_id?: string | null;
            /**
             * Format: uuid
             * @description Only the crons of this thread.
             */
            thread_id?: string | null;
            /** @description Only enabled (true) or disabled (false) crons. */
            enabled?: boolean | null;
            /** @description Only crons whose metadata has these keys with JSON-equal values. */
            metadata?: components["schemas"]["MetadataObject"] | null;
        };
        /** @description Body of `searchCrons`. */
        CronSearchRequest: components["schemas"]["CronFilter"] & {
            /**
             * @description Maximum number of crons to return.
             * @default 10
             */
            limit?: number;
            /**
             * @description Number of crons to skip.
             * @default 0
             */
            offset?: number;
            /**
             * @description Sort field.
             * @default created_at
             * @enum {string|null}
             */
            sort_by?: "cron_id" | "assistant_id" | "thread_id" | "created_at" | "updated_at" | "next_run_date" | null;
            /** @description Sort direction (default `desc`). */
            sort_order?: components["schemas"]["SortOrder"] | null;
            /** @description Fields to return of each cron (default all). */
            select?: components["schemas"]["CronField"][] | null;
        };
        /** @description A channel of events: `values`, `updates`, `messages`, `tools`, `lifecycle`, `input`, `checkpoints`, `tasks`, `custom`, or `custom:<name>` (custom events of that name). Unknown channels are accepted and deliver nothing. */
        ProtocolChannel: string;
        /** @description A namespace path in the agent tree (`[]` is the root graph; subgraph segments are `name:<task id>`). */
        ProtocolNamespace: string[];
        /** @description Which events a stream carries. Other properties are accepted and ignored. */
        ProtocolEventStreamRequest: {
            channels: components["schemas"]["ProtocolChannel"][];
            /** @description Only events whose namespace starts with one of these (a segment without `:` also matches `segment:<suffix>`). Absent: every namespace. */
            namespaces?: components["schemas"]["ProtocolNamespace"][];
            /** @description How many levels below each namespace prefix (below the root without `namespaces`). */
            depth?: number;
            /** @description Only events with a larger `seq` (a client that resumes where it was). */
            since?: number;
        } & {
            [key: string]: unknown;
        };
        /** @description One event, the `data:` of each SSE frame (the frame's `event:` is its `method`, its `id:` its `event_id`). `event_id` is stable: an event sent again on a reconnect has the same id. */
        ProtocolEvent: {
            /** @enum {string} */
            type: "event";
            /** @description `<run_id>:<n>`, unique on the thread. */
            event_id: string;
            /** @description Grows along the thread, across its runs. */
            seq: number;
            /** @description The channel, or `input.requested` (on channel `input`). `lifecycle` data is `{event: running|completed|interrupted|failed, error?}`; `input.requested` data is `{interrupt_id, payload}`; `messages` data is one message lifecycle event (`message-start`, `content-block-start|delta|finish`, `message-finish`). */
            method: string;
            params: {
                namespace: components["schemas"]["ProtocolNamespace"];
                /** @description Milliseconds since the epoch. */
                timestamp: number;
                node?: string;
                /** @description What the event carries, by method. */
                data: unknown;
            };
        };
        /** @description A command on the thread. Other properties are accepted and ignored. */
        ProtocolCommand: {
            /** @description The client's number for the command, echoed in the answer. */
            id: number;
            /** @description `run.start` (params `{assistant_id, input, config?, metadata?, multitask_strategy?}`; creates the thread when it does not exist), `input.respond` (params `{namespace, interrupt_id, response}` or `{responses: [...]}`, with `update?`, `goto?`), `state.get`. `agent.getTree`, `input.inject`, `state.listCheckpoints` and `state.fork` answer `not_supported`; the `subscription.*` commands belong to the WebSocket transport. */
            method: string;
            params?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        ProtocolSuccess: {
            /** @enum {string} */
            type: "success";
            id: number;
            /** @description `{run_id}` for the run commands, the thread state for `state.get`. */
            result: unknown;
            meta?: {
                [key: string]: unknown;
            };
        };
        ProtocolError: {
            /** @enum {string} */
            type: "error";
            id: number | null;
            /** @enum {string} */
            error: "invalid_argument" | "unknown_command" | "unknown_error" | "no_such_run" | "no_such_subscription" | "no_such_namespace" | "no_such_interrupt" | "no_such_checkpoint" | "permission_denied" | "not_supported";
            message: string;
        };
        ProtocolCommandResponse: components["schemas"]["ProtocolSuccess"] | components["schemas"]["ProtocolError"];
    };
    responses: {
        /** @description No credentials, or credentials this server does not accept (missing, malformed, expired, revoked, for another audience). `WWW-Authenticate` says which scheme to use; the detail says what was wrong without repeating the credential. */
        Unauthorized: {
            headers: {
                /** @description The scheme to authenticate with (`Bearer`), with an RFC 6750 error code for a bad token. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The caller is authenticated but may not do this (its permissions lack the operation's `x-permission`, or a custom auth handler refused). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The thread, run or assistant does not exist (or is not visible to the caller). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The request conflicts with the current state (e.g. the thread already exists, a run is active, the run has already ended, or the graph it needs failed to load when the server started). */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The path, query, headers or body failed validation; `detail` lists the issues. */
        ValidationError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description Unexpected server error. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /**
         * @description The server is shutting down and takes no new runs (runs in flight have their grace
         *     period). Retry after the number of seconds in `Retry-After`, or on another instance.
         */
        ShuttingDown: {
            headers: {
                /** @description Seconds after which the request may be retried. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        /** @description The thread id (UUID). */
        ThreadIdPath: string;
        /** @description The run id (UUID). */
        RunIdPath: string;
        /** @description The cron id (UUID). */
        CronIdPath: string;
        /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
        AssistantIdPath: components["schemas"]["AssistantIdOrGraph"];
        /**
         * @description Resume cursor: the `id` of the last event the client received. Events
         *     after it are sent; `-1` means replay from the first event.
         */
        LastEventIdHeader: string;
        /**
         * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
         *     connection): a key the client picks for this one request, e.g. a UUID.
         *     Sent again with the same body to the same place (the same thread, for
         *     the runs of a thread) within the retention window
         *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
         *     admission), it answers the run(s) the first request made instead of
         *     making new ones: the same Run, the same stream from its first event,
         *     the wait for the same run's end, the same batch (the create, stream and
         *     wait of one place share keys: a wait retried as a stream streams the
         *     same run). Of requests sent at once with one key, one makes the runs
         *     and the others get them. The same
         *     key with another body, or on another thread, is refused with 422
         *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
         *     deleted since (a stateless run's thread goes when it ends, unless
         *     `on_completion: keep`) answers 409. Keys are each caller's own: another
         *     user's key never matches. A request that was refused (404, 409, 422)
         *     stores no key, so it may be sent again with the same one. After the
         *     window the key is free, and a request with it makes new runs.
         */
        IdempotencyKeyHeader: string;
        /**
         * @description Cancel the run (action `interrupt`) if the client disconnects before it
         *     ends. The SDK sends `1`/`0` as well as `true`/`false`; the server
         *     coerces them.
         */
        CancelOnDisconnectQuery: components["schemas"]["QueryFlag"];
        /**
         * @description Wait until the run has stopped and answer 204 (otherwise 202 right
         *     away). The SDK sends `1`/`0` as well as `true`/`false`; the server
         *     coerces them.
         */
        CancelWaitQuery: components["schemas"]["QueryFlag"];
        /** @description `interrupt` stops the run and keeps its checkpoints; `rollback` also deletes the run and the checkpoints it wrote. */
        CancelActionQuery: "interrupt" | "rollback";
        /** @description Cancellation reason, as sent by newer SDKs. Accepted for compatibility and ignored. */
        CancelReasonQuery: string;
        /** @description Maximum number of entries to return. */
        MessageLimitQuery: number;
        /** @description Only return entries with a `seq` lower than this. */
        BeforeSeqQuery: number;
        /** @description Only return entries with a `seq` greater than this (oldest first from the cursor). */
        AfterSeqQuery: number;
    };
    requestBodies: never;
    headers: {
        /** @description Location of the created run, `/threads/{thread_id}/runs/{run_id}`. The SDK reads the run id from it before the first event. */
        ContentLocation: string;
        /** @description How many items match the filters in all (every page). */
        PaginationTotal: number;
        /** @description The `offset` of the next page; sent only when this page is full and more items follow. */
        PaginationNext: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Always `true`.
                         * @constant
                         */
                        ok: true;
                    };
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    getInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server version, feature flags and host. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerInfo"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    createAssistant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The graph, and optionally the id, config, context, metadata, name and description. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssistantCreate"];
            };
        };
        responses: {
            /** @description The created (or, with `if_exists=do_nothing`, the existing) assistant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assistant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    searchAssistants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Search filters, sorting, field selection and pagination. An empty body lists all assistants. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AssistantSearchRequest"];
            };
        };
        responses: {
            /** @description The matching assistants. */
            200: {
                headers: {
                    "X-Pagination-Total": components["headers"]["PaginationTotal"];
                    "X-Pagination-Next": components["headers"]["PaginationNext"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssistantSelection"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    countAssistants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The filters. An empty body counts all assistants. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AssistantCountRequest"];
            };
        };
        responses: {
            /** @description How many assistants match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": number;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getAssistant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The assistant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assistant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteAssistant: {
        parameters: {
            query?: {
                /** @description Also delete the assistant's threads. The SDK sends `true`/`false`. */
                delete_threads?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The id of the deleted assistant, in a list (as LangGraph Platform answers). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string[];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    patchAssistant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /** @description The fields to change. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AssistantPatch"];
            };
        };
        responses: {
            /** @description The assistant at its new version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assistant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listAssistantVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /** @description Metadata filter and pagination. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AssistantVersionsRequest"];
            };
        };
        responses: {
            /** @description The versions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssistantVersion"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    setLatestAssistantVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        /** @description The version to make latest. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssistantLatestRequest"];
            };
        };
        responses: {
            /** @description The assistant at that version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assistant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getAssistantGraph: {
        parameters: {
            query?: {
                /** @description Draw subgraphs too (`true`), or down to this depth (an integer of at least 1). */
                xray?: components["schemas"]["XrayDepth"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The drawable graph. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DrawableGraph"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getAssistantSchemas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The graph's schemas. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphSchemas"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getAssistantSubgraphs: {
        parameters: {
            query?: {
                /** @description Also list the subgraphs of subgraphs, at any depth. The SDK sends `true`/`false`; `1`/`0` are taken too. */
                recurse?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Namespace to the subgraph's schemas. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subgraphs"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getAssistantSubgraphsByNamespace: {
        parameters: {
            query?: {
                /** @description Also list the subgraphs of subgraphs, at any depth. The SDK sends `true`/`false`; `1`/`0` are taken too. */
                recurse?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The assistant id (UUID), or a graph name, which stands for that graph's system assistant. */
                assistant_id: components["parameters"]["AssistantIdPath"];
                /** @description The subgraph's namespace, e.g. `child`, or `parent|child` (URL-encoded) with `recurse`. */
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Namespace to the subgraph's schemas. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subgraphs"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createThread: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Optional id, metadata, conflict behaviour and supersteps. An empty body creates a thread with a new id. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ThreadCreate"];
            };
        };
        responses: {
            /** @description The created (or, with `if_exists=do_nothing`, the existing) thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    searchThreads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Search filters, sorting and pagination. An empty body lists all threads. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ThreadSearchRequest"];
            };
        };
        responses: {
            /** @description The matching threads. */
            200: {
                headers: {
                    "X-Pagination-Total": components["headers"]["PaginationTotal"];
                    "X-Pagination-Next": components["headers"]["PaginationNext"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadSelection"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    countThreads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The filters. An empty body counts all threads. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ThreadCountRequest"];
            };
        };
        responses: {
            /** @description How many threads match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": number;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    pruneThreads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The threads and the strategy. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadPruneRequest"];
            };
        };
        responses: {
            /** @description How many threads were pruned. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadPruneResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getThread: {
        parameters: {
            query?: {
                /** @description Extra fields to include, comma-separated or repeated. Supported - `ttl` (the thread's time to live, null when it has none); other values are ignored, as fields a newer client may ask for. */
                include?: components["schemas"]["StringOrStringArray"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteThread: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thread was deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    patchThread: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The metadata to merge. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ThreadPatch"];
            };
        };
        responses: {
            /** @description The updated thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getThreadState: {
        parameters: {
            query?: {
                /** @description Include the state of subgraphs in the `state` field of pending tasks. */
                subgraphs?: components["schemas"]["QueryFlag"];
                /** @description Field selection, as sent by the SDK. Accepted for compatibility and ignored. */
                select?: components["schemas"]["StringOrStringArray"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The current state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadState"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    updateThreadState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The update. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadStateUpdate"];
            };
        };
        responses: {
            /** @description The checkpoint the update created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadStateUpdateResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    patchThreadState: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The metadata to merge, and optionally which checkpoint. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadStatePatch"];
            };
        };
        responses: {
            /** @description The checkpoint's metadata was patched. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    readThreadStateAtCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The checkpoint to read. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadStateCheckpointRequest"];
            };
        };
        responses: {
            /** @description The state at that checkpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadState"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getThreadStateAtCheckpoint: {
        parameters: {
            query?: {
                /** @description Include the state of subgraphs in the `state` field of pending tasks. */
                subgraphs?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The checkpoint id (LangGraph checkpoint ids are UUIDs). */
                checkpoint_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The state at that checkpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadState"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listThreadHistory: {
        parameters: {
            query?: {
                /** @description Maximum number of states to return. */
                limit?: number;
                /** @description Only return states older than the checkpoint with this id. */
                before?: string;
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description States, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadState"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    searchThreadHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description History filters. An empty body returns the 10 newest states. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ThreadHistoryRequest"];
            };
        };
        responses: {
            /** @description States, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadState"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    copyThread: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    joinThreadStream: {
        parameters: {
            query?: {
                /** @description What the stream carries (repeated, or one value). Default `run_modes`. */
                stream_modes?: components["schemas"]["ThreadStreamMode"][];
                /** @description The same as `stream_modes`, under the name the JS SDK's `threads.joinStream` sends. */
                stream_mode?: components["schemas"]["ThreadStreamMode"][];
            };
            header?: {
                /**
                 * @description Where to resume. An id this stream sent (`<run_id>:<seq>`, `<run_id>:start`,
                 *     `<run_id>:state`, `<run_id>:end`): right after it, on into the runs made later. `-`: every
                 *     run the thread still has, from its first event. Absent (or empty): only what is published
                 *     from now on (the next events of a pending or running run, then the runs to come); once the
                 *     response's headers have arrived nothing published after them is missed. Anything else, or
                 *     the id of a run the thread does not have (any more): what the thread retains - from its
                 *     oldest pending or running run, or else its latest run, from that run's first event.
                 */
                "Last-Event-ID"?: string;
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Server-Sent Events: `event: <name>`, `data: <one line of JSON>`, `id: <run_id>:<...>`, then
             *     a blank line. The response carries `Location` (this path), where the JS SDK reconnects with
             *     the last id it got when the connection drops.
             */
            200: {
                headers: {
                    /** @description This stream's path, for the SDK to reconnect to. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    runProtocolCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The command. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProtocolCommand"];
            };
        };
        responses: {
            /** @description What the command did. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtocolCommandResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    streamProtocolEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The filter. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProtocolEventStreamRequest"];
            };
        };
        responses: {
            /**
             * @description Server-Sent Events: `id: <event_id>`, `event: <method>`, `data: <ProtocolEvent as one
             *     line of JSON>`, then a blank line.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listRuns: {
        parameters: {
            query?: {
                /** @description Maximum number of runs to return. */
                limit?: number;
                /** @description Number of runs to skip. */
                offset?: number;
                /** @description Only return runs with this status. */
                status?: components["schemas"]["RunStatus"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Runs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description The created run (status `pending` or `running`). */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    streamRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /**
             * @description Server-Sent Events stream of the run. Each frame is `event: <name>`,
             *     `data: <one line of JSON>` and `id: <per-run sequence number>` (a
             *     decimal string starting at "0"), followed by a blank line. The first
             *     event is `metadata` (`{"run_id": ..., "attempt": 1}`); then one event
             *     per chunk of each requested stream mode (named after the mode,
             *     `messages-tuple` chunks are named `messages`, subgraph chunks get a
             *     `|<namespace>` suffix); failures send `error` (`{"error", "message"}`).
             *     The response is finished after the run's last event, with no `end`
             *     event, as the official servers (THREADGATE_STREAM_END_EVENT=true adds
             *     a closing `end` event, data `null`). Lines starting with `:` are
             *     heartbeat comments.
             */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    waitRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description The final state values of the thread (or an `__error__` object). */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelRun: {
        parameters: {
            query?: {
                /**
                 * @description Wait until the run has stopped and answer 204 (otherwise 202 right
                 *     away). The SDK sends `1`/`0` as well as `true`/`false`; the server
                 *     coerces them.
                 */
                wait?: components["parameters"]["CancelWaitQuery"];
                /** @description `interrupt` stops the run and keeps its checkpoints; `rollback` also deletes the run and the checkpoints it wrote. */
                action?: components["parameters"]["CancelActionQuery"];
                /** @description Cancellation reason, as sent by newer SDKs. Accepted for compatibility and ignored. */
                reason?: components["parameters"]["CancelReasonQuery"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancellation requested (wait=false); the run stops shortly. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The run has stopped (wait=true). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    joinRun: {
        parameters: {
            query?: {
                /**
                 * @description Cancel the run (action `interrupt`) if the client disconnects before it
                 *     ends. The SDK sends `1`/`0` as well as `true`/`false`; the server
                 *     coerces them.
                 */
                cancel_on_disconnect?: components["parameters"]["CancelOnDisconnectQuery"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The final state values of the thread (or an `__error__` object). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    joinRunStream: {
        parameters: {
            query?: {
                /**
                 * @description Cancel the run (action `interrupt`) if the client disconnects before it
                 *     ends. The SDK sends `1`/`0` as well as `true`/`false`; the server
                 *     coerces them.
                 */
                cancel_on_disconnect?: components["parameters"]["CancelOnDisconnectQuery"];
                /** @description Stream modes, as sent by the SDK. Accepted and ignored; the run's own stream modes apply. */
                stream_mode?: components["schemas"]["StringOrStringArray"];
                /** @description Subgraph namespaces, as sent by the SDK. Accepted for compatibility and ignored. */
                namespace?: components["schemas"]["StringOrStringArray"];
                /** @description Checkpoint id, as sent by the SDK. Accepted for compatibility and ignored. */
                checkpoint_id?: string;
            };
            header?: {
                /**
                 * @description Resume cursor: the `id` of the last event the client received. Events
                 *     after it are sent; `-1` means replay from the first event.
                 */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events stream of the run (see `streamRun` for the frame format). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    controlRunStream: {
        parameters: {
            query?: {
                /** @description How to cancel the run before streaming. Omit to only stream. */
                action?: "interrupt" | "rollback";
                /**
                 * @description Wait until the run has stopped before answering. The SDK sends
                 *     `1`/`0` as well as `true`/`false`; the server coerces them.
                 */
                wait?: components["schemas"]["QueryFlag"];
            };
            header?: {
                /**
                 * @description Resume cursor: the `id` of the last event the client received. Events
                 *     after it are sent; `-1` means replay from the first event.
                 */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events stream of the run's remaining events (see `streamRun` for the frame format). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Cancellation requested and no stream was asked for. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The run has stopped (wait=true) and no stream was asked for. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createStatelessRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description The created run. */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    streamStatelessRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description Server-Sent Events stream of the run (see `streamRun`). */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    waitStatelessRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The run to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"];
            };
        };
        responses: {
            /** @description The final state values of the run. */
            200: {
                headers: {
                    "Content-Location": components["headers"]["ContentLocation"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    createRunBatch: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry (after a 5xx, a timeout or a dropped
                 *     connection): a key the client picks for this one request, e.g. a UUID.
                 *     Sent again with the same body to the same place (the same thread, for
                 *     the runs of a thread) within the retention window
                 *     (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 hours from the first
                 *     admission), it answers the run(s) the first request made instead of
                 *     making new ones: the same Run, the same stream from its first event,
                 *     the wait for the same run's end, the same batch (the create, stream and
                 *     wait of one place share keys: a wait retried as a stream streams the
                 *     same run). Of requests sent at once with one key, one makes the runs
                 *     and the others get them. The same
                 *     key with another body, or on another thread, is refused with 422
                 *     (`loc: ["header", "idempotency-key"]`); a retry whose runs have been
                 *     deleted since (a stateless run's thread goes when it ends, unless
                 *     `on_completion: keep`) answers 409. Keys are each caller's own: another
                 *     user's key never matches. A request that was refused (404, 409, 422)
                 *     stores no key, so it may be sent again with the same one. After the
                 *     window the key is free, and a request with it makes new runs.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The runs to create. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCreate"][];
            };
        };
        responses: {
            /** @description The created runs, in request order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ShuttingDown"];
        };
    };
    cancelRuns: {
        parameters: {
            query?: {
                /** @description `interrupt` stops the run and keeps its checkpoints; `rollback` also deletes the run and the checkpoints it wrote. */
                action?: components["parameters"]["CancelActionQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Which runs to cancel. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunCancelMany"];
            };
        };
        responses: {
            /** @description The matching runs have stopped. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    joinStatelessRunStream: {
        parameters: {
            query?: {
                /**
                 * @description Cancel the run (action `interrupt`) if the client disconnects before it
                 *     ends. The SDK sends `1`/`0` as well as `true`/`false`; the server
                 *     coerces them.
                 */
                cancel_on_disconnect?: components["parameters"]["CancelOnDisconnectQuery"];
            };
            header?: {
                /**
                 * @description Resume cursor: the `id` of the last event the client received. Events
                 *     after it are sent; `-1` means replay from the first event.
                 */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path: {
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events stream of the run (see `streamRun`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listThreadMessages: {
        parameters: {
            query?: {
                /** @description Maximum number of entries to return. */
                limit?: components["parameters"]["MessageLimitQuery"];
                /** @description Only return entries with a `seq` lower than this. */
                before_seq?: components["parameters"]["BeforeSeqQuery"];
                /** @description Only return entries with a `seq` greater than this (oldest first from the cursor). */
                after_seq?: components["parameters"]["AfterSeqQuery"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Message entries, ascending by `seq`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageEntry"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listRunMessages: {
        parameters: {
            query?: {
                /** @description Maximum number of entries to return. */
                limit?: components["parameters"]["MessageLimitQuery"];
                /** @description Only return entries with a `seq` lower than this. */
                before_seq?: components["parameters"]["BeforeSeqQuery"];
                /** @description Only return entries with a `seq` greater than this (oldest first from the cursor). */
                after_seq?: components["parameters"]["AfterSeqQuery"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of message entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagePage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listRunEvents: {
        parameters: {
            query?: {
                /** @description Comma-separated list of event types to return (e.g. `run.start,llm.ai.response`). Omit for all types. */
                event_types?: string;
                /** @description Maximum number of entries to return. */
                limit?: number;
                /** @description Only return entries with a `seq` greater than this. */
                after_seq?: number;
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JournalPage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getThreadTokenUsage: {
        parameters: {
            query?: {
                /** @description Also count runs that are still running. */
                include_active?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Token usage of the thread. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadTokenUsage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getStoreItem: {
        parameters: {
            query: {
                /** @description The item's key. */
                key: string;
                /** @description The namespace: its labels joined with `.` (`namespace=users.alice`, as the SDK sends it), or repeated, one part each. Absent or empty: the root namespace, which holds no items. */
                namespace?: string[];
                /** @description Whether the read starts the item's time to live anew (absent: langgraph.json `store.ttl.refresh_on_read`, default true). */
                refresh_ttl?: components["schemas"]["QueryFlag"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item, or null. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreItemOrNull"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    putStoreItem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The namespace, key and value. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["StorePutRequest"];
            };
        };
        responses: {
            /** @description The item was stored. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteStoreItem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The namespace and key. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["StoreDeleteRequest"];
            };
        };
        responses: {
            /** @description The item is gone (or never was). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    searchStoreItems: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Prefix, filter and pagination. An empty body lists the first 10 items. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["StoreSearchRequest"];
            };
        };
        responses: {
            /** @description The items found. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreSearchResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listStoreNamespaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Match conditions and pagination. An empty body lists the first 100 namespaces. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["StoreListNamespacesRequest"];
            };
        };
        responses: {
            /** @description The namespaces. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreNamespaceList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    listRunFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Feedback rows. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Feedback"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    putRunFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /** @description The rating and an optional comment. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeedbackPut"];
            };
        };
        responses: {
            /** @description The caller's feedback as stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Feedback"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createRunFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        /** @description The rating, an optional comment and the message it is about. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeedbackCreate"];
            };
        };
        responses: {
            /** @description The feedback created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Feedback"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRunFeedback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getRunFeedbackStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Feedback counts of the run. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedbackStats"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteRunFeedbackById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
                /** @description The run id (UUID). */
                run_id: components["parameters"]["RunIdPath"];
                /** @description The feedback id (UUID). */
                feedback_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createThreadCron: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The thread id (UUID). */
                thread_id: components["parameters"]["ThreadIdPath"];
            };
            cookie?: never;
        };
        /** @description The runs' fields and the schedule. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CronCreate"];
            };
        };
        responses: {
            /** @description The created cron. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cron"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    createCron: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The runs' fields and the schedule. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CronCreate"];
            };
        };
        responses: {
            /** @description The created cron. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cron"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    searchCrons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Filters, sorting and pagination. An empty body lists all crons. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CronSearchRequest"];
            };
        };
        responses: {
            /** @description The matching crons. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CronSelection"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    countCrons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The filters. An empty body counts all crons. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CronFilter"];
            };
        };
        responses: {
            /** @description How many crons match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": number;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    getCron: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The cron id (UUID). */
                cron_id: components["parameters"]["CronIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cron. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cron"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteCron: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The cron id (UUID). */
                cron_id: components["parameters"]["CronIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cron was deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FreeFormObject"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
    patchCron: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The cron id (UUID). */
                cron_id: components["parameters"]["CronIdPath"];
            };
            cookie?: never;
        };
        /** @description The fields to change. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["CronPatch"];
            };
        };
        responses: {
            /** @description The updated cron. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cron"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationError"];
            500: components["responses"]["InternalError"];
        };
    };
}
