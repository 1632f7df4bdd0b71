// Issue 9 items 8, 10 and 11, each through next-auth's own entry points only (the credentials
// provider's authorize with the request's headers, the jwt callback every request runs, the
// sign-out event, the /api/auth/session handler), so the same file runs against the code before
// the fix and fails there for the reason the issue names.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import path from "node:path";
import type { NextAuthOptions } from "next-auth";
import { encode } from "next-auth/jwt";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { resetLoginThrottles } from "@/lib/auth/login";

process.env.NEXTAUTH_SECRET ??= "integration-tests-nextauth-secret-0123456789";
process.env.NEXTAUTH_URL ??= "http://localhost:3000";
const { authOptions } = (await import("@/lib/auth/options")) as { authOptions: NextAuthOptions };
type Handler = (p: { req: Record<string, unknown>; options: NextAuthOptions }) => Promise<{ body?: unknown; cookies?: { name: string; value: string }[] }>;
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as { AuthHandler: Handler };

const PW = "Right-pass-1";
const PEER = "x-chaohe-peer"; // the socket's address, as instrumentation.ts hands it over
const MIN = 60_000;
type Token = Record<string, unknown>;
type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;
let stationId: number;

async function makeUser(username: string, role: "CLERK" | "MANAGER" = "CLERK") {
  return prisma.user.create({ data: { stationId, username, name: username, role, passwordHash: await hashPassword(PW) } });
}

const attempt = (username: string, password: string, headers: Record<string, string>) =>
  authorize({ username, password }, { headers }).then(
    () => "OK",
    (e: Error) => e.message.split(":")[0],
  );

async function signIn(username: string): Promise<Token> {
  const user = await authorize({ username, password: PW }, { headers: { [PEER]: "192.0.2.77" } });
  return (await authOptions.callbacks!.jwt!({ token: {}, user: user as never, account: null } as never)) as Token;
}

/** One request with this cookie's token: the jwt callback, as getServerSession runs it. */
const live = (token: Token) =>
  Promise.resolve(authOptions.callbacks!.jwt!({ token: { ...token } } as never)).then(
    () => true,
    () => false,
  );

async function sessionEndpoint(token: Token) {
  const cookie = await encode({ token, secret: process.env.NEXTAUTH_SECRET! });
  const res = await AuthHandler({
    req: { action: "session", method: "GET", cookies: { "next-auth.session-token": cookie }, headers: { host: "localhost:3000" } },
    options: authOptions,
  });
  const fresh = (res.cookies ?? []).find((c) => c.name === "next-auth.session-token" && c.value !== "");
  return { body: (res.body ?? {}) as Record<string, unknown>, fresh: !!fresh };
}

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "H9", name: "加固所" } })).id;
});
beforeEach(() => resetLoginThrottles());
afterEach(() => vi.useRealTimers());

describe("item 8: sign-out ends a session, and a session expires", () => {
  it("a token saved before sign-out opens nothing after it, and /api/auth/session gives it no fresh token", async () => {
    await makeUser("s8a");
    const token = await signIn("s8a");
    expect(await live(token)).toBe(true);
    expect((await sessionEndpoint(token)).fresh).toBe(true);
    await authOptions.events!.signOut!({ token } as never);
    expect(await live(token)).toBe(false);
    const after = await sessionEndpoint(token);
    expect(after.body).toEqual({});
    expect(after.fresh).toBe(false);
  });

  it("a session unused for 30 minutes is over", async () => {
    await makeUser("s8b");
    const token = await signIn("s8b");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 25 * MIN);
    expect(await live(token)).toBe(true);
    vi.setSystemTime(Date.now() + 31 * MIN);
    expect(await live(token)).toBe(false);
  });

  it("a session in use is over 12 hours after sign-in", async () => {
    await makeUser("s8c");
    const token = await signIn("s8c");
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    for (let m = 20; m <= 700; m += 20) {
      vi.setSystemTime(start + m * MIN); // used every 20 minutes
      expect(await live(token), `minute ${m}`).toBe(true);
    }
    vi.setSystemTime(start + 721 * MIN);
    expect(await live(token)).toBe(false);
  });
});

describe("item 10: managers sign in with a second factor", () => {
  it("a manager's password alone gives no session that reaches the app: only enrolment", async () => {
    await makeUser("m10", "MANAGER");
    const token = await signIn("m10");
    const { body } = await sessionEndpoint(token);
    expect(body).toMatchObject({ live: { user: { username: "m10", role: "MANAGER" }, pending: "ENROL_TOTP" } });
  });
});

describe("item 11: the throttle keys on the real peer and never locks an account for everyone", () => {
  // a frozen clock: whether a wait is still running must not depend on how fast this machine hashes
  const freeze = (at: number) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at);
  };

  it("rotating X-Forwarded-For from an untrusted peer does not reset the address's throttle", async () => {
    delete process.env.TRUSTED_PROXIES;
    await makeUser("victim11");
    freeze(Date.now());
    // a password sprayed over 31 usernames from one machine, a new forged address each time
    for (let i = 0; i < 31; i++) await attempt(`nobody${i}`, "Spray-123", { [PEER]: "203.0.113.31", "x-forwarded-for": `10.0.${i}.1` });
    expect(await attempt("victim11", PW, { [PEER]: "203.0.113.31", "x-forwarded-for": "10.0.99.1" })).toBe("TOO_MANY_ATTEMPTS");
  }, 120_000);

  it("loopback is not exempt", async () => {
    await makeUser("local11");
    freeze(Date.now());
    for (let i = 0; i < 31; i++) await attempt(`loop${i}`, "Spray-123", { [PEER]: "127.0.0.1", "x-forwarded-for": "127.0.0.1" });
    expect(await attempt("local11", PW, { [PEER]: "127.0.0.1", "x-forwarded-for": "127.0.0.1" })).toBe("TOO_MANY_ATTEMPTS");
  }, 120_000);

  it("failures from address A do not block the account from address B", async () => {
    await makeUser("owner11");
    const A = { [PEER]: "198.51.100.11", "x-forwarded-for": "198.51.100.11" };
    const t0 = Date.now();
    freeze(t0);
    // each guess after the previous wait is over, so every one counts
    for (const [i, at] of [0, 0, 0, 0, 0, 1_100, 3_200, 7_300].entries()) {
      vi.setSystemTime(t0 + at);
      await attempt("owner11", `guess-${i}-x`, A);
    }
    vi.setSystemTime(t0 + 8_000);
    expect(await attempt("owner11", PW, A)).toBe("TOO_MANY_ATTEMPTS");
    expect(await attempt("owner11", PW, { [PEER]: "192.0.2.11", "x-forwarded-for": "192.0.2.11" })).toBe("OK");
  }, 120_000);
});
