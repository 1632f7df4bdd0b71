import "server-only";
import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import type { Role } from "@/generated/prisma/enums";
import { normalizeUsername } from "@/lib/validation/user";
import { hashPassword, verifyPassword } from "./password";
import { IP_POLICY, MemoryThrottle, USER_POLICY, afterFailure, lockedForMs } from "./throttle";

/**
 * Checks a username and password. The rules:
 *  * a wrong password and an unknown user give the same answer (INVALID_CREDENTIALS), and an
 *    unknown user still costs one argon2 verification, so neither the answer nor the time tells
 *    whether the account exists;
 *  * consecutive failures lock the account for a growing while (throttle.ts): per user in the
 *    database (app_user.failed_logins / last_failed_at, counted under a row lock so parallel
 *    guesses cannot slip past the limit), per unknown username and per client address in memory;
 *  * a deactivated user is told so only after giving the right password;
 *  * every attempt, failed or not, is an audit_log row (never the password).
 */

export type LoginFailure = "INVALID_CREDENTIALS" | "TOO_MANY_ATTEMPTS" | "USER_INACTIVE";
export type LoginUser = { id: number; stationId: number; name: string; username: string; role: Role; sessionVersion: number };
export type LoginResult = { ok: true; user: LoginUser } | { ok: false; code: LoginFailure; retryAfterMs?: number };
export type LoginContext = { ip?: string | null; now?: Date };

type Reason = "WRONG_PASSWORD" | "UNKNOWN_USER" | "LOCKED" | "IP_LOCKED" | "INACTIVE";

// Survive Next's dev reloads so a module reload does not forget the counters.
const g = globalThis as unknown as { __loginThrottles?: { ip: MemoryThrottle; name: MemoryThrottle } };
const throttles = (g.__loginThrottles ??= {
  ip: new MemoryThrottle(IP_POLICY),
  name: new MemoryThrottle(USER_POLICY),
});

// A real argon2 hash of a random secret, so an unknown user costs the same verification.
let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  return (dummyHash ??= hashPassword(randomBytes(24).toString("base64")));
}
void dummy().catch(() => {});

export async function verifyLogin(rawUsername: string, password: string, ctx: LoginContext = {}): Promise<LoginResult> {
  const now = ctx.now ?? new Date();
  const t = now.getTime();
  const username = normalizeUsername(String(rawUsername ?? "")).slice(0, 60);
  const ip = ctx.ip ? ctx.ip.slice(0, 64) : null;
  const ipKey = ip ?? "-";

  // Loopback clients (the machine itself: tests, a local reverse proxy that does not forward the
  // address) are not address-throttled, or one script could lock out everyone behind it; the
  // per-account lock still applies to them.
  const ipThrottled = !isLoopback(ip);
  const ipLock = ipThrottled ? throttles.ip.lockedForMs(ipKey, t) : 0;
  if (ipLock > 0) {
    await auditAttempt({ stationId: null, userId: null, username, ip, reason: "IP_LOCKED" });
    return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: ipLock };
  }

  const found = username ? await prisma.user.findUnique({ where: { username }, select: { id: true } }) : null;
  if (!found) return unknownUser(username, password, ip, ipThrottled ? ipKey : null, t);

  const result = await prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<Row[]>`
        select id, station_id, username, name, role::text as role, active, password_hash, session_version,
               failed_logins, last_failed_at
        from app_user where id = ${found.id} for update`;
      const u = rows[0];
      if (!u) return null; // deleted between the two reads: treat as unknown
      const state = { failures: u.failed_logins, lastFailedAt: u.last_failed_at ? u.last_failed_at.getTime() : null };
      const base = { stationId: u.station_id, userId: u.id, username, ip };

      const locked = lockedForMs(state, t, USER_POLICY);
      if (locked > 0) {
        await writeAudit(tx, entry({ ...base, reason: "LOCKED" }));
        return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: locked } as const;
      }

      if (!(await verifyPassword(u.password_hash, password))) {
        const next = afterFailure(state, t, USER_POLICY);
        await tx.user.update({
          where: { id: u.id },
          data: { failedLogins: next.failures, lastFailedAt: now },
        });
        await writeAudit(tx, entry({ ...base, reason: "WRONG_PASSWORD", failures: next.failures }));
        if (ipThrottled) throttles.ip.fail(ipKey, t);
        const lockNow = lockedForMs(next, t, USER_POLICY);
        return lockNow > 0
          ? ({ ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: lockNow } as const)
          : ({ ok: false, code: "INVALID_CREDENTIALS" } as const);
      }

      if (!u.active) {
        await writeAudit(tx, entry({ ...base, reason: "INACTIVE" }));
        return { ok: false, code: "USER_INACTIVE" } as const;
      }

      await tx.user.update({
        where: { id: u.id },
        data: { failedLogins: 0, lastFailedAt: null, lastLoginAt: now },
      });
      await writeAudit(tx, {
        stationId: u.station_id,
        actorId: u.id,
        action: "auth.login.success",
        targetType: "user",
        targetId: u.id,
        after: { username, ip },
      });
      const user: LoginUser = {
        id: u.id,
        stationId: u.station_id,
        name: u.name,
        username: u.username,
        role: u.role as Role,
        sessionVersion: u.session_version,
      };
      return { ok: true, user } as const;
    },
    // Parallel attempts on one account queue on the row lock, each a ~50 ms hash.
    { timeout: 20_000, maxWait: 10_000 },
  );
  return result ?? unknownUser(username, password, ip, ipThrottled ? ipKey : null, t);
}

function isLoopback(ip: string | null): boolean {
  if (!ip) return false;
  const a = ip.replace(/^::ffff:/, "");
  return a === "::1" || a === "localhost" || /^127\./.test(a);
}

type Row = {
  id: number;
  station_id: number;
  username: string;
  name: string;
  role: string;
  active: boolean;
  password_hash: string;
  session_version: number;
  failed_logins: number;
  last_failed_at: Date | null;
};

async function unknownUser(username: string, password: string, ip: string | null, ipKey: string | null, t: number): Promise<LoginResult> {
  const locked = throttles.name.lockedForMs(username, t);
  if (locked > 0) {
    await auditAttempt({ stationId: null, userId: null, username, ip, reason: "LOCKED" });
    return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: locked };
  }
  // Counted before the hash: an unknown user always fails, so parallel guesses are counted too.
  const lockNow = throttles.name.fail(username, t);
  await verifyPassword(await dummy(), password);
  if (ipKey) throttles.ip.fail(ipKey, t);
  await auditAttempt({ stationId: null, userId: null, username, ip, reason: "UNKNOWN_USER" });
  return lockNow > 0 ? { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: lockNow } : { ok: false, code: "INVALID_CREDENTIALS" };
}

type Attempt = { stationId: number | null; userId: number | null; username: string; ip: string | null; reason: Reason; failures?: number };

function entry(a: Attempt) {
  return {
    stationId: a.stationId,
    actorId: null, // nobody is signed in yet: the target is the account that was tried
    action: "auth.login.failure",
    targetType: "user",
    targetId: a.userId,
    after: { username: a.username.slice(0, 40), ip: a.ip, reason: a.reason, failures: a.failures },
  };
}

async function auditAttempt(a: Attempt) {
  await prisma.$transaction((tx) => writeAudit(tx, entry(a)));
}

/** For tests only: forget the in-memory counters. */
export function resetLoginThrottles() {
  throttles.ip = new MemoryThrottle(IP_POLICY);
  throttles.name = new MemoryThrottle(USER_POLICY);
}
