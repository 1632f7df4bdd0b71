import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { changeRole, createUser, listUsers, resetPassword, setActive } from "@/lib/data/users";
import { createUserSchema } from "@/lib/validation/user";

let stationId: number;
let otherStationId: number;
let admin: Actor;

async function addUser(username: string, role: "ADMIN" | "CLERK" | "READER" = "CLERK", station = stationId) {
  const u = await prisma.user.create({
    data: { stationId: station, username, name: username, role, passwordHash: await hashPassword("Start-pass-1") },
  });
  return { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username } satisfies Actor;
}

const code = (p: Promise<unknown>) => p.then(() => "OK", (e: { code?: string }) => e.code ?? String(e));

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "U1", name: "一所" } })).id;
  otherStationId = (await prisma.station.create({ data: { code: "U2", name: "二所" } })).id;
  admin = await addUser("root", "ADMIN");
});

describe("createUser", () => {
  it("creates a user with a hashed password and an audit row", async () => {
    const input = createUserSchema.parse({ username: " NewClerk ", name: "新收费员", role: "CLERK", stationId, password: "Secret-123" });
    const { id, username } = await createUser(admin, input);
    expect(username).toBe("newclerk");
    const u = await prisma.user.findUniqueOrThrow({ where: { id } });
    expect(u.passwordHash).not.toContain("Secret-123");
    expect(await verifyPassword(u.passwordHash, "Secret-123")).toBe(true);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.create", targetId: String(id) } });
    expect(audit.actorId).toBe(admin.id);
    expect(JSON.stringify(audit)).not.toMatch(/Secret-123|argon2/);
  });

  it("refuses a taken username and another station, changing nothing", async () => {
    const before = await prisma.user.count();
    const base = { name: "x", role: "CLERK" as const, password: "Secret-123" };
    expect(await code(createUser(admin, { ...base, username: "root", stationId }))).toBe("USERNAME_TAKEN");
    expect(await code(createUser(admin, { ...base, username: "elsewhere", stationId: otherStationId }))).toBe("STATION_NOT_ALLOWED");
    expect(await prisma.user.count()).toBe(before);
  });

  it("validates input: username shape, password length and mix", () => {
    const bad = createUserSchema.safeParse({ username: "9x", name: "", role: "BOSS", stationId: "a", password: "short" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(["username", "name", "role", "stationId", "password"]));
    expect(createUserSchema.safeParse({ username: "ok", name: "n", role: "CLERK", stationId: "1", password: "lettersonly" }).success).toBe(false);
  });
});

describe("changeRole / resetPassword / setActive", () => {
  it("changing a role bumps session_version and audits before/after", async () => {
    const u = await addUser("rolly");
    expect(await changeRole(admin, { userId: u.id, role: "READER" })).toEqual({ changed: true });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.role).toBe("READER");
    expect(after.sessionVersion).toBe(1);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.role.change", targetId: String(u.id) } });
    expect(audit.before).toEqual({ role: "CLERK" });
    expect(audit.after).toEqual({ role: "READER" });
    // same role again: nothing to do, no new version
    expect(await changeRole(admin, { userId: u.id, role: "READER" })).toEqual({ changed: false });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion).toBe(1);
  });

  it("an admin cannot change their own role or deactivate themself", async () => {
    expect(await code(changeRole(admin, { userId: admin.id, role: "CLERK" }))).toBe("CANNOT_CHANGE_OWN_ROLE");
    expect(await code(setActive(admin, { userId: admin.id, active: false }))).toBe("CANNOT_DEACTIVATE_SELF");
    const me = await prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(me.role).toBe("ADMIN");
    expect(me.active).toBe(true);
  });

  it("cannot touch a user of another station", async () => {
    const far = await addUser("faraway", "CLERK", otherStationId);
    expect(await code(setActive(admin, { userId: far.id, active: false }))).toBe("NOT_FOUND");
    expect(await code(resetPassword(admin, { userId: far.id, password: "Other-pass-1" }))).toBe("NOT_FOUND");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: far.id } })).active).toBe(true);
    expect((await listUsers(stationId)).map((u) => u.username)).not.toContain("faraway");
  });

  it("reset password: new one works, old one not, sessions end, failed run cleared, no secret in the audit", async () => {
    const u = await addUser("forgetful");
    await prisma.user.update({ where: { id: u.id }, data: { failedLogins: 7, lastFailedAt: new Date() } });
    await resetPassword(admin, { userId: u.id, password: "Brand-new-9" });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(await verifyPassword(after.passwordHash, "Brand-new-9")).toBe(true);
    expect(await verifyPassword(after.passwordHash, "Start-pass-1")).toBe(false);
    expect(after.sessionVersion).toBe(1);
    expect(after.failedLogins).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "user.password.reset", targetId: String(u.id) } });
    expect(JSON.stringify(audit)).not.toMatch(/Brand-new-9|argon2/);
  });

  it("deactivation ends sessions; reactivation restores the account", async () => {
    const u = await addUser("leaver");
    expect(await setActive(admin, { userId: u.id, active: false })).toEqual({ changed: true });
    let row = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.active).toBe(false);
    expect(row.sessionVersion).toBe(1);
    expect(await setActive(admin, { userId: u.id, active: true })).toEqual({ changed: true });
    row = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.active).toBe(true);
    const actions = (await prisma.auditLog.findMany({ where: { targetId: String(u.id), targetType: "user" }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["user.deactivate", "user.reactivate"]);
  });

  it("two admins removing each other at once: exactly one succeeds, the station keeps an active admin", async () => {
    const s = (await prisma.station.create({ data: { code: "U3", name: "三所" } })).id;
    const a = await addUser("admin-a", "ADMIN", s);
    const b = await addUser("admin-b", "ADMIN", s);
    const results = await Promise.all([
      code(setActive(a, { userId: b.id, active: false })),
      code(changeRole(b, { userId: a.id, role: "CLERK" })),
    ]);
    expect(results.sort()).toEqual(["LAST_ADMIN", "OK"]);
    expect(await prisma.user.count({ where: { stationId: s, role: "ADMIN", active: true } })).toBe(1);
  });

  it("the last active admin cannot be deactivated or demoted by anyone", async () => {
    const s = (await prisma.station.create({ data: { code: "U4", name: "四所" } })).id;
    const only = await addUser("only-admin", "ADMIN", s);
    // an actor of that station who is not (or no longer) an active admin, e.g. a stale session
    const ghost: Actor = { id: -1, stationId: s, role: "ADMIN", name: "ghost", username: "ghost" };
    expect(await code(setActive(ghost, { userId: only.id, active: false }))).toBe("LAST_ADMIN");
    expect(await code(changeRole(ghost, { userId: only.id, role: "MANAGER" }))).toBe("LAST_ADMIN");
    const row = await prisma.user.findUniqueOrThrow({ where: { id: only.id } });
    expect([row.active, row.role, row.sessionVersion]).toEqual([true, "ADMIN", 0]);
  });
});
