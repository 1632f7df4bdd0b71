import "server-only";
import { randomBytes } from "node:crypto";
import { prisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import type { Role } from "@/generated/prisma/enums";
import { normalizeUsername } from "@/lib/validation/user";
import { UNKNOWN_ADDRESS } from "./client-address";
import { hashPassword, verifyPassword } from "./password";
import { openSecret } from "./secret-box";
import { needsMfa } from "./session-rules";
import { ACCOUNT_ADDRESS_POLICY, ADDRESS_POLICY, MemoryThrottle, afterFailure, lockedForMs } from "./throttle";
import { hashRecoveryCode, normalizeRecoveryCode, verifyTotp } from "./totp";

/**
 * Checks a username, a password and, for managers and administrators who have enrolled, the
 * second factor (a TOTP code or a one-time recovery code). The rules:
 *  * a wrong password and an unknown user give the same answer (INVALID_CREDENTIALS), and an
 *    unknown user still costs one argon2 verification, so neither the answer nor the time tells
 *    whether the account exists;
 *  * consecutive failures make the next try from the SAME client address wait, longer each time
 *    (throttle.ts): per account and address in the database (login_throttle, counted under the
 *    account's row lock so parallel guesses cannot slip past), per unknown username and address
 *    and per address over all accounts in memory. No address is exempt, and failures from one
 *    address never hold back the account's owner elsewhere;
 *  * the right password of an enrolled user without a code answers MFA_REQUIRED (the form then
 *    asks for the code); a wrong code counts as a failure like a wrong password; a code works
 *    once (RFC 6238 §5.2), a recovery code too;
 *  * a deactivated user is told so only after giving the right password;
 *  * every attempt, failed or not, is an audit_log row (never the password or a code).
 */

export type LoginFailure =
  | "INVALID_CREDENTIALS"
  | "TOO_MANY_ATTEMPTS"
  | "USER_INACTIVE"
  | "MFA_REQUIRED"
  | "MFA_INVALID"
  | "MFA_REUSED"
  | "MFA_UNAVAILABLE";
export type LoginUser = { id: number; stationId: number; name: string; username: string; role: Role; sessionVersion: number };
/** mfa: the second factor was given (the session may reach a manager's or admin's pages). */
export type LoginResult = { ok: true; user: LoginUser; mfa: boolean } | { ok: false; code: LoginFailure; retryAfterMs?: number };
/** ip: the client address (client-address.ts); code: the second factor, when the form sent one. */
export type LoginContext = { ip?: string | null; now?: Date; code?: string | null };

type Reason = "WRONG_PASSWORD" | "UNKNOWN_USER" | "LOCKED" | "IP_LOCKED" | "INACTIVE" | "WRONG_CODE" | "CODE_REUSED" | "MFA_UNAVAILABLE";

// Survive Next's dev reloads so a module reload does not forget the counters.
const g = globalThis as unknown as { __loginThrottlesByAddress?: { address: MemoryThrottle; unknown: MemoryThrottle } };
const throttles = (g.__loginThrottlesByAddress ??= {
  address: new MemoryThrottle(ADDRESS_POLICY),
  unknown: new MemoryThrottle(ACCOUNT_ADDRESS_POLICY),
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
  const address = ctx.ip ? ctx.ip.slice(0, 64) : UNKNOWN_ADDRESS;
  const ip = ctx.ip ? address : null;

  const addressWait = throttles.address.lockedForMs(address, t);
  if (addressWait > 0) {
    await auditAttempt({ stationId: null, userId: null, username, ip, reason: "IP_LOCKED" });
    return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: addressWait };
  }

  const found = username ? await prisma.user.findUnique({ where: { username }, select: { id: true } }) : null;
  if (!found) return unknownUser(username, password, ip, address, t);

  const result = await prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<Row[]>`
        select id, station_id, username, name, role::text as role, active, password_hash, session_version,
               totp_secret, totp_last_step
        from app_user where id = ${found.id} for update`;
      const u = rows[0];
      if (!u) return null; // deleted between the two reads: treat as unknown
      // read after the row lock is held (a statement of its own: a join in the locking statement
      // would see the run as it was before the wait, and parallel guesses would slip through)
      const pair = await tx.loginThrottle.findUnique({
        where: { userId_address: { userId: u.id, address } },
        select: { failures: true, lastFailedAt: true },
      });
      const state = { failures: pair?.failures ?? 0, lastFailedAt: pair ? pair.lastFailedAt.getTime() : null };
      const base = { stationId: u.station_id, userId: u.id, username, ip };

      const wait = lockedForMs(state, t, ACCOUNT_ADDRESS_POLICY);
      if (wait > 0) {
        await writeAudit(tx, entry({ ...base, reason: "LOCKED" }));
        return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: wait } as const;
      }

      const fail = async (reason: Reason): Promise<LoginResult> => {
        const next = afterFailure(state, t, ACCOUNT_ADDRESS_POLICY);
        // one round trip (a wrong password should not cost visibly more than an unknown user):
        // this address's run, and the account's run over all addresses, which is shown to the
        // administrator and never locks anything
        const [{ failed_logins: failedLogins }] = await tx.$queryRaw<{ failed_logins: number }[]>`
          with run as (
            insert into login_throttle (user_id, address, failures, last_failed_at)
            values (${u.id}, ${address}, ${next.failures}, ${now})
            on conflict (user_id, address) do update set failures = excluded.failures, last_failed_at = excluded.last_failed_at
          )
          update app_user set failed_logins = failed_logins + 1, last_failed_at = ${now}
          where id = ${u.id} returning failed_logins`;
        await writeAudit(tx, entry({ ...base, reason, failures: failedLogins }));
        throttles.address.fail(address, t);
        const waitNow = lockedForMs(next, t, ACCOUNT_ADDRESS_POLICY);
        if (waitNow > 0) return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: waitNow };
        return { ok: false, code: reason === "WRONG_CODE" ? "MFA_INVALID" : "INVALID_CREDENTIALS" };
      };

      if (!(await verifyPassword(u.password_hash, password))) return fail("WRONG_PASSWORD");

      if (!u.active) {
        await writeAudit(tx, entry({ ...base, reason: "INACTIVE" }));
        return { ok: false, code: "USER_INACTIVE" } as const;
      }

      let mfa: "TOTP" | "RECOVERY" | null = null;
      if (needsMfa(u.role as Role) && u.totp_secret) {
        const code = (ctx.code ?? "").trim();
        if (!code) return { ok: false, code: "MFA_REQUIRED" } as const;
        const secret = openSecret(u.totp_secret);
        if (!secret) {
          await writeAudit(tx, entry({ ...base, reason: "MFA_UNAVAILABLE" }));
          return { ok: false, code: "MFA_UNAVAILABLE" } as const;
        }
        const totp = verifyTotp(secret, code, now, u.totp_last_step);
        if (totp.ok) {
          await tx.user.update({ where: { id: u.id }, data: { totpLastStep: totp.step } });
          mfa = "TOTP";
        } else if (totp.reused) {
          // not a guess (whoever sends it has just seen it work): no failure, but no entry
          await writeAudit(tx, entry({ ...base, reason: "CODE_REUSED" }));
          return { ok: false, code: "MFA_REUSED" } as const;
        } else if (await useRecoveryCode(tx, u.id, code, now)) {
          mfa = "RECOVERY";
          const left = await tx.userRecoveryCode.count({ where: { userId: u.id, usedAt: null } });
          await writeAudit(tx, {
            stationId: u.station_id,
            actorId: u.id,
            action: "auth.mfa.recovery_used",
            targetType: "user",
            targetId: u.id,
            after: { username, ip, recoveryCodesLeft: left },
          });
        }
        if (!mfa) return fail("WRONG_CODE");
      }

      if (pair) await tx.loginThrottle.delete({ where: { userId_address: { userId: u.id, address } } });
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
        after: { username, ip, ...(mfa ? { mfa } : {}) },
      });
      const user: LoginUser = {
        id: u.id,
        stationId: u.station_id,
        name: u.name,
        username: u.username,
        role: u.role as Role,
        sessionVersion: u.session_version,
      };
      return { ok: true, user, mfa: mfa !== null } as const;
    },
    // Parallel attempts on one account queue on the row lock, each a ~50 ms hash.
    { timeout: 20_000, maxWait: 10_000 },
  );
  if (result?.ok) await forgetStaleRuns(now);
  return result ?? unknownUser(username, password, ip, address, t);
}

/** Marks an unused recovery code of the user used; false when there is none such. */
async function useRecoveryCode(tx: Tx, userId: number, code: string, now: Date): Promise<boolean> {
  if (!normalizeRecoveryCode(code)) return false;
  const r = await tx.userRecoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: now },
  });
  return r.count === 1;
}

/** Runs that would be forgotten anyway (no failure for resetAfterMs) need no row. */
async function forgetStaleRuns(now: Date) {
  await prisma.loginThrottle.deleteMany({
    where: { lastFailedAt: { lt: new Date(now.getTime() - ACCOUNT_ADDRESS_POLICY.resetAfterMs) } },
  });
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
  totp_secret: string | null;
  totp_last_step: number | null;
};

async function unknownUser(username: string, password: string, ip: string | null, address: string, t: number): Promise<LoginResult> {
  const key = `${username}\u0000${address}`;
  const wait = throttles.unknown.lockedForMs(key, t);
  if (wait > 0) {
    await auditAttempt({ stationId: null, userId: null, username, ip, reason: "LOCKED" });
    return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: wait };
  }
  // Counted before the hash: an unknown user always fails, so parallel guesses are counted too.
  const waitNow = throttles.unknown.fail(key, t);
  await verifyPassword(await dummy(), password);
  throttles.address.fail(address, t);
  await auditAttempt({ stationId: null, userId: null, username, ip, reason: "UNKNOWN_USER" });
  return waitNow > 0 ? { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterMs: waitNow } : { ok: false, code: "INVALID_CREDENTIALS" };
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
  throttles.address = new MemoryThrottle(ADDRESS_POLICY);
  throttles.unknown = new MemoryThrottle(ACCOUNT_ADDRESS_POLICY);
}
