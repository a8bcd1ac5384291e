/**
 * Where webhooks may go. A webhook POSTs a run's full values to a URL the caller chose, so by default it
 * may only reach public (global unicast) addresses: never loopback, private, link-local (which holds the
 * cloud metadata service, 169.254.169.254), unique-local, carrier-grade NAT, multicast, reserved or any
 * other special range, including those ranges written as IPv4-mapped IPv6 (`::ffff:127.0.0.1`).
 * ipaddr.js classifies the addresses: it keeps the IANA special-purpose tables, so none are written here.
 *
 * THREADGATE_WEBHOOK_ALLOWED_HOSTS lists what bypasses that check: a hostname matches the URL's host
 * (`hooks.internal`); an IP address or CIDR (`127.0.0.1`, `10.0.0.0/8`, `::1`) matches the addresses the
 * URL's host is, or resolves to; `*` allows everything.
 *
 * A URL is checked when a run is created and again at each delivery, where the connection is also made
 * only to addresses that passed: `lookup` replaces the socket's DNS lookup, so a name that resolves to
 * a public address for the check and to a private one a moment later (DNS rebinding) is still refused.
 */
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** The error a refused address fails a connection with (`code` tells it from network errors). */
export class WebhookAddressRefused extends Error {
  readonly code = "ERR_WEBHOOK_ADDRESS_REFUSED";
}

const RANGE_NAMES: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "link-local (cloud metadata services live here)",
  uniqueLocal: "unique-local (private)",
  carrierGradeNat: "carrier-grade NAT (shared private)",
  unspecified: "unspecified",
};

/** Strips the brackets of an IPv6 host and a trailing dot, as hosts are compared. */
function bareHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

export class WebhookPolicy {
  private readonly anyHost: boolean;
  private readonly names = new Set<string>();
  private readonly ranges: [Address, number][] = [];

  /** `allowed`: THREADGATE_WEBHOOK_ALLOWED_HOSTS's entries. A malformed CIDR throws. */
  constructor(allowed: readonly string[] = []) {
    this.anyHost = allowed.includes("*");
    for (const raw of allowed) {
      const entry = bareHost(raw.trim());
      if (!entry || entry === "*") continue;
      if (entry.includes("/")) {
        try {
          this.ranges.push(ipaddr.parseCIDR(entry));
        } catch {
          throw new Error(`THREADGATE_WEBHOOK_ALLOWED_HOSTS: "${raw}" is not a valid CIDR`);
        }
      } else if (net.isIP(entry)) {
        const address = ipaddr.parse(entry);
        this.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
      } else {
        this.names.add(entry);
      }
    }
  }

  /** Why no webhook may go to this address, or null if it may. */
  refusal(address: string): string | null {
    if (this.anyHost) return null;
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    const parsed = ipaddr.parse(address);
    // IPv4-mapped IPv6 is the IPv4 address; both forms are matched against the allowed list.
    const plain = ipaddr.process(address);
    if (this.ranges.some(([net, bits]) => inRange(parsed, net, bits) || inRange(plain, net, bits))) return null;
    const range = plain.range();
    if (range === "unicast") return null;
    return `${address} is a ${RANGE_NAMES[range] ?? `special-purpose (${range})`} address`;
  }

  /**
   * Why a webhook may not go to this URL, or null if it may: it must be http(s), and its host must be
   * allowed by name or be, or resolve only to, addresses `refusal` lets through.
   */
  async check(url: string): Promise<string | null> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return "not a valid URL";
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return `only http and https URLs receive webhooks, not ${parsed.protocol}`;
    }
    // The URL parser has already normalised numeric hosts: http://2130706433/ is 127.0.0.1.
    const host = bareHost(parsed.hostname);
    if (this.anyHost || this.names.has(host)) return null;
    const why = net.isIP(host) ? this.refusal(host) : await this.resolvedRefusal(host);
    return why && `${why}; ${ALLOW_HINT}`;
  }

  /**
   * A drop-in for `dns.lookup` for the webhook's sockets: it resolves as usual, then fails unless every
   * address passes (names on the allowed list are resolved unchecked). The socket connects to what it
   * returns, so what was checked is what is connected to.
   */
  readonly lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!this.anyHost && !this.names.has(bareHost(hostname))) {
        for (const { address } of addresses) {
          const why = this.refusal(address);
          if (why) return callback(new WebhookAddressRefused(`${hostname} resolves to ${why}`), []);
        }
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  /** An HTTP agent whose connections go only where `lookup` lets them (what webhooks are sent through). */
  createAgent(): Agent {
    return new Agent({ connect: { lookup: this.lookup } });
  }

  private async resolvedRefusal(host: string): Promise<string | null> {
    let addresses: dns.LookupAddress[];
    try {
      addresses = await dns.promises.lookup(host, { all: true });
    } catch (err) {
      return `${host} could not be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    for (const { address } of addresses) {
      const why = this.refusal(address);
      if (why) return `${host} resolves to ${why}`;
    }
    return null;
  }
}

const ALLOW_HINT =
  "webhooks may not reach loopback, private, link-local or other special-purpose addresses " +
  "unless THREADGATE_WEBHOOK_ALLOWED_HOSTS lists the host";

function inRange(address: Address, range: Address, bits: number): boolean {
  return address.kind() === range.kind() && address.match(range, bits);
}
