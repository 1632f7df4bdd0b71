import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { resetLoginThrottles, verifyLogin } from "@/lib/auth/login";

const PW = "Right-pass-1";
let stationId: number;

async function makeUser(username: string, opts: { active?: boolean } = {}) {
  return prisma.user.create({
    data: { stationId, username, name: `用户${username}`, role: "CLERK", passwordHash: await hashPassword(PW), active: opts.active ?? true },
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

  it("locks the account at the 5th consecutive failure, even for the right password, and for longer each time", async () => {
    const u = await makeUser("dave");
    for (let i = 1; i <= 4; i++) expect((await verifyLogin("dave", "bad-pass-1", { now: at(i) })).ok).toBe(false);
    const fifth = await verifyLogin("dave", "bad-pass-1", { now: at(5) });
    expect(fifth).toEqual({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: MIN });
    expect(await verifyLogin("dave", PW, { now: at(30_000) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
    // a locked attempt is not counted and does not extend the lock
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).failedLogins).toBe(5);
    // after the minute: one more wrong password locks for two minutes
    expect(await verifyLogin("dave", "bad-pass-1", { now: at(5 + MIN) })).toEqual({
      ok: false,
      code: "TOO_MANY_ATTEMPTS",
      retryAfterMs: 2 * MIN,
    });
    // after those two minutes the right password works and clears the run
    const ok = await verifyLogin("dave", PW, { now: at(5 + 3 * MIN) });
    expect(ok.ok).toBe(true);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.failedLogins).toBe(0);
    expect(after.lastFailedAt).toBeNull();
    const reasons = (await failuresAudited("dave")).map((r) => (r.after as { reason: string }).reason);
    expect(reasons.filter((x) => x === "LOCKED")).toHaveLength(1);
  });

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
    expect(await verifyLogin("grace", PW, { ip: "203.0.113.9", now: at(100) })).toEqual({ ok: true, user: expect.anything() });
    await verifyLogin("spray-last", "bad-pass-1", { ip: "203.0.113.9", now: at(101) }); // the 31st failure
    expect(await verifyLogin("grace", PW, { ip: "203.0.113.9", now: at(102) })).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
    expect((await verifyLogin("grace", PW, { ip: "198.51.100.1", now: at(103) })).ok).toBe(true);
  }, 120_000);

  it("does not address-throttle loopback clients (the per-account lock still applies)", async () => {
    await makeUser("heidi");
    for (let i = 0; i < 35; i++) await verifyLogin(`loop${i}`, "bad-pass-1", { ip: "127.0.0.1", now: at(i) });
    expect((await verifyLogin("heidi", PW, { ip: "127.0.0.1", now: at(50) })).ok).toBe(true);
    for (let i = 0; i < 4; i++) await verifyLogin("heidi", "bad-pass-1", { ip: "::1", now: at(60 + i) });
    expect(await verifyLogin("heidi", "bad-pass-1", { ip: "::1", now: at(70) })).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
  }, 120_000);
});
