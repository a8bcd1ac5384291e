/**
 * The store of graphs in a graph worker thread: each batch is posted to the server thread, whose
 * StoreService carries it out (one place for the store's semantics and its database connection), and
 * its answer resolves the batch. A failure there is thrown here, with its name and message.
 */
import type { StoreGateway, StoreOp, StoreOpResult } from "../../store/operations.ts";
import type { FromGraphWorker, ToGraphWorker } from "./protocol.ts";

type StoreResult = Extract<ToGraphWorker, { type: "store-result" }>;

export class StoreProxy implements StoreGateway {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: StoreOpResult[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly send: (message: FromGraphWorker) => void) {}

  batch(owner: string | null, ops: readonly StoreOp[]): Promise<StoreOpResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ type: "store", id, owner, ops: [...ops] });
    });
  }

  /** The server thread's answer. */
  answer({ id, results, error }: StoreResult): void {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    if (!waiting) return;
    if (error) waiting.reject(Object.assign(new Error(error.message), { name: error.name }));
    else waiting.resolve(results ?? []);
  }
}

/** How the server thread answers a worker's store batch (pool.ts). */
export async function answerStoreBatch(
  gateway: StoreGateway,
  { id, owner, ops }: Extract<FromGraphWorker, { type: "store" }>,
  post: (message: ToGraphWorker) => void,
): Promise<void> {
  try {
    post({ type: "store-result", id, results: await gateway.batch(owner, ops) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: "store-result", id, error: { name: e.name, message: e.message } });
  }
}
