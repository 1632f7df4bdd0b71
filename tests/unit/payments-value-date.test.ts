import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, daysBetween } from "@/lib/domain/calendar";
import { isPaidOnInWindow, partnerPaidOnWindow } from "@/lib/domain/payments/value-date";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";

describe("partner paidOn window", () => {
  it("is today and the 3 days before by default, across a year end", () => {
    const w = partnerPaidOnWindow("2027-01-02", DEFAULT_SETTINGS.partner.paidOnDaysBack);
    expect(w).toEqual({ from: "2026-12-30", to: "2027-01-02" });
    expect(["2026-12-29", "2026-12-30", "2027-01-02", "2027-01-03", "1900-01-01", "2099-12-31"].map((d) => isPaidOnInWindow(d, w)))
      .toEqual([false, true, true, false, false, false]);
  });

  it("accepts exactly the dates from daysBack before today to today", () => {
    const day = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays("1950-01-01", n));
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 31 }), fc.integer({ min: -60, max: 60 }), (today, back, offset) => {
      const paidOn = addDays(today, offset);
      const w = partnerPaidOnWindow(today, back);
      expect(isPaidOnInWindow(paidOn, w)).toBe(offset <= 0 && -offset <= back);
      expect(daysBetween(w.from, w.to)).toBe(back);
    }));
  });

  it("refuses a negative or fractional number of days", () => {
    expect(() => partnerPaidOnWindow("2026-12-06", -1)).toThrow(RangeError);
    expect(() => partnerPaidOnWindow("2026-12-06", 1.5)).toThrow(RangeError);
  });
});
