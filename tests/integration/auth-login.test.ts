import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { NextAuthOptions } from "next-auth";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { resetLoginThrottles, verifyLogin } from "@/lib/auth/login";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { sealSecret } from "@/lib/auth/secret-box";
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpCode, totpStep } from "@/lib/auth/totp";
import { authOptions } from "@/lib/auth/options";

const PW = "Right-pass-1";
let stationId: number;

async function makeUser(username: string, opts: { active?: boolean; role?: "CLERK" | "MANAGER" | "ADMIN"; totpSecret?: string } = {}) {
  return prisma.user.create({
    data: {
      stationId, username, name: `用户${username}`, role: opts.role ?? "CLERK", passwordHash: await hashPassword(PW), active: opts.active ?? true,
      ...(opts.totpSecret ? { totpSecret: sealSecret(opts.totpSecret), totpEnrolledAt: new Date() } : {}),
    },
  });
}

async function failuresAudited(username: string) {
  const rows = await prisma.auditLog.findMany({ where: { action: "auth.login.failure" }, orderBy: { id: "asc" } });
  return rows.filter((r) => (r.after as { username?: string }).username === username);
}

const MIN = 60_000;
const t0 = new Date("2026-11-22T01:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "T1", name: "测试所" } })).id;
});

beforeEach(() => resetLoginThrottles());

describe("verifyLogin", () => {
  it("accepts the right password, records the login and audits it without the password", async () => {
    const u = await makeUser("alice");
    const r = await verifyLogin("  Alice ", PW, { ip: "10.0.0.1", now: t0 });
    expect(r).toEqual({
      ok: true,
      user: { id: u.id, stationId, name: "用户alice", username: "alice", role: "CLERK", sessionVersion: 0 },
      mfa: false,
    });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.lastLoginAt?.toISOString()).toBe(t0.toISOString());
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.login.success", targetId: String(u.id) } });
    expect(audit.actorId).toBe(u.id);
    expect(JSON.stringify(audit)).not.toContain(PW);
  });

  it("gives a wrong password and an unknown user the same answer, and audits both", async () => {
    await makeUser("bob");
    const wrong = await verifyLogin("bob", "Wrong-pass-1", { now: t0 });
    const unknown = await verifyLogin("nobody", "Wrong-pass-1", { now: t0 });
    expect(wrong).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(unknown).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    const [bobRow] = await failuresAudited("bob");
    const [nobodyRow] = await failuresAudited("nobody");
    expect((bobRow.after as { reason: string }).reason).toBe("WRONG_PASSWORD");
    expect((nobodyRow.after as { reason: string }).reason).toBe("UNKNOWN_USER");
    expect(nobodyRow.targetId).toBeNull();
    for (const row of [bobRow, nobodyRow]) expect(JSON.stringify(row)).not.toContain("Wrong-pass-1");
    expect((await prisma.user.findUniqueOrThrow({ where: { username: "bob" } })).failedLogins).toBe(1);
  });

  it("spends a hash verification on an unknown user (no timing shortcut)", async () => {
    await makeUser("carol");
    const time = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    await verifyLogin("warmup", "x1234567", { now: t0 }); // first call computes the dummy hash
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      resetLoginThrottles();
      await prisma.user.update({ where: { username: "carol" }, data: { failedLogins: 0, lastFailedAt: null } });
      known.push(await time(() => verifyLogin("carol", `Wrong-${i}-x`, { now: t0 })));
      unknown.push(await time(() => verifyLogin(`ghost${i}`, `Wrong-${i}-x`, { now: t0 })));
    }
    // an argon2 verification is tens of milliseconds; a lookup alone is about one
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it("after the 5th consecutive failure from one address that address waits 1 s, then 2, 4 …; the right password after the wait works", async () => {
    const u = await makeUser("dave");
    const ip = "203.0.113.50";
    for (let i = 1; i <= 4; i++) expect(await verifyLogin("dave", "bad-pass-1", { ip, now: at(i) })).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(await verifyLogin("dave", "bad-pass-1", { ip, now: at(5) })).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: 1000 });
    // during the wait even the right password is not tried, and the try is not counted
    expect(await verifyLogin("dave", PW, { ip, now: at(500) })).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: 505 });
    expect(await prisma.loginThrottle.findUniqueOrThrow({ where: { userId_address: { userId: u.id, address: ip } } })).toMatchObject({ failures: 5 });
    // after the wait: one more wrong password, a two-second wait; then four
    expect(await verifyLogin("dave", "bad-pass-1", { ip, now: at(1005) })).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: 2000 });
    expect(await verifyLogin("dave", "bad-pass-1", { ip, now: at(3005) })).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: 4000 });
    // after those four seconds the right password works and forgets the run
    const ok = await verifyLogin("dave", PW, { ip, now: at(7005) });
    expect(ok.ok).toBe(true);
    expect(await prisma.loginThrottle.count({ where: { userId: u.id } })).toBe(0);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.failedLogins).toBe(0);
    const reasons = (await failuresAudited("dave")).map((r) => (r.after as { reason: string }).reason);
    expect(reasons.filter((x) => x === "LOCKED")).toHaveLength(1);
  });

  it("failures from address A do not block the account from address B (nobody can lock a named account out)", async () => {
    await makeUser("ella");
    const A = "198.51.100.66";
    for (let i = 0; i < 6; i++) await verifyLogin("ella", `guess-${i}-x`, { ip: A, now: at(i * 5000) }); // each after its wait
    expect(await verifyLogin("ella", PW, { ip: A, now: at(25_500) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
    // the owner, elsewhere, at the same moment
    expect((await verifyLogin("ella", PW, { ip: "192.0.2.10", now: at(25_500) })).ok).toBe(true);
    // and the attacker's address still waits (the owner's success does not clear it)
    expect(await verifyLogin("ella", PW, { ip: A, now: at(25_501) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
  }, 120_000);

  it("counts parallel guesses under the row lock: no more than the limit get a real try", async () => {
    const u = await makeUser("erin");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => verifyLogin("erin", `guess-${i}-x`, { now: at(i) })),
    );
    const codes = results.map((r) => (r.ok ? "OK" : r.code));
    expect(codes.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(4);
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS")).toHaveLength(4);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).failedLogins).toBe(5);
  });

  it("locks unknown usernames the same way (no difference that reveals existence)", async () => {
    const codes = [];
    for (let i = 1; i <= 6; i++) {
      const r = await verifyLogin("mallory", "bad-pass-1", { now: at(i) });
      codes.push(r.ok ? "OK" : r.code);
    }
    expect(codes).toEqual([
      "INVALID_CREDENTIALS",
      "INVALID_CREDENTIALS",
      "INVALID_CREDENTIALS",
      "INVALID_CREDENTIALS",
      "TOO_MANY_ATTEMPTS",
      "TOO_MANY_ATTEMPTS",
    ]);
  });

  it("refuses a deactivated user, but says so only to someone who knows the password", async () => {
    await makeUser("frank", { active: false });
    expect(await verifyLogin("frank", "bad-pass-1", { now: t0 })).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(await verifyLogin("frank", PW, { now: t0 })).toEqual({ ok: false, code: "USER_INACTIVE" });
    const reasons = (await failuresAudited("frank")).map((r) => (r.after as { reason: string }).reason);
    expect(reasons).toEqual(["WRONG_PASSWORD", "INACTIVE"]);
  });

  it("throttles one client address that sprays many usernames, and only that address", async () => {
    await makeUser("grace");
    for (let i = 0; i < 30; i++) await verifyLogin(`spray${i}`, "bad-pass-1", { ip: "203.0.113.9", now: at(i) });
    expect(await verifyLogin("grace", PW, { ip: "203.0.113.9", now: at(100) })).toMatchObject({ ok: true });
    await verifyLogin("spray-last", "bad-pass-1", { ip: "203.0.113.9", now: at(101) }); // the 31st failure
    expect(await verifyLogin("grace", PW, { ip: "203.0.113.9", now: at(102) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
    expect((await verifyLogin("grace", PW, { ip: "198.51.100.1", now: at(103) })).ok).toBe(true);
  }, 120_000);

  it("loopback is not exempt: 127.0.0.1 waits like any other address", async () => {
    await makeUser("heidi");
    for (let i = 0; i < 4; i++) await verifyLogin("heidi", "bad-pass-1", { ip: "127.0.0.1", now: at(i) });
    expect(await verifyLogin("heidi", "bad-pass-1", { ip: "127.0.0.1", now: at(10) })).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    for (let i = 0; i < 31; i++) await verifyLogin(`loop${i}`, "bad-pass-1", { ip: "::1", now: at(100 + i) });
    expect(await verifyLogin("heidi", PW, { ip: "::1", now: at(200) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
  }, 120_000);
});

// Issue 9 item 11 through the real sign-in entry point (next-auth's credentials authorize), with
// the request headers as Next.js hands them over: the socket's peer in PEER_HEADER (put there by
// instrumentation.ts), X-Forwarded-For as the client sent it.
describe("the client address a sign-in is throttled on", () => {
  type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
  const authorize = (authOptions as NextAuthOptions).providers[0] as unknown as { options: { authorize: Authorize } };
  const attempt = (username: string, password: string, headers: Record<string, string>) =>
    authorize.options.authorize({ username, password }, { headers }).then(
      () => "OK",
      (e: Error) => e.message,
    );

  // a frozen clock: whether a wait is still running must not depend on how fast this machine hashes
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(t0);
  });
  afterEach(() => vi.useRealTimers());

  it("rotating X-Forwarded-For from an untrusted peer does not reset the throttle", async () => {
    delete process.env.TRUSTED_PROXIES;
    await makeUser("ivan");
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push(await attempt("ivan", "bad-pass-1", { [PEER_HEADER]: "203.0.113.77", "x-forwarded-for": `10.9.8.${i}` }));
    }
    expect(codes.slice(0, 4)).toEqual(Array(4).fill("INVALID_CREDENTIALS"));
    expect(codes[4]).toMatch(/^TOO_MANY_ATTEMPTS:\d+$/);
    expect(codes[5]).toMatch(/^TOO_MANY_ATTEMPTS:\d+$/);
    const rows = await prisma.loginThrottle.findMany({ where: { user: undefined, address: { startsWith: "" } } });
    expect(rows.filter((r) => r.address.startsWith("10.9.8."))).toEqual([]);
    // the real owner, from another address, is not held back
    expect(await attempt("ivan", PW, { [PEER_HEADER]: "192.0.2.44", "x-forwarded-for": "10.9.8.0" })).toBe("OK");
  });

  it("behind a configured proxy, the forwarded client address is the key", async () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    try {
      await makeUser("jack");
      for (let i = 0; i < 5; i++) await attempt("jack", "bad-pass-1", { [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.88" });
      expect(await attempt("jack", PW, { [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.88" })).toMatch(/^TOO_MANY_ATTEMPTS/);
      // another client behind the same proxy signs in
      expect(await attempt("jack", PW, { [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.89" })).toBe("OK");
      // a client cannot pose as the proxy's other client by prepending an address
      expect(await attempt("jack", PW, { [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.89, 203.0.113.88" })).toMatch(/^TOO_MANY_ATTEMPTS/);
    } finally {
      delete process.env.TRUSTED_PROXIES;
    }
  });
});

// Issue 9 item 10: managers and administrators give a second factor after the password.
describe("second factor", () => {
  const ip = "192.0.2.200";
  const secret = newTotpSecret();
  const stepAt = (ms: number) => totpStep(at(ms));

  it("an enrolled manager: the password alone answers MFA_REQUIRED (nothing counted); the code signs in", async () => {
    await makeUser("kate", { role: "MANAGER", totpSecret: secret });
    expect(await verifyLogin("kate", PW, { ip, now: at(0) })).toEqual({ ok: false, code: "MFA_REQUIRED" });
    expect(await verifyLogin("kate", "bad-pass-1", { ip, now: at(1), code: totpCode(secret, stepAt(1)) })).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    const r = await verifyLogin("kate", PW, { ip, now: at(2), code: totpCode(secret, stepAt(2)) });
    expect(r).toMatchObject({ ok: true, mfa: true, user: { username: "kate", role: "MANAGER" } });
    // the same code again is refused: a code works once
    expect(await verifyLogin("kate", PW, { ip, now: at(3), code: totpCode(secret, stepAt(2)) })).toEqual({ ok: false, code: "MFA_REUSED" });
    // the next step's code works
    expect((await verifyLogin("kate", PW, { ip, now: at(31_000), code: totpCode(secret, stepAt(31_000)) })).ok).toBe(true);
  });

  it("wrong codes count as failures and make the address wait like wrong passwords", async () => {
    await makeUser("liam", { role: "ADMIN", totpSecret: secret });
    const wrong = String((Number(totpCode(secret, stepAt(0))) + 1) % 1_000_000).padStart(6, "0");
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const r = await verifyLogin("liam", PW, { ip, now: at(i), code: wrong });
      codes.push(r.ok ? "OK" : r.code);
    }
    expect(codes).toEqual(["MFA_INVALID", "MFA_INVALID", "MFA_INVALID", "MFA_INVALID", "TOO_MANY_ATTEMPTS"]);
    const reasons = (await failuresAudited("liam")).map((r) => (r.after as { reason: string }).reason);
    expect(reasons.filter((x) => x === "WRONG_CODE")).toHaveLength(5);
  });

  it("a recovery code signs in once, is audited, and never again", async () => {
    const u = await makeUser("mona", { role: "MANAGER", totpSecret: secret });
    const [code, other] = newRecoveryCodes(2);
    await prisma.userRecoveryCode.createMany({ data: [code, other].map((c) => ({ userId: u.id, codeHash: hashRecoveryCode(c) })) });
    const r = await verifyLogin("mona", PW, { ip, now: at(0), code: code.toUpperCase() });
    expect(r).toMatchObject({ ok: true, mfa: true });
    expect(await verifyLogin("mona", PW, { ip, now: at(1), code })).toEqual({ ok: false, code: "MFA_INVALID" });
    const used = await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.mfa.recovery_used", targetId: String(u.id) } });
    expect(used.after).toMatchObject({ recoveryCodesLeft: 1 });
    expect(JSON.stringify(used)).not.toContain(code);
    const success = await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.login.success", targetId: String(u.id) } });
    expect(success.after).toMatchObject({ mfa: "RECOVERY" });
  });

  it("a manager not yet enrolled signs in with the password, the session marked without a second factor", async () => {
    await makeUser("nina", { role: "MANAGER" });
    expect(await verifyLogin("nina", PW, { ip, now: at(0) })).toMatchObject({ ok: true, mfa: false });
  });

  it("a secret sealed under another key cannot be read: MFA_UNAVAILABLE, never a sign-in without it", async () => {
    const u = await makeUser("omar", { role: "ADMIN" });
    const saved = process.env.MFA_ENCRYPTION_KEY;
    process.env.MFA_ENCRYPTION_KEY = "another-key-another-key-another-key-0000";
    const foreign = sealSecret(secret);
    process.env.MFA_ENCRYPTION_KEY = saved;
    await prisma.user.update({ where: { id: u.id }, data: { totpSecret: foreign, totpEnrolledAt: new Date() } });
    expect(await verifyLogin("omar", PW, { ip, now: at(0), code: totpCode(secret, stepAt(0)) })).toEqual({ ok: false, code: "MFA_UNAVAILABLE" });
  });
});
