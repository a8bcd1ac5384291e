/**
 * WebhookPolicy, the check the server makes of a webhook URL at admission and at delivery, on real
 * addresses and the system resolver (`localhost`): what it lets through, what it refuses and why, and
 * that its agent connects only to addresses that passed (the guard against DNS rebinding between the
 * check and the connection, which cannot be staged over HTTP without a DNS server of the test's own).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookAddressRefused, WebhookPolicy } from "../../src/runtime/webhooks/policy.ts";

const LOOPBACK = ["127.0.0.1", "::1"];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A local receiver that answers 200 and counts what it got. */
async function receiver() {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      received.push(text);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { port: (server.address() as AddressInfo).port, received };
}

describe("WebhookPolicy (the check the server runs at admission and at delivery)", () => {
  const strict = new WebhookPolicy();

  it("lets public addresses through, in every form", async () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(strict.refusal(address), address).toBeNull();
    }
    expect(await strict.check("http://8.8.8.8/hook")).toBeNull();
    expect(await strict.check("https://[2606:4700:4700::1111]:8443/hook")).toBeNull();
    expect(await strict.check("http://134744072/hook")).toBeNull(); // 8.8.8.8
  });

  it("refuses special-purpose addresses by their range", () => {
    const cases: [string, RegExp][] = [
      ["127.0.0.1", /loopback/],
      ["::1", /loopback/],
      ["::ffff:127.0.0.1", /loopback/],
      ["::ffff:10.0.0.1", /private/],
      ["10.0.0.1", /private/],
      ["169.254.169.254", /link-local/],
      ["fe80::1", /link-local/],
      ["fc00::1", /unique-local/],
      ["0.0.0.0", /unspecified/],
      ["::", /unspecified/],
      ["192.0.2.1", /special-purpose \(reserved\)/],
      ["64:ff9b::7f00:1", /special-purpose/], // NAT64 of 127.0.0.1
      ["2002:7f00:1::", /special-purpose/], // 6to4 of 127.0.0.1
    ];
    for (const [address, why] of cases) expect(strict.refusal(address), address).toMatch(why);
  });

  it("resolves names with the system resolver: localhost is refused, unless listed by name or address", async () => {
    expect(await strict.check("http://localhost:8123/hook")).toMatch(
      /localhost resolves to 127\.0\.0\.1 is a loopback/,
    );
    expect(await new WebhookPolicy(["localhost"]).check("http://localhost:8123/hook")).toBeNull();
    expect(await new WebhookPolicy(["LOCALHOST."]).check("http://Localhost:8123/hook")).toBeNull();
    expect(await new WebhookPolicy(LOOPBACK).check("http://localhost:8123/hook")).toBeNull();
  });

  it("its lookup refuses a name that resolves to a refused address, and passes allowed ones on", async () => {
    const lookup = (policy: WebhookPolicy, all: boolean) =>
      new Promise<{ err: Error | null; address: unknown }>((resolve) =>
        policy.lookup("localhost", { all }, (err, address) => resolve({ err, address })),
      );
    const refused = await lookup(strict, true);
    expect(refused.err).toBeInstanceOf(WebhookAddressRefused);
    expect(refused.err!.message).toMatch(/localhost resolves to 127\.0\.0\.1 is a loopback address/);
    const byAddress = await lookup(new WebhookPolicy(LOOPBACK), true);
    expect(byAddress.err).toBeNull();
    expect(byAddress.address).toEqual(expect.arrayContaining([expect.objectContaining({ address: "127.0.0.1" })]));
    const single = await lookup(new WebhookPolicy(["localhost"]), false);
    expect(single.err).toBeNull();
    expect(single.address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it("its agent connects only to addresses that pass: a request to localhost never reaches the receiver", async () => {
    const hook = await receiver();
    const url = `http://localhost:${hook.port}/hook`;
    const agent = strict.createAgent();
    try {
      const err = await request(url, { method: "POST", body: "{}", dispatcher: agent }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebhookAddressRefused);
      expect(hook.received).toEqual([]);
    } finally {
      await agent.close();
    }
    // The same request through the agent of a policy that allows loopback addresses arrives.
    const allowing = new WebhookPolicy(LOOPBACK).createAgent();
    try {
      const res = await request(url, { method: "POST", body: "{}", dispatcher: allowing });
      await res.body.dump();
      expect(res.statusCode).toBe(200);
      expect(hook.received).toHaveLength(1);
    } finally {
      await allowing.close();
    }
  });
});
