// Issue 9 item 8: sign-out ends a session on the server, and a session ends after 30 minutes
// idle and 12 hours in all (settings). Driven through next-auth's own machinery: the credentials
// provider's authorize, the jwt callback every request runs (getServerSession and the
// /api/auth/session endpoint alike), the sign-out event, and next-auth's session endpoint.
import { beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import path from "node:path";
import { decode, encode } from "next-auth/jwt";
import type { NextAuthOptions } from "next-auth";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { resetLoginThrottles } from "@/lib/auth/login";
import { checkSession } from "@/lib/auth/sessions";
import { PEER_HEADER } from "@/lib/auth/client-address";

process.env.NEXTAUTH_SECRET ??= "integration-tests-nextauth-secret-0123456789";
process.env.NEXTAUTH_URL ??= "http://localhost:3000";
const { authOptions } = (await import("@/lib/auth/options")) as { authOptions: NextAuthOptions };
const SECRET = process.env.NEXTAUTH_SECRET!;
// next-auth's request handler behind every /api/auth/* route (not in its package exports)
type Handler = (p: { req: Record<string, unknown>; options: NextAuthOptions }) => Promise<{ body?: unknown; cookies?: { name: string; value: string; options?: { maxAge?: number } }[] }>;
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as { AuthHandler: Handler };
const COOKIE = "next-auth.session-token";

const PW = "Right-pass-1";
const MIN = 60_000;
let stationId: number;

type Token = Record<string, unknown>;
type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string; sid: string; sv: number }>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

async function makeUser(username: string) {
  return prisma.user.create({ data: { stationId, username, name: `用户${username}`, role: "CLERK", passwordHash: await hashPassword(PW) } });
}

/** Signs in as next-auth's credentials callback does: authorize, then the jwt callback. */
async function signIn(username: string): Promise<Token> {
  const user = await authorize({ username, password: PW }, { headers: { [PEER_HEADER]: "198.51.100.20" } });
  return (await authOptions.callbacks!.jwt!({ token: {}, user: user as never, account: null } as never)) as Token;
}

/** What every request does with the cookie's token: the jwt callback; throws when it is over. */
async function request(token: Token): Promise<Token> {
  return (await authOptions.callbacks!.jwt!({ token: { ...token } } as never)) as Token;
}

/** next-auth's GET /api/auth/session with a cookie holding `token`. */
async function sessionEndpoint(token: Token) {
  const cookie = await encode({ token, secret: SECRET });
  const res = await AuthHandler({
    req: { action: "session", method: "GET", cookies: { [COOKIE]: cookie }, headers: { host: "localhost:3000" } },
    options: authOptions,
  });
  const set = (res.cookies ?? []).find((c) => c.name === COOKIE);
  return { body: res.body as Record<string, unknown>, newCookie: set?.value ?? null, cleared: set?.value === "" || (set?.options?.maxAge ?? 1) <= 0 };
}

async function signOut(token: Token) {
  await authOptions.events!.signOut!({ token } as never);
}

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "S1", name: "会话测试所" } })).id;
  resetLoginThrottles();
});

describe("sign-out ends the session on the server", () => {
  it("a token captured before sign-out is refused after it, and /api/auth/session mints no fresh one", async () => {
    await makeUser("olga");
    const token = await signIn("olga");
    expect(typeof token.sid).toBe("string");
    // before: the session works and the endpoint renews the cookie
    await expect(request(token)).resolves.toMatchObject({ uid: token.uid, sid: token.sid });
    const before = await sessionEndpoint(token);
    expect(before.body).toMatchObject({ live: { user: { username: "olga" }, pending: null } });
    expect(before.newCookie).toBeTruthy();

    await signOut(token);
    const row = await prisma.authSession.findUniqueOrThrow({ where: { id: token.sid as string } });
    expect(row.revokedReason).toBe("SIGN_OUT");

    // after: the same token (a copy kept by whoever saw the cookie) is refused everywhere
    await expect(request(token)).rejects.toThrow("SESSION_ENDED");
    expect(await checkSession(token)).toBeNull();
    const after = await sessionEndpoint(token);
    expect(after.body).toEqual({});
    expect(after.newCookie ?? "").toBe(""); // no fresh 12-hour token: the cookie is cleared
    // …and a token re-signed by anyone holding the key but naming the same session is dead too
    const decoded = await decode({ token: before.newCookie!, secret: SECRET });
    await expect(request(decoded as Token)).rejects.toThrow("SESSION_ENDED");
  });

  it("signing out in one place leaves the user's other sessions alone", async () => {
    await makeUser("pavel");
    const a = await signIn("pavel");
    const b = await signIn("pavel");
    await signOut(a);
    await expect(request(a)).rejects.toThrow();
    await expect(request(b)).resolves.toMatchObject({ sid: b.sid });
  });

  it("a token without a session id (issued before sessions were kept) is no session", async () => {
    const u = await makeUser("quinn");
    await expect(request({ uid: u.id, sv: 0 })).rejects.toThrow("SESSION_ENDED");
  });
});

describe("idle and absolute limits (settings: 30 minutes, 12 hours)", () => {
  it("a session unused for 30 minutes is over; one used within them goes on", async () => {
    await makeUser("rita");
    const token = await signIn("rita");
    const sid = token.sid as string;
    const { createdAt } = await prisma.authSession.findUniqueOrThrow({ where: { id: sid } });
    const at = (ms: number) => new Date(createdAt.getTime() + ms);
    expect(await checkSession(token, at(29 * MIN))).not.toBeNull(); // and this use moves last_seen on
    expect(await checkSession(token, at(58 * MIN))).not.toBeNull();
    expect(await checkSession(token, at(88 * MIN + 1))).toBeNull(); // 30 minutes after the last use
    const row = await prisma.authSession.findUniqueOrThrow({ where: { id: sid } });
    expect(row.revokedReason).toBe("IDLE");
    expect(await checkSession(token, at(89 * MIN))).toBeNull(); // and stays over
  });

  it("a session in constant use is over 12 hours after sign-in", async () => {
    await makeUser("sam");
    const token = await signIn("sam");
    const { createdAt } = await prisma.authSession.findUniqueOrThrow({ where: { id: token.sid as string } });
    for (let m = 20; m < 720; m += 20) {
      expect(await checkSession(token, new Date(createdAt.getTime() + m * MIN)), `minute ${m}`).not.toBeNull();
    }
    expect(await checkSession(token, new Date(createdAt.getTime() + 720 * MIN))).toBeNull();
    expect((await prisma.authSession.findUniqueOrThrow({ where: { id: token.sid as string } })).revokedReason).toBe("EXPIRED");
  });

  it("an idle-expired session gets no fresh token from /api/auth/session either", async () => {
    await makeUser("tara");
    const token = await signIn("tara");
    await prisma.authSession.update({ where: { id: token.sid as string }, data: { lastSeenAt: new Date(Date.now() - 31 * MIN) } });
    const r = await sessionEndpoint(token);
    expect(r.body).toEqual({});
    expect(r.newCookie ?? "").toBe("");
  });

  it("an absolute-expired session is refused even though it was used a moment ago", async () => {
    await makeUser("uma");
    const token = await signIn("uma");
    await prisma.authSession.update({
      where: { id: token.sid as string },
      data: { createdAt: new Date(Date.now() - 12 * 60 * MIN - 1000), lastSeenAt: new Date(Date.now() - 1000) },
    });
    await expect(request(token)).rejects.toThrow("SESSION_ENDED");
  });

  it("the limits are the station's settings", async () => {
    await makeUser("vera");
    const token = await signIn("vera");
    const now = new Date();
    await prisma.setting.create({
      data: { stationId, key: "session", value: { idleMinutes: 5, absoluteHours: 1 }, effectiveFrom: new Date("2000-01-01") },
    });
    const { forgetStationSettings } = await import("@/lib/data/ledger");
    forgetStationSettings(stationId);
    expect(await checkSession(token, new Date(now.getTime() + 4 * MIN))).not.toBeNull();
    expect(await checkSession(token, new Date(now.getTime() + 10 * MIN))).toBeNull();
    await prisma.setting.deleteMany({ where: { stationId, key: "session" } });
    forgetStationSettings(stationId);
  });

  it("touching last_seen is cheap: not a write on every request within a minute", async () => {
    await makeUser("walt");
    const token = await signIn("walt");
    const sid = token.sid as string;
    const { lastSeenAt } = await prisma.authSession.findUniqueOrThrow({ where: { id: sid } });
    await checkSession(token, new Date(lastSeenAt.getTime() + 30_000));
    expect((await prisma.authSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt).toEqual(lastSeenAt);
    await checkSession(token, new Date(lastSeenAt.getTime() + 61_000));
    expect((await prisma.authSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime()).toBe(lastSeenAt.getTime() + 61_000);
  });
});
