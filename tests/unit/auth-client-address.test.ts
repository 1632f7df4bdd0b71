import { describe, expect, it } from "vitest";
import { PEER_HEADER, UNKNOWN_ADDRESS, clientAddress, normalizeAddress, parseTrustedProxies } from "@/lib/auth/client-address";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1, not-an-address");
const req = (peer: string | undefined, xff?: string) => ({ ...(peer !== undefined ? { [PEER_HEADER]: peer } : {}), ...(xff ? { "x-forwarded-for": xff } : {}) });

describe("clientAddress (issue 9 item 11: X-Forwarded-For only from configured proxies)", () => {
  it("no trusted proxies (the default): the socket's peer, whatever X-Forwarded-For says", () => {
    expect(clientAddress(req("203.0.113.7", "1.2.3.4"), none)).toBe("203.0.113.7");
    expect(clientAddress(req("::ffff:127.0.0.1", "9.9.9.9"), none)).toBe("127.0.0.1");
  });

  it("rotating X-Forwarded-For from an untrusted peer changes nothing", () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => clientAddress(req("198.51.100.2", `10.1.2.${i}`), proxies)));
    expect([...seen]).toEqual(["198.51.100.2"]);
  });

  it("from a trusted proxy: the right-most address that is not a trusted proxy", () => {
    expect(clientAddress(req("10.0.0.2", "203.0.113.9"), proxies)).toBe("203.0.113.9");
    // the client's own claim (left) is not believed past the first untrusted hop
    expect(clientAddress(req("10.0.0.2", "6.6.6.6, 203.0.113.9, 192.168.1.5"), proxies)).toBe("203.0.113.9");
    expect(clientAddress(req("::1", "2001:db8::5"), proxies)).toBe("2001:db8::5");
    // nothing forwarded, or garbage: the proxy itself
    expect(clientAddress(req("10.0.0.2"), proxies)).toBe("10.0.0.2");
    expect(clientAddress(req("10.0.0.2", "evil"), proxies)).toBe("10.0.0.2");
  });

  it("no peer (the app was not started through instrumentation.ts): one shared unknown address", () => {
    expect(clientAddress(req(undefined, "1.2.3.4"), none)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(req(undefined, "1.2.3.4"), proxies)).toBe(UNKNOWN_ADDRESS);
  });

  it("normalises addresses", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normalizeAddress("localhost")).toBeNull();
  });
});
