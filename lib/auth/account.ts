import "server-only";
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import type { ChangeOwnPasswordInput } from "@/lib/validation/user";
import type { CurrentSession } from "./guard";
import { hashPassword, verifyPassword } from "./password";
import { openSecret, sealSecret } from "./secret-box";
import { revokeOtherSessions } from "./sessions";
import { needsMfa } from "./session-rules";
import { ACCOUNT_ADDRESS_POLICY, MemoryThrottle } from "./throttle";
import { RECOVERY_CODE_COUNT, hashRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from "./totp";

/**
 * What a signed-in user does to their own account. Each change ends the user's OTHER sessions:
 * whoever signed in elsewhere with the old password (an administrator who set the initial one,
 * someone who guessed it) must not ride along into the new state.
 */

// A stolen session must not become a way to guess the password it does not know: wrong
// "current password" answers wait like failed sign-ins, per session.
const g = globalThis as unknown as { __ownPasswordThrottle?: MemoryThrottle };
const wrongCurrent = (g.__ownPasswordThrottle ??= new MemoryThrottle(ACCOUNT_ADDRESS_POLICY));

export async function changeOwnPassword(s: CurrentSession, input: ChangeOwnPasswordInput, now = new Date()): Promise<void> {
  const t = now.getTime();
  const wait = wrongCurrent.lockedForMs(s.sid, t);
  if (wait > 0) throw new AppError("TOO_MANY_ATTEMPTS", { seconds: Math.ceil(wait / 1000) });
  const u = await prisma.user.findUniqueOrThrow({ where: { id: s.actor.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(u.passwordHash, input.current))) {
    const waitNow = wrongCurrent.fail(s.sid, t);
    if (waitNow > 0) throw new AppError("TOO_MANY_ATTEMPTS", { seconds: Math.ceil(waitNow / 1000) });
    throw new AppError("WRONG_CURRENT_PASSWORD");
  }
  wrongCurrent.reset(s.sid);
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: s.actor.id },
      data: { passwordHash, mustChangePassword: false, failedLogins: 0, lastFailedAt: null },
    });
    await revokeOtherSessions(tx, s.actor.id, s.sid, "PASSWORD_CHANGED", now);
    await writeAudit(tx, {
      stationId: s.actor.stationId,
      actorId: s.actor.id,
      action: "auth.password.change",
      targetType: "user",
      targetId: s.actor.id,
      after: { username: s.actor.username, otherSessionsEnded: true },
    });
  });
}

export type TwoFactorStatus =
  | { kind: "NOT_NEEDED" }
  | { kind: "ENROLLING"; secret: string }
  | { kind: "ENROLLED"; enrolledAt: string; recoveryCodesLeft: number };

/**
 * The second factor of the session's user. While not enrolled, a secret to enrol is kept
 * (sealed) as totp_pending_secret, so reloading the page shows the same one until a code from it
 * is confirmed. An enrolled secret is never shown again.
 */
export async function twoFactorStatus(s: CurrentSession): Promise<TwoFactorStatus> {
  if (!needsMfa(s.actor.role)) return { kind: "NOT_NEEDED" };
  const u = await prisma.user.findUniqueOrThrow({
    where: { id: s.actor.id },
    select: { totpEnrolledAt: true, totpPendingSecret: true },
  });
  if (u.totpEnrolledAt) {
    const left = await prisma.userRecoveryCode.count({ where: { userId: s.actor.id, usedAt: null } });
    return { kind: "ENROLLED", enrolledAt: u.totpEnrolledAt.toISOString(), recoveryCodesLeft: left };
  }
  const kept = u.totpPendingSecret ? openSecret(u.totpPendingSecret) : null;
  if (kept) return { kind: "ENROLLING", secret: kept };
  const secret = newTotpSecret();
  // another tab may have stored one a moment ago: keep whichever is stored first
  await prisma.user.updateMany({
    where: { id: s.actor.id, totpEnrolledAt: null, OR: [{ totpPendingSecret: null }, { totpPendingSecret: u.totpPendingSecret }] },
    data: { totpPendingSecret: sealSecret(secret) },
  });
  const stored = await prisma.user.findUniqueOrThrow({ where: { id: s.actor.id }, select: { totpPendingSecret: true } });
  return { kind: "ENROLLING", secret: (stored.totpPendingSecret && openSecret(stored.totpPendingSecret)) || secret };
}

/**
 * Confirms enrolment with a code from the pending secret: the secret becomes the user's second
 * factor, ten recovery codes are made (returned once, stored hashed), this session counts as
 * having given the second factor, and the user's other sessions end.
 */
export async function enrolTotp(s: CurrentSession, code: string, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  if (!needsMfa(s.actor.role)) throw new AppError("MFA_NOT_NEEDED");
  const codes = newRecoveryCodes();
  return prisma.$transaction(async (tx) => {
    const [u] = await tx.$queryRaw<{ totp_pending_secret: string | null; totp_enrolled_at: Date | null }[]>`
      select totp_pending_secret, totp_enrolled_at from app_user where id = ${s.actor.id} for update`;
    if (!u || u.totp_enrolled_at) throw new AppError("MFA_ALREADY_ENROLLED");
    const secret = u.totp_pending_secret ? openSecret(u.totp_pending_secret) : null;
    if (!secret) throw new AppError("MFA_ENROL_EXPIRED");
    const check = verifyTotp(secret, code, now, null);
    if (!check.ok) throw new AppError("MFA_CODE_WRONG");
    await tx.user.update({
      where: { id: s.actor.id },
      data: { totpSecret: u.totp_pending_secret, totpPendingSecret: null, totpEnrolledAt: now, totpLastStep: check.step },
    });
    await tx.userRecoveryCode.deleteMany({ where: { userId: s.actor.id } });
    await tx.userRecoveryCode.createMany({ data: codes.map((c) => ({ userId: s.actor.id, codeHash: hashRecoveryCode(c) })) });
    await tx.authSession.update({ where: { id: s.sid }, data: { mfa: true } });
    await revokeOtherSessions(tx, s.actor.id, s.sid, "MFA_ENROLLED", now);
    await writeAudit(tx, {
      stationId: s.actor.stationId,
      actorId: s.actor.id,
      action: "auth.mfa.enrol",
      targetType: "user",
      targetId: s.actor.id,
      after: { username: s.actor.username, recoveryCodes: RECOVERY_CODE_COUNT, otherSessionsEnded: true },
    });
    return { recoveryCodes: codes };
  });
}

/** New recovery codes (the old ones stop working), confirmed with a current code. */
export async function regenerateRecoveryCodes(s: CurrentSession, code: string, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  const codes = newRecoveryCodes();
  return prisma.$transaction(async (tx) => {
    const [u] = await tx.$queryRaw<{ totp_secret: string | null; totp_last_step: number | null }[]>`
      select totp_secret, totp_last_step from app_user where id = ${s.actor.id} for update`;
    const secret = u?.totp_secret ? openSecret(u.totp_secret) : null;
    if (!secret) throw new AppError("MFA_NOT_ENROLLED");
    const check = verifyTotp(secret, code, now, u.totp_last_step);
    if (!check.ok) throw new AppError(check.reused ? "MFA_CODE_REUSED" : "MFA_CODE_WRONG");
    await tx.user.update({ where: { id: s.actor.id }, data: { totpLastStep: check.step } });
    await tx.userRecoveryCode.deleteMany({ where: { userId: s.actor.id } });
    await tx.userRecoveryCode.createMany({ data: codes.map((c) => ({ userId: s.actor.id, codeHash: hashRecoveryCode(c) })) });
    await writeAudit(tx, {
      stationId: s.actor.stationId,
      actorId: s.actor.id,
      action: "auth.mfa.recovery_regenerated",
      targetType: "user",
      targetId: s.actor.id,
      after: { username: s.actor.username, recoveryCodes: RECOVERY_CODE_COUNT },
    });
    return { recoveryCodes: codes };
  });
}
