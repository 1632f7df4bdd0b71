// The dispatcher's pure rules: quiet hours in the station's zone (also across midnight), the
// retry/backoff ladder, recipient checks per channel and which channels a gateway serves.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { localTime } from "@/lib/domain/calendar";
import { deliveryRoute, isElectronic } from "@/lib/domain/outbox/channels";
import { inQuietHours, sendableAt } from "@/lib/domain/outbox/quiet-hours";
import { checkRecipient } from "@/lib/domain/outbox/recipient";
import { RETRY_POLICY, afterFailure } from "@/lib/domain/outbox/retry";

const SH = "Asia/Shanghai";
const night = { quietFrom: "20:00", quietTo: "08:00" }; // the default: crosses midnight
const noon = { quietFrom: "12:00", quietTo: "14:00" }; // within one day

describe("quiet hours", () => {
  it.each([
    // [time, window, quiet?]
    ["19:59", night, false], ["20:00", night, true], ["23:59", night, true], ["00:00", night, true],
    ["07:59", night, true], ["08:00", night, false], ["12:00", night, false],
    ["11:59", noon, false], ["12:00", noon, true], ["13:59", noon, true], ["14:00", noon, false], ["00:30", noon, false],
    ["03:00", { quietFrom: "08:00", quietTo: "08:00" }, false], // equal ends: no quiet hours
    ["00:00", { quietFrom: "00:00", quietTo: "06:00" }, true],
    ["23:30", { quietFrom: "23:00", quietTo: "00:00" }, true], // up to midnight
    ["00:00", { quietFrom: "23:00", quietTo: "00:00" }, false],
  ])("%s in %o → %s", (t, q, quiet) => expect(inQuietHours(t, q)).toBe(quiet));

  it.each([
    // [now (UTC), window, sendable at (UTC)]; Shanghai is UTC+8
    ["2026-11-30T03:00:00Z", night, "2026-11-30T03:00:00Z"], // 11:00 local: now
    ["2026-11-30T12:00:00Z", night, "2026-12-01T00:00:00Z"], // 20:00 local: tomorrow 08:00
    ["2026-11-30T15:59:00Z", night, "2026-12-01T00:00:00Z"], // 23:59 local
    ["2026-11-30T16:00:00Z", night, "2026-12-01T00:00:00Z"], // 00:00 local on the 1st: the same morning
    ["2026-11-30T23:59:30Z", night, "2026-12-01T00:00:00Z"], // 07:59:30 local
    ["2026-12-01T00:00:00Z", night, "2026-12-01T00:00:00Z"], // 08:00 local: quietTo itself is allowed
    ["2026-12-31T13:00:00Z", night, "2027-01-01T00:00:00Z"], // 21:00 on New Year's Eve: next year
    ["2026-11-30T04:30:00Z", noon, "2026-11-30T06:00:00Z"], // 12:30 local: 14:00 the same day
    ["2026-11-30T06:00:00Z", noon, "2026-11-30T06:00:00Z"],
  ])("sendableAt(%s, %o) = %s", (now, q, at) => expect(sendableAt(new Date(now), q, SH).toISOString()).toBe(new Date(at).toISOString()));

  it("reads the clock of the station, not the server", () => {
    // 12:30 UTC is 20:30 in Shanghai (quiet) but 07:30 in New York the same day (quiet too, but
    // ending at 08:00 New York time, 13:00 UTC)
    const now = new Date("2026-11-30T12:30:00Z");
    expect(localTime(now, SH)).toBe("20:30");
    expect(sendableAt(now, night, SH).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(sendableAt(now, night, "America/New_York").toISOString()).toBe("2026-11-30T13:00:00.000Z");
  });

  it("never answers a time before now, and never one inside the quiet hours", () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
    fc.assert(fc.property(
      fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }), hhmm, hhmm,
      (now, quietFrom, quietTo) => {
        const at = sendableAt(now, { quietFrom, quietTo }, SH);
        expect(at.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(inQuietHours(localTime(at, SH), { quietFrom, quietTo })).toBe(false);
        // and it is the first such minute: one minute earlier is still quiet (or before now)
        if (at.getTime() > now.getTime()) expect(inQuietHours(localTime(new Date(at.getTime() - 60_000), SH), { quietFrom, quietTo })).toBe(true);
      }));
  });
});

describe("retry after a failed send", () => {
  const now = new Date("2026-11-30T03:00:00Z");
  const later = (m: number) => new Date(now.getTime() + m * 60_000);

  it.each([
    [1, "TRANSIENT", { status: "PENDING", notBefore: later(1) }],
    [2, "TRANSIENT", { status: "PENDING", notBefore: later(5) }],
    [3, "TRANSIENT", { status: "PENDING", notBefore: later(15) }],
    [4, "TRANSIENT", { status: "PENDING", notBefore: later(60) }],
    [5, "TRANSIENT", { status: "FAILED" }], // the fifth try was the last
    [9, "TRANSIENT", { status: "FAILED" }],
    [1, "PERMANENT", { status: "FAILED" }], // at once
  ] as const)("attempt %i, %s → %o", (attempts, kind, out) => expect(afterFailure(attempts, kind, now)).toEqual(out));

  it("keeps the last delay when the policy allows more tries than it lists delays", () => {
    const p = { maxAttempts: 10, delaysMinutes: [2, 30] };
    expect(afterFailure(1, "TRANSIENT", now, p)).toEqual({ status: "PENDING", notBefore: later(2) });
    expect(afterFailure(7, "TRANSIENT", now, p)).toEqual({ status: "PENDING", notBefore: later(30) });
    expect(afterFailure(10, "TRANSIENT", now, p)).toEqual({ status: "FAILED" });
  });

  it("gives up after exactly maxAttempts tries and never waits less than before", () => {
    let last = 0;
    for (let a = 1; a < RETRY_POLICY.maxAttempts; a++) {
      const r = afterFailure(a, "TRANSIENT", now);
      expect(r.status).toBe("PENDING");
      const wait = r.status === "PENDING" ? r.notBefore.getTime() - now.getTime() : 0;
      expect(wait).toBeGreaterThanOrEqual(last);
      last = wait;
    }
    expect(afterFailure(RETRY_POLICY.maxAttempts, "TRANSIENT", now).status).toBe("FAILED");
  });
});

describe("recipients", () => {
  it.each([
    ["SMS", "13900000002", { ok: true, recipient: "13900000002" }],
    ["SMS", " 139-0000-0002 ", { ok: true, recipient: "13900000002" }],
    ["SMS", "+86 139 0000 0002", { ok: true, recipient: "13900000002" }],
    ["SMS", "", { ok: false, problem: "EMPTY" }],
    ["SMS", "   ", { ok: false, problem: "EMPTY" }],
    ["SMS", "0571-88886666", { ok: false, problem: "INVALID_MOBILE" }], // a landline gets no SMS
    ["SMS", "12900000002", { ok: false, problem: "INVALID_MOBILE" }],
    ["SMS", "幸福路 12 号", { ok: false, problem: "INVALID_MOBILE" }], // an address where a number belongs
    ["EMAIL", "cw@example.com", { ok: true, recipient: "cw@example.com" }],
    ["EMAIL", "cw@example", { ok: false, problem: "INVALID_EMAIL" }],
    ["WECHAT", "oAbC_123-xyz", { ok: true, recipient: "oAbC_123-xyz" }],
    ["WECHAT", "two words", { ok: false, problem: "INVALID_WECHAT" }],
    ["WECHAT", null, { ok: false, problem: "EMPTY" }],
  ] as const)("%s %j → %o", (ch, v, out) => expect(checkRecipient(ch, v)).toEqual(out));
});

describe("delivery routes", () => {
  it.each([
    ["SMS", "GATEWAY"], ["WECHAT", "GATEWAY"], ["EMAIL", "GATEWAY"],
    ["POST", "PRINT"], ["ON_SITE", "PRINT"], ["POSTED_NOTICE", "PRINT"], ["FAX", "PRINT"],
    ["PHONE", "CALL"], ["LANDLINE", "CALL"],
  ])("%s → %s", (ch, route) => {
    expect(deliveryRoute(ch)).toBe(route);
    expect(isElectronic(ch)).toBe(route === "GATEWAY");
  });
});
