// When a sign-in session is over, and what a live one may reach. Pure: the clock and the
// settings come in as arguments (lib/auth/sessions.ts reads them).
import type { Role } from "@/generated/prisma/enums";

export type SessionLimits = { idleMinutes: number; absoluteHours: number };
export type SessionTimes = { createdAt: Date; lastSeenAt: Date; revokedAt: Date | null };
export type SessionVerdict = "LIVE" | "REVOKED" | "IDLE" | "EXPIRED";

const MINUTE = 60_000;

/** Touch last_seen_at only when it is this old: one write a minute per session at most. */
export const TOUCH_AFTER_MS = MINUTE;

export function sessionVerdict(s: SessionTimes, now: Date, limits: SessionLimits): SessionVerdict {
  if (s.revokedAt) return "REVOKED";
  const t = now.getTime();
  if (t - s.createdAt.getTime() >= limits.absoluteHours * 60 * MINUTE) return "EXPIRED";
  if (t - s.lastSeenAt.getTime() >= limits.idleMinutes * MINUTE) return "IDLE";
  return "LIVE";
}

export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_AFTER_MS;
}

/** Roles that sign in with a second factor. */
export const MFA_ROLES: readonly Role[] = ["MANAGER", "ADMIN"];
export const needsMfa = (role: Role) => MFA_ROLES.includes(role);

/** A step the user must take before anything else: the session reaches only that step's page. */
export type PendingStep = "CHANGE_PASSWORD" | "ENROL_TOTP";

export const PENDING_PAGE: Record<PendingStep, string> = {
  CHANGE_PASSWORD: "/account/password",
  ENROL_TOTP: "/account/two-factor",
};

/**
 * What a live session of this user may do. The password comes first (an initial or reset
 * password is known to an administrator), then the second factor. A session of a user who has a
 * second factor but did not give it in this session is no session at all ("INVALID"): sign-in
 * asks for the code, and enrolment ends the user's other sessions, so this happens only to a
 * session that was open when the role changed (which ends it anyway).
 */
export function pendingStep(
  u: { role: Role; mustChangePassword: boolean; totpEnrolled: boolean },
  sessionMfa: boolean,
): PendingStep | null | "INVALID" {
  const mfaMissing = needsMfa(u.role) && !sessionMfa;
  if (mfaMissing && u.totpEnrolled) return "INVALID";
  if (u.mustChangePassword) return "CHANGE_PASSWORD";
  return mfaMissing ? "ENROL_TOTP" : null;
}
