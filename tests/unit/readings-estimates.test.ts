import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import {
  catchUpDate, consecutiveEstimates, decideMissed, estimatedRegister, isEstimateException, settleAfterEstimates,
} from "@/lib/domain/readings/estimates";
import { parseRegister } from "@/lib/domain/readings/register";

const cal = { holidays: new Set(["2026-10-01", "2026-10-02", "2026-10-05"]), workdays: new Set(["2026-10-10"]) };
const s = DEFAULT_SETTINGS.readings;

describe("catch-up visit date: next working day", () => {
  it.each([
    ["2026-11-18", "2026-11-19"], // Wed → Thu
    ["2026-11-20", "2026-11-23"], // Fri → Mon
    ["2026-09-30", "2026-10-06"], // holidays 1, 2, weekend, 5 → Tue 6th
    ["2026-10-09", "2026-10-10"], // Sat 10th is a make-up working day
  ])("%s → %s", (asOf, want) => expect(catchUpDate(asOf, cal)).toBe(want));
});

describe("decideMissed", () => {
  const base = { previousConsumptionKwh: 120, estimatesBefore: 0, asOf: "2026-11-18", calendar: cal, settings: s };
  it.each([
    ["refused → estimate", "CUSTOMER_REFUSED", "ESTIMATE", 120, 0, { ok: true, choice: "ESTIMATE", exception: false }],
    ["no access → estimate", "NO_ACCESS", "ESTIMATE", 120, 0, { ok: true, choice: "ESTIMATE", exception: false }],
    ["second estimate in a row is an exception", "NO_ACCESS", "ESTIMATE", 120, 1, { ok: true, choice: "ESTIMATE", exception: true }],
    ["meter fault is not the customer's doing", "METER_FAULT", "ESTIMATE", 120, 0, { ok: false, code: "ESTIMATE_NOT_ALLOWED" }],
    ["other: no estimate", "OTHER", "ESTIMATE", 120, 0, { ok: false, code: "ESTIMATE_NOT_ALLOWED" }],
    ["nothing to copy", "NO_ACCESS", "ESTIMATE", null, 0, { ok: false, code: "NO_BASIS_FOR_ESTIMATE" }],
    ["catch-up is always possible", "METER_FAULT", "CATCH_UP", null, 3, { ok: true, choice: "CATCH_UP", visitOn: "2026-11-19" }],
  ] as const)("%s", (_n, reason, choice, prev, before, want) => {
    expect(decideMissed({ ...base, reason, choice, previousConsumptionKwh: prev, estimatesBefore: before })).toEqual(want);
  });
});

describe("estimates and settlement", () => {
  it.each([
    ["plain", "1000", 120, 1, 6, "1120"],
    ["multiplier", "100", 400, 40, 6, "110"],
    ["wraps", "999950", 100, 1, 6, "50"],
  ])("estimatedRegister %s", (_n, last, kwh, mult, digits, want) =>
    expect(estimatedRegister(parseRegister(last), kwh, mult, digits)).toBe(parseRegister(want)));

  it.each([
    [[120], 300, 180, 120],
    [[120, 120], 200, -40, 240], // the customer used less than was billed: a credit
    [[], 90, 90, 0],
  ])("settle %j against actual %i", (billed, actual, toBill, already) =>
    expect(settleAfterEstimates(actual, billed)).toEqual({ kwhToBill: toBill, alreadyBilledKwh: already }));

  it.each([
    [[], 0],
    [["MANUAL"], 0],
    [["ESTIMATED"], 1],
    [["ESTIMATED", "MANUAL", "ESTIMATED"], 1],
    [["MANUAL", "ESTIMATED", "ESTIMATED"], 2],
    [["ESTIMATED", "ESTIMATED", null], 0],
  ] as const)("run of estimates in %j = %i", (src, n) => expect(consecutiveEstimates(src)).toBe(n));

  it("two in a row is the exception by default", () => {
    expect(isEstimateException(1, s)).toBe(false);
    expect(isEstimateException(2, s)).toBe(true);
    expect(isEstimateException(2, { ...s, maxConsecutiveEstimates: 2 })).toBe(false);
  });
});
