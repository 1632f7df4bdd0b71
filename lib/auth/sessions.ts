import "server-only";
import { randomBytes } from "node:crypto";
import { pool, prisma, type Tx } from "@/lib/db";
import { stationSettings, stationToday } from "@/lib/data/ledger";
import type { Role } from "@/generated/prisma/enums";
import { needsTouch, pendingStep, sessionVerdict, type PendingStep, type SessionLimits } from "./session-rules";

/**
 * Sign-in sessions on the server (table auth_session). The JWT cookie carries the session's id
 * with the user id and session_version; a token proves nothing by itself: every request
 * (lib/auth/options.ts, jwt callback: page renders, server actions, route handlers and
 * next-auth's own /api/auth/session) asks checkSession whether its session is still live.
 * Sign-out revokes the row, so a copy of the cookie taken before sign-out is dead too.
 */

export type SessionUser = { id: number; stationId: number; role: Role; name: string; username: string };
/** A live session: its user, and the one step it is held at, if any (session-rules.ts). */
export type LiveSession = { sid: string; user: SessionUser; pending: PendingStep | null };

const KEEP_ENDED_MS = 90 * 24 * 3600_000;

export type RevokeReason = "SIGN_OUT" | "IDLE" | "EXPIRED" | "PASSWORD_CHANGED" | "MFA_ENROLLED";

export async function createSession(userId: number, opts: { ip: string | null; mfa: boolean; now?: Date }): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const now = opts.now ?? new Date();
  await prisma.authSession.create({
    data: { id, userId, createdAt: now, lastSeenAt: now, mfa: opts.mfa, ip: opts.ip?.slice(0, 64) ?? null },
  });
  // a session is over after a day at most (SESSION_MAX_ABSOLUTE_HOURS); its row is kept a while
  // for whoever asks who was signed in when, then forgotten
  await prisma.authSession.deleteMany({ where: { userId, createdAt: { lt: new Date(now.getTime() - KEEP_ENDED_MS) } } });
  return id;
}

/** The station's limits in force today (cached for half a minute with the other settings). */
export async function sessionLimits(stationId: number, now: Date): Promise<SessionLimits> {
  return (await stationSettings(pool, stationId, await stationToday(stationId, now))).session;
}

/**
 * The session a token names, if it is still live: not revoked, used within the idle limit, not
 * older than the absolute limit, its user active and on the same session_version. A live
 * session's last_seen_at moves on at most once a minute. A session found idle or too old is
 * marked revoked with that reason (so the table tells why it ended).
 */
export async function checkSession(token: Record<string, unknown> | null | undefined, now = new Date()): Promise<LiveSession | null> {
  const sid = typeof token?.sid === "string" ? token.sid : null;
  const uid = typeof token?.uid === "number" ? token.uid : null;
  if (!sid || uid == null) return null;
  const s = await prisma.authSession.findUnique({
    where: { id: sid },
    select: {
      userId: true, createdAt: true, lastSeenAt: true, revokedAt: true, mfa: true,
      user: {
        select: {
          id: true, stationId: true, role: true, name: true, username: true, active: true, sessionVersion: true,
          mustChangePassword: true, totpEnrolledAt: true,
        },
      },
    },
  });
  if (!s || s.userId !== uid) return null;
  const u = s.user;
  if (!u.active || u.sessionVersion !== token?.sv) return null;
  const verdict = sessionVerdict(s, now, await sessionLimits(u.stationId, now));
  if (verdict !== "LIVE") {
    if (verdict !== "REVOKED") await revokeSession(sid, verdict, now);
    return null;
  }
  const pending = pendingStep({ role: u.role, mustChangePassword: u.mustChangePassword, totpEnrolled: u.totpEnrolledAt != null }, s.mfa);
  if (pending === "INVALID") return null;
  if (needsTouch(s.lastSeenAt, now)) {
    // only forwards: two requests racing must not move it back
    await prisma.authSession.updateMany({ where: { id: sid, lastSeenAt: { lt: now } }, data: { lastSeenAt: now } });
  }
  return {
    sid,
    user: { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username },
    pending,
  };
}

export async function revokeSession(sid: string, reason: RevokeReason, now = new Date(), db: Tx | typeof prisma = prisma) {
  await db.authSession.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
}

/** Ends every other session of the user (after a password change or an enrolment). */
export async function revokeOtherSessions(tx: Tx, userId: number, keepSid: string, reason: RevokeReason, now = new Date()) {
  await tx.authSession.updateMany({
    where: { userId, id: { not: keepSid }, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
}
