// Issue 9 item 10 in the data layer: initial and reset passwords must be changed, anyone changes
// their own (the other sessions end), managers and administrators enrol a second factor (the
// secret sealed, recovery codes hashed, other sessions ended), an administrator resets it.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor, CurrentSession } from "@/lib/auth/guard";
import { changeOwnPassword, enrolTotp, regenerateRecoveryCodes, twoFactorStatus } from "@/lib/auth/account";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { checkSession, createSession } from "@/lib/auth/sessions";
import { hashRecoveryCode, totpCode, totpStep } from "@/lib/auth/totp";
import { createUser, resetPassword, resetTwoFactor } from "@/lib/data/users";

let stationId: number;
let admin: Actor;
const PW = "Start-pass-1";

async function addUser(username: string, role: "ADMIN" | "MANAGER" | "CLERK" = "CLERK", extra: { mustChangePassword?: boolean } = {}) {
  const u = await prisma.user.create({ data: { stationId, username, name: username, role, passwordHash: await hashPassword(PW), ...extra } });
  return { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username } satisfies Actor;
}

/** A signed-in session of the user, as the guard hands it to an action. */
async function sessionOf(actor: Actor, mfa = false): Promise<CurrentSession> {
  const sid = await createSession(actor.id, { ip: "192.0.2.1", mfa });
  const live = await checkSession({ uid: actor.id, sv: (await prisma.user.findUniqueOrThrow({ where: { id: actor.id } })).sessionVersion, sid });
  return { actor, sid, pending: live?.pending ?? null };
}
const tokenOf = async (s: CurrentSession) => ({ uid: s.actor.id, sv: (await prisma.user.findUniqueOrThrow({ where: { id: s.actor.id } })).sessionVersion, sid: s.sid });
const code = (p: Promise<unknown>) => p.then(() => "OK", (e: { code?: string }) => e.code ?? String(e));

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "A1", name: "账号所" } })).id;
  admin = await addUser("boss", "ADMIN");
});

describe("must change password", () => {
  it("a user an administrator creates, or whose password an administrator resets, is held at the change-password step", async () => {
    const { id } = await createUser(admin, { username: "newbie", name: "新人", role: "CLERK", stationId, password: "Initial-1234" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).mustChangePassword).toBe(true);
    const s = await sessionOf({ id, stationId, role: "CLERK", name: "新人", username: "newbie" });
    expect(s.pending).toBe("CHANGE_PASSWORD");

    const old = await addUser("oldhand");
    await resetPassword(admin, { userId: old.id, password: "Reset-1234" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: old.id } })).mustChangePassword).toBe(true);
  });

  it("changing one's own password needs the current one, clears the step and ends the other sessions only", async () => {
    const u = await addUser("chang", "CLERK", { mustChangePassword: true });
    const here = await sessionOf(u);
    const there = await sessionOf(u);
    expect(await code(changeOwnPassword(here, { current: "wrong-pass-9", password: "Mine-2026-x" }))).toBe("WRONG_CURRENT_PASSWORD");
    await changeOwnPassword(here, { current: PW, password: "Mine-2026-x" });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.mustChangePassword).toBe(false);
    expect(await verifyPassword(after.passwordHash, "Mine-2026-x")).toBe(true);
    expect(await checkSession(await tokenOf(here))).toMatchObject({ pending: null });
    expect(await checkSession(await tokenOf(there))).toBeNull(); // whoever else had the old password is out
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.password.change", targetId: String(u.id) } });
    expect(JSON.stringify(audit)).not.toContain("Mine-2026-x");
  });

  it("wrong current passwords make the session wait (a stolen session is no way to guess the password)", async () => {
    const u = await addUser("guesser");
    const s = await sessionOf(u);
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push(await code(changeOwnPassword(s, { current: `guess-${i}-x`, password: "Whatever-99" })));
    expect(codes.slice(0, 4)).toEqual(Array(4).fill("WRONG_CURRENT_PASSWORD"));
    expect(codes.slice(4)).toEqual(["TOO_MANY_ATTEMPTS", "TOO_MANY_ATTEMPTS"]);
    expect(await code(changeOwnPassword(s, { current: PW, password: "Whatever-99" }))).toBe("TOO_MANY_ATTEMPTS");
  });
});

describe("second factor enrolment", () => {
  it("a manager is held at enrolment; a code from the shown secret enrols, seals it, hashes ten recovery codes and ends other sessions", async () => {
    const m = await addUser("mgr", "MANAGER");
    const here = await sessionOf(m);
    const there = await sessionOf(m); // someone else with the password, also before enrolment
    expect(here.pending).toBe("ENROL_TOTP");
    const status = await twoFactorStatus(here);
    if (status.kind !== "ENROLLING") throw new Error(status.kind);
    expect(await twoFactorStatus(here)).toEqual(status); // a reload shows the same secret

    const now = new Date();
    expect(await code(enrolTotp(here, "000000" === totpCode(status.secret, totpStep(now)) ? "111111" : "000000", now))).toBe("MFA_CODE_WRONG");
    const { recoveryCodes } = await enrolTotp(here, totpCode(status.secret, totpStep(now)), now);
    expect(recoveryCodes).toHaveLength(10);

    const u = await prisma.user.findUniqueOrThrow({ where: { id: m.id } });
    expect(u.totpEnrolledAt).not.toBeNull();
    expect(u.totpPendingSecret).toBeNull();
    expect(u.totpSecret).not.toContain(status.secret); // sealed at rest
    const stored = await prisma.userRecoveryCode.findMany({ where: { userId: m.id } });
    expect(stored.map((r) => r.codeHash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());

    expect(await checkSession(await tokenOf(here))).toMatchObject({ pending: null }); // this session has the factor now
    expect(await checkSession(await tokenOf(there))).toBeNull(); // the other password-only session is over
    expect(await twoFactorStatus(here)).toMatchObject({ kind: "ENROLLED", recoveryCodesLeft: 10 }); // the secret is never shown again
    expect(await code(enrolTotp(here, totpCode(status.secret, totpStep(now) + 1), now))).toBe("MFA_ALREADY_ENROLLED");
    await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.mfa.enrol", targetId: String(m.id) } });

    // new recovery codes need a current code; the old ones stop working
    const later = new Date(now.getTime() + 30_000);
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes(here, totpCode(status.secret, totpStep(later)), later);
    const hashes = (await prisma.userRecoveryCode.findMany({ where: { userId: m.id } })).map((r) => r.codeHash);
    expect(hashes.sort()).toEqual(fresh.map(hashRecoveryCode).sort());
  });

  it("a clerk has nothing to enrol", async () => {
    const c = await addUser("plain");
    const s = await sessionOf(c);
    expect(s.pending).toBeNull();
    expect(await twoFactorStatus(s)).toEqual({ kind: "NOT_NEEDED" });
    expect(await code(enrolTotp(s, "123456"))).toBe("MFA_NOT_NEEDED");
  });

  it("an administrator resets another user's second factor (their sessions end), never their own", async () => {
    const m = await addUser("lostphone", "MANAGER");
    await prisma.user.update({ where: { id: m.id }, data: { totpSecret: "v1:x:y:z", totpEnrolledAt: new Date() } });
    await prisma.userRecoveryCode.create({ data: { userId: m.id, codeHash: "f".repeat(64) } });
    const before = await prisma.user.findUniqueOrThrow({ where: { id: m.id } });
    await resetTwoFactor(admin, { userId: m.id });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: m.id } });
    expect(after).toMatchObject({ totpSecret: null, totpEnrolledAt: null, sessionVersion: before.sessionVersion + 1 });
    expect(await prisma.userRecoveryCode.count({ where: { userId: m.id } })).toBe(0);
    await prisma.auditLog.findFirstOrThrow({ where: { action: "auth.mfa.reset", targetId: String(m.id), actorId: admin.id } });
    expect(await code(resetTwoFactor(admin, { userId: admin.id }))).toBe("CANNOT_RESET_OWN_MFA");
  });
});
