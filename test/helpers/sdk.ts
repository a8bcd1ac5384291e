/** Small readers over the official SDK Client that test files share. */

/** The message of the error a call rejects with (the SDK's carries the status and the detail); fails if it resolves. */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as Error).message);
  }
  throw new Error("expected the call to fail");
}
