import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import {
  checkPlausibility, expectedRange, isResolved, type PlausibilityInput,
} from "@/lib/domain/readings/plausibility";
import { formatRegister, isRegister, parseRegister } from "@/lib/domain/readings/register";

const s = DEFAULT_SETTINGS.readings; // low 70 %, high 200 %
const base = (over: Partial<PlausibilityInput>): PlausibilityInput => ({
  value: parseRegister("1100"),
  previous: { value: parseRegister("1000"), kind: "READING" },
  digits: 6,
  multiplier: 1,
  historyKwh: [100, 100, 100],
  settings: s,
  ...over,
});

describe("register values", () => {
  it.each([
    ["12345.6", 1234560],
    ["12345.60", 1234560],
    ["0", 0],
    [" 7.05 ", 705],
  ])("parses %s", (txt, c) => expect(parseRegister(txt)).toBe(c));
  it.each(["12a45", "-5", "1e3", "1.234", "", "１２３", "1,000"])("refuses %j", (txt) => {
    expect(isRegister(txt)).toBe(false);
    expect(() => parseRegister(txt)).toThrow();
  });
  it("formats back exactly", () =>
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_99 }), (c) => { expect(parseRegister(formatRegister(c))).toBe(c); })));
});

describe("expected range from the customer's own history", () => {
  it("widens the average by the settings' percentages", () => {
    const r = expectedRange(parseRegister("1000"), [90, 100, 110], 1, 6, s)!;
    expect(r).toMatchObject({ averageKwh: 100, lowKwh: 30, highKwh: 300 });
    expect(r.lowReading).toBe(parseRegister("1030"));
    expect(r.highReading).toBe(parseRegister("1300"));
  });
  it("divides by the multiplier for register values", () => {
    const r = expectedRange(parseRegister("500"), [4000], 40, 6, s)!;
    expect(r.lowReading).toBe(parseRegister("530")); // 1200 kWh / 40
    expect(r.highReading).toBe(parseRegister("800")); // 12000 kWh / 40
  });
  it("follows the settings, not literals", () => {
    const r = expectedRange(0, [100], 1, 6, { ...s, expectedRangeLowPct: 50, expectedRangeHighPct: 50 })!;
    expect([r.lowKwh, r.highKwh]).toEqual([50, 150]);
  });
  it("has no range without history", () => expect(expectedRange(0, [], 1, 6, s)).toBeNull());
});

describe("checkPlausibility", () => {
  const cases: [string, Partial<PlausibilityInput>, string, string[], number | null][] = [
    ["normal month", {}, "ok", [], 100],
    ["first reading: nothing to compare", { previous: null }, "ok", [], null],
    ["no history: no range, only the direction is checked", { historyKwh: [] , value: parseRegister("9000") }, "ok", [], 8000],
    ["zero consumption, usual 100", { value: parseRegister("1000") }, "confirm", ["LOW_USAGE"], 0],
    ["far below (20 kWh)", { value: parseRegister("1020") }, "confirm", ["LOW_USAGE"], 20],
    ["at the low edge (30 kWh)", { value: parseRegister("1030") }, "ok", [], 30],
    ["at the high edge (300 kWh)", { value: parseRegister("1300") }, "ok", [], 300],
    ["far above (301 kWh)", { value: parseRegister("1301") }, "confirm", ["HIGH_USAGE"], 301],
    ["below the last reading", { value: parseRegister("999") }, "reread", ["BELOW_PREVIOUS"], -1],
    ["below the new meter's start reading", { previous: { value: parseRegister("50"), kind: "INSTALLATION_START" }, value: parseRegister("40") }, "reread", ["BELOW_PREVIOUS"], -10],
    ["new meter never wraps", { previous: { value: parseRegister("999950"), kind: "INSTALLATION_START" }, value: parseRegister("40") }, "reread", ["BELOW_PREVIOUS"], -999910],
    ["rollover past 999999", { previous: { value: parseRegister("999950"), kind: "READING" }, value: parseRegister("40") }, "confirm", ["ROLLOVER"], 90],
    ["rollover that means an absurd consumption", { previous: { value: parseRegister("700000"), kind: "READING" }, value: parseRegister("100000") }, "reread", ["ROLLOVER", "HIGH_USAGE"], 400000],
    ["more digits than the register", { value: parseRegister("1000000") }, "reread", ["EXCEEDS_REGISTER"], null],
    ["5-digit register wraps at 99999", { digits: 5, previous: { value: parseRegister("99990"), kind: "READING" }, value: parseRegister("80") }, "confirm", ["ROLLOVER"], 90],
    ["multiplier 40: 2.5 register kWh = 100 kWh", { multiplier: 40, previous: { value: parseRegister("100"), kind: "READING" }, value: parseRegister("102.50"), historyKwh: [100] }, "ok", [], 100],
    ["multiplier 40: 10 register kWh = 400 kWh", { multiplier: 40, previous: { value: parseRegister("100"), kind: "READING" }, value: parseRegister("110"), historyKwh: [100] }, "confirm", ["HIGH_USAGE"], 400],
  ];
  it.each(cases)("%s", (_name, over, decision, reasons, kwh) => {
    const r = checkPlausibility(base(over));
    expect(r.decision).toBe(decision);
    expect(r.reasons).toEqual(reasons);
    expect(r.consumptionKwh).toBe(kwh);
  });

  it("never says ok to a value below the previous one unless it is a rollover", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999_999 }), (prev, value) => {
        fc.pre(value < prev);
        const r = checkPlausibility(base({ value, previous: { value: prev, kind: "READING" } }));
        expect(r.decision === "ok").toBe(false);
        if (r.decision === "confirm") expect(r.reasons).toContain("ROLLOVER");
      }),
    ));
});

describe("isResolved: the server's check of what the reader answered", () => {
  it.each([
    ["ok", null, true],
    ["confirm", null, false],
    ["confirm", "VACANT", true],
    ["confirm", "USAGE_CHANGED", true],
    ["confirm", "NONSENSE", false],
    ["reread", "VERIFIED", false],
    ["reread", "REREAD_CONFIRMED", true],
    ["confirm", "REREAD_CONFIRMED", true],
  ] as const)("%s with %s → %s", (d, code, ok) => expect(isResolved(d, code)).toBe(ok));
});

describe("after an estimate the reading is compared with the last actual one", () => {
  it("widens the range over the periods spanned", () => {
    const r = checkPlausibility(base({ value: parseRegister("1250"), periodsSpanned: 2 }));
    expect(r.expected).toMatchObject({ averageKwh: 200, lowKwh: 60, highKwh: 600 });
    expect(r.decision).toBe("ok");
    expect(checkPlausibility(base({ value: parseRegister("1050"), periodsSpanned: 2 })).reasons).toEqual(["LOW_USAGE"]);
  });
});
