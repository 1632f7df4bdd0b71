import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { writeAudit } from "@/lib/data/audit";
import { prisma, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { needsMfa } from "@/lib/auth/session-rules";
import type { ChangeRoleInput, CreateUserInput, ResetPasswordInput, ResetTwoFactorInput, SetActiveInput } from "@/lib/validation/user";

/**
 * Staff accounts. An administrator manages the users of their own station (every record
 * belongs to one station). Invariants kept here, under row locks:
 *  * an administrator cannot deactivate themself or change their own role;
 *  * a station never loses its last active administrator;
 *  * a password reset, a role change or a deactivation bumps session_version, so the user's
 *    open sessions stop working at the next request (lib/auth/guard.ts compares it);
 *  * a created user and a reset password must be changed by the user at the next sign-in
 *    (must_change_password: until then the session reaches only the change-password page);
 *  * resetting a user's second factor ends their sessions; they enrol again at the next sign-in;
 *  * every change writes an audit_log row in the same transaction (never a password or hash).
 */

export type UserDTO = {
  id: number;
  username: string;
  name: string;
  role: Role;
  stationId: number;
  stationName: string;
  active: boolean;
  failedLogins: number;
  lastLoginAt: string | null; // ISO instant
  createdAt: string;
  mustChangePassword: boolean;
  /** the second factor: not asked of this role, enrolled, or to be enrolled at the next sign-in */
  twoFactor: "NOT_NEEDED" | "ENROLLED" | "NOT_ENROLLED";
};

const dtoSelect = {
  id: true,
  username: true,
  name: true,
  role: true,
  stationId: true,
  active: true,
  failedLogins: true,
  lastLoginAt: true,
  createdAt: true,
  mustChangePassword: true,
  totpEnrolledAt: true,
  station: { select: { name: true } },
} as const;

type Row = Prisma.UserGetPayload<{ select: typeof dtoSelect }>;

function toDTO(u: Row): UserDTO {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    role: u.role,
    stationId: u.stationId,
    stationName: u.station.name,
    active: u.active,
    failedLogins: u.failedLogins,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
    mustChangePassword: u.mustChangePassword,
    twoFactor: !needsMfa(u.role) ? "NOT_NEEDED" : u.totpEnrolledAt ? "ENROLLED" : "NOT_ENROLLED",
  };
}

export async function listUsers(stationId: number): Promise<UserDTO[]> {
  const rows = await prisma.user.findMany({
    where: { stationId },
    select: dtoSelect,
    orderBy: [{ active: "desc" }, { role: "asc" }, { username: "asc" }],
  });
  return rows.map(toDTO);
}

export async function getUser(stationId: number, id: number): Promise<UserDTO | null> {
  const u = await prisma.user.findFirst({ where: { id, stationId }, select: dtoSelect });
  return u ? toDTO(u) : null;
}

/** Stations the actor may create users in: their own (a company-level admin is future work). */
export async function manageableStations(actor: Pick<Actor, "stationId">): Promise<{ id: number; name: string }[]> {
  return prisma.station.findMany({ where: { id: actor.stationId }, select: { id: true, name: true } });
}

export type UserAuditDTO = { id: number; action: string; at: string; actorName: string | null; before: unknown; after: unknown };

/** The latest audit rows about one user (changes to the account and sign-in attempts). */
export async function recentUserAudit(stationId: number, userId: number, limit = 12): Promise<UserAuditDTO[]> {
  const rows = await prisma.auditLog.findMany({
    where: { targetType: "user", targetId: String(userId), OR: [{ stationId }, { stationId: null }] },
    orderBy: { at: "desc" },
    take: limit,
  });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((x): x is number => x != null))];
  const actors = await prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } });
  const names = new Map(actors.map((a) => [a.id, a.name]));
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    at: r.at.toISOString(),
    actorName: r.actorId != null ? (names.get(r.actorId) ?? null) : null,
    before: r.before,
    after: r.after,
  }));
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<{ id: number; username: string }> {
  const allowed = await manageableStations(actor);
  if (!allowed.some((s) => s.id === input.stationId)) throw new AppError("STATION_NOT_ALLOWED");
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  try {
    return await prisma.$transaction(async (tx) => {
      const u = await tx.user.create({
        data: {
          stationId: input.stationId,
          username: input.username,
          name: input.name,
          role: input.role,
          passwordHash,
          mustChangePassword: true, // the administrator knows the initial password
        },
        select: { id: true, username: true },
      });
      await writeAudit(tx, {
        stationId: input.stationId,
        actorId: actor.id,
        action: "user.create",
        targetType: "user",
        targetId: u.id,
        after: { username: u.username, name: input.name, role: input.role, stationId: input.stationId },
      });
      return u;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw new AppError("USERNAME_TAKEN");
    throw e;
  }
}

type Target = { id: number; stationId: number; role: Role; active: boolean; username: string; sessionVersion: number };

/**
 * Locks the station's active administrators and the target in one statement, in id order (so
 * two admins editing each other cannot deadlock), then returns the target and how many OTHER
 * active administrators remain. After waiting for a lock PostgreSQL re-checks the WHERE clause,
 * so an admin demoted by a concurrent transaction is no longer counted.
 */
async function lockTarget(tx: Tx, actor: Actor, userId: number): Promise<{ target: Target; otherAdmins: number }> {
  const rows = await tx.$queryRaw<{ id: number; station_id: number; role: Role; active: boolean; username: string; session_version: number }[]>`
    select id, station_id, role::text as role, active, username, session_version from app_user
    where station_id = ${actor.stationId} and (id = ${userId} or (role = 'ADMIN' and active))
    order by id for update`;
  const t = rows.find((r) => r.id === userId);
  if (!t) throw new AppError("NOT_FOUND");
  const otherAdmins = rows.filter((r) => r.id !== userId && r.role === "ADMIN" && r.active).length;
  return {
    target: { id: t.id, stationId: t.station_id, role: t.role, active: t.active, username: t.username, sessionVersion: t.session_version },
    otherAdmins,
  };
}

export async function resetPassword(actor: Actor, input: ResetPasswordInput): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await prisma.$transaction(async (tx) => {
    const { target } = await lockTarget(tx, actor, input.userId);
    await tx.user.update({
      where: { id: target.id },
      data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 }, failedLogins: 0, lastFailedAt: null },
    });
    await tx.loginThrottle.deleteMany({ where: { userId: target.id } });
    await writeAudit(tx, {
      stationId: target.stationId,
      actorId: actor.id,
      action: "user.password.reset",
      targetType: "user",
      targetId: target.id,
      after: { username: target.username, sessionsEnded: true, mustChangePassword: true },
    });
  });
}

/** Clears a user's second factor (lost phone and recovery codes): their sessions end and they
 *  enrol again at the next sign-in. Not one's own: another administrator does that. */
export async function resetTwoFactor(actor: Actor, input: ResetTwoFactorInput): Promise<void> {
  if (input.userId === actor.id) throw new AppError("CANNOT_RESET_OWN_MFA");
  await prisma.$transaction(async (tx) => {
    const { target } = await lockTarget(tx, actor, input.userId);
    await tx.user.update({
      where: { id: target.id },
      data: { totpSecret: null, totpPendingSecret: null, totpEnrolledAt: null, totpLastStep: null, sessionVersion: { increment: 1 } },
    });
    await tx.userRecoveryCode.deleteMany({ where: { userId: target.id } });
    await writeAudit(tx, {
      stationId: target.stationId,
      actorId: actor.id,
      action: "auth.mfa.reset",
      targetType: "user",
      targetId: target.id,
      after: { username: target.username, sessionsEnded: true },
    });
  });
}

export async function changeRole(actor: Actor, input: ChangeRoleInput): Promise<{ changed: boolean }> {
  if (input.userId === actor.id) throw new AppError("CANNOT_CHANGE_OWN_ROLE");
  return prisma.$transaction(async (tx) => {
    const { target, otherAdmins } = await lockTarget(tx, actor, input.userId);
    if (target.role === input.role) return { changed: false };
    if (target.role === "ADMIN" && target.active && otherAdmins === 0) throw new AppError("LAST_ADMIN");
    await tx.user.update({
      where: { id: target.id },
      data: { role: input.role, sessionVersion: { increment: 1 } },
    });
    await writeAudit(tx, {
      stationId: target.stationId,
      actorId: actor.id,
      action: "user.role.change",
      targetType: "user",
      targetId: target.id,
      before: { role: target.role },
      after: { role: input.role },
    });
    return { changed: true };
  });
}

export async function setActive(actor: Actor, input: SetActiveInput): Promise<{ changed: boolean }> {
  if (input.userId === actor.id && !input.active) throw new AppError("CANNOT_DEACTIVATE_SELF");
  return prisma.$transaction(async (tx) => {
    const { target, otherAdmins } = await lockTarget(tx, actor, input.userId);
    if (target.active === input.active) return { changed: false };
    if (!input.active && target.role === "ADMIN" && otherAdmins === 0) throw new AppError("LAST_ADMIN");
    await tx.user.update({
      where: { id: target.id },
      // deactivation ends open sessions at once; reactivation clears the failed-login run
      data: input.active ? { active: true, failedLogins: 0, lastFailedAt: null } : { active: false, sessionVersion: { increment: 1 } },
    });
    await writeAudit(tx, {
      stationId: target.stationId,
      actorId: actor.id,
      action: input.active ? "user.reactivate" : "user.deactivate",
      targetType: "user",
      targetId: target.id,
      before: { active: target.active },
      after: { active: input.active },
    });
    return { changed: true };
  });
}
