// Who is on the other end of a sign-in: the address the login throttle keys on.
//
// X-Forwarded-For is written by whoever sends the request, so it is believed only when the
// socket's peer is a proxy the operator named in TRUSTED_PROXIES (addresses or CIDR ranges,
// comma-separated; default none). Then the client is the right-most address of the chain that
// is not itself a trusted proxy (the left part of the chain is the client's own claim).
//
// The socket's peer: Next.js does not hand it to route handlers. It only writes it into
// x-forwarded-for when the client sent none, so a client that sends one hides it.
// instrumentation.ts therefore copies the socket's address into PEER_HEADER on every request
// before Next sees it, overwriting anything a client sent under that name. Without it (the app
// started some other way) the peer is unknown and every such client shares one throttle key
// per account: slower for everyone, never a way around the throttle.
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-chaohe-peer";
export const UNKNOWN_ADDRESS = "unknown";

/** "::ffff:10.0.0.1" → "10.0.0.1"; trims; null when not an IP address. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]")); // [v6]:port
  a = a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":")); // v4:port
  return isIP(a) ? a.toLowerCase() : null;
}

export type TrustedProxies = { list: BlockList; any: boolean };

/** TRUSTED_PROXIES → a matcher. Entries that are not addresses or ranges are ignored. */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new BlockList();
  let any = false;
  for (const raw of (spec ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addr, bits] = entry.split("/");
    const a = normalizeAddress(addr);
    if (!a) continue;
    const type = isIP(a) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(a, type);
    else if (/^\d{1,3}$/.test(bits)) list.addSubnet(a, Number(bits), type);
    else continue;
    any = true;
  }
  return { list, any };
}

function trusted(p: TrustedProxies, addr: string): boolean {
  return p.any && p.list.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4");
}

type Headers = Record<string, unknown> | undefined;

function header(h: Headers, name: string): string | null {
  const v = h?.[name];
  const s = Array.isArray(v) ? v.join(",") : v;
  return typeof s === "string" && s ? s : null;
}

/** The client's address for throttling, or UNKNOWN_ADDRESS. */
export function clientAddress(headers: Headers, proxies: TrustedProxies): string {
  const peer = normalizeAddress(header(headers, PEER_HEADER));
  if (!peer) return UNKNOWN_ADDRESS;
  if (!trusted(proxies, peer)) return peer;
  const chain = (header(headers, "x-forwarded-for") ?? "").split(",").map((s) => normalizeAddress(s));
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i];
    if (!hop) return peer; // a malformed hop: trust nothing beyond the last good proxy
    if (!trusted(proxies, hop)) return hop;
  }
  return chain.length && chain[0] ? chain[0] : peer;
}

let fromEnv: { spec: string | undefined; parsed: TrustedProxies } | null = null;
/** TRUSTED_PROXIES of this process, parsed once. */
export function trustedProxies(): TrustedProxies {
  const spec = process.env.TRUSTED_PROXIES;
  if (!fromEnv || fromEnv.spec !== spec) fromEnv = { spec, parsed: parseTrustedProxies(spec) };
  return fromEnv.parsed;
}
