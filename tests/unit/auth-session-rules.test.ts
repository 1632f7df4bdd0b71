import { describe, expect, it } from "vitest";
import { needsTouch, pendingStep, sessionVerdict } from "@/lib/auth/session-rules";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";

const MIN = 60_000;
const t0 = new Date("2026-12-06T01:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const limits = DEFAULT_SETTINGS.session; // 30 minutes idle, 12 hours in all

describe("sessionVerdict (issue 9 item 8: sessions end after 30 minutes idle and 12 hours in all)", () => {
  it("the defaults are the issue's", () => {
    expect(limits).toEqual({ idleMinutes: 30, absoluteHours: 12 });
  });

  it.each<[string, { created: number; seen: number; revoked?: number }, number, string]>([
    ["just signed in", { created: 0, seen: 0 }, 0, "LIVE"],
    ["used a minute short of the idle limit", { created: 0, seen: 0 }, 29 * MIN, "LIVE"],
    ["unused for the idle limit", { created: 0, seen: 0 }, 30 * MIN, "IDLE"],
    ["used every few minutes for 11 hours 59", { created: 0, seen: 719 * MIN - 5 * MIN }, 719 * MIN, "LIVE"],
    ["used a moment ago but 12 hours old", { created: 0, seen: 720 * MIN - 1000 }, 720 * MIN, "EXPIRED"],
    ["signed out", { created: 0, seen: 0, revoked: 1000 }, 2000, "REVOKED"],
  ])("%s → %s", (_n, s, now, verdict) => {
    const times = { createdAt: at(s.created), lastSeenAt: at(s.seen), revokedAt: s.revoked != null ? at(s.revoked) : null };
    expect(sessionVerdict(times, at(now), limits)).toBe(verdict);
  });

  it("follows the settings", () => {
    const times = { createdAt: t0, lastSeenAt: t0, revokedAt: null };
    expect(sessionVerdict(times, at(10 * MIN), { idleMinutes: 5, absoluteHours: 12 })).toBe("IDLE");
    expect(sessionVerdict(times, at(2 * 60 * MIN), { idleMinutes: 720, absoluteHours: 1 })).toBe("EXPIRED");
  });

  it("last_seen_at is written at most once a minute", () => {
    expect(needsTouch(t0, at(59_999))).toBe(false);
    expect(needsTouch(t0, at(MIN))).toBe(true);
  });
});

describe("pendingStep (issue 9 item 10)", () => {
  const user = (role: "CLERK" | "MANAGER" | "ADMIN", o: { must?: boolean; enrolled?: boolean } = {}) =>
    ({ role, mustChangePassword: o.must ?? false, totpEnrolled: o.enrolled ?? false });

  it.each<[string, ReturnType<typeof user>, boolean, string | null]>([
    ["a clerk", user("CLERK"), false, null],
    ["a clerk with an initial password", user("CLERK", { must: true }), false, "CHANGE_PASSWORD"],
    ["a manager who gave the code", user("MANAGER", { enrolled: true }), true, null],
    ["a manager not yet enrolled", user("MANAGER"), false, "ENROL_TOTP"],
    ["an administrator not yet enrolled, initial password: password first", user("ADMIN", { must: true }), false, "CHANGE_PASSWORD"],
    ["an enrolled administrator with a reset password, code given", user("ADMIN", { must: true, enrolled: true }), true, "CHANGE_PASSWORD"],
    ["an enrolled manager whose session never gave the code: no session", user("MANAGER", { enrolled: true }), false, "INVALID"],
    ["…even with a password to change", user("MANAGER", { enrolled: true, must: true }), false, "INVALID"],
  ])("%s → %s", (_n, u, mfa, step) => {
    expect(pendingStep(u, mfa)).toBe(step);
  });
});
