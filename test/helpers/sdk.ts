/** Small readers over the official SDK Client that test files share. */
import { Client } from "@langchain/langgraph-sdk";

/** A Client of the server at `url` sending these headers with every call (a user's credentials), never retrying. */
export function clientWith(url: string, headers: Record<string, string>): Client {
  return new Client({ apiUrl: url, defaultHeaders: headers, callerOptions: { maxRetries: 0 } });
}

/** The message of the error a call rejects with (the SDK's carries the status and the detail); fails if it resolves. */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as Error).message);
  }
  throw new Error("expected the call to fail");
}
