// 复抄 (audit-ordered re-read) as a pure rule: the same register confirms the doubted reading;
// another value is checked like any reading; an estimate is never "confirmed".
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { parseRegister, formatRegister } from "@/lib/domain/readings/register";
import { judgeReread, type Doubted, type RereadInput } from "@/lib/domain/readings/reread";

const check = {
  previous: { value: parseRegister("1000"), kind: "READING" as const },
  digits: 6, multiplier: 1, historyKwh: [100, 100, 100], settings: DEFAULT_SETTINGS.readings, // expected 30–300 kWh
};
const doubted: Doubted = { total: "1700", peak: null, estimated: false }; // 700 kWh: far above
const input = (value: string, over: Partial<RereadInput> = {}): RereadInput => ({ value, peak: null, again: null, reasonCode: null, ...over });

describe("judging a re-read", () => {
  it.each([
    ["the same register confirms, however unusual", input("1700.00"), doubted,
      { ok: true, confirms: true, reasonCode: "REREAD_CONFIRMED" }],
    ["a plausible other value replaces it", input("1105"), doubted, { ok: true, confirms: false, reasonCode: null }],
    ["an unusual other value needs a reason", input("1500"), doubted, { ok: false, code: "READING_NEEDS_CONFIRM", reasons: ["HIGH_USAGE"] }],
    ["… and takes one", input("1500", { reasonCode: "USAGE_CHANGED" }), doubted, { ok: true, confirms: false, reasonCode: "USAGE_CHANGED" }],
    ["below the previous needs the meter read again", input("990"), doubted, { ok: false, code: "READING_NEEDS_REREAD", reasons: ["BELOW_PREVIOUS"] }],
    ["… a reason does not settle a probable misread", input("990", { reasonCode: "VERIFIED" }), doubted, { ok: false, code: "READING_NEEDS_REREAD", reasons: ["BELOW_PREVIOUS"] }],
    ["… another second value does not either", input("990", { again: "995" }), doubted, { ok: false, code: "READING_NEEDS_REREAD", reasons: ["BELOW_PREVIOUS"] }],
    ["… the same value twice does", input("990", { again: "990.0" }), doubted, { ok: true, confirms: false, reasonCode: "REREAD_CONFIRMED" }],
    ["an estimate equal to the register is an actual reading, not a confirmation", input("1100"), { total: "1100", peak: null, estimated: true },
      { ok: true, confirms: false, reasonCode: null }],
    ["the same total with another peak is a change", input("1700", { peak: "900" }), { total: "1700", peak: "800", estimated: false },
      { ok: false, code: "READING_NEEDS_CONFIRM", reasons: ["HIGH_USAGE"] }],
    ["the same total and peak confirm", input("1700", { peak: "800.00" }), { total: "1700", peak: "800", estimated: false },
      { ok: true, confirms: true, reasonCode: "REREAD_CONFIRMED" }],
  ] as const)("%s", (_name, i, d, want) => {
    expect(judgeReread(i, d, check)).toEqual(want);
  });

  it("confirms exactly when the register equals a non-estimated doubted value", () => {
    fc.assert(fc.property(fc.integer({ min: 100000, max: 200000 }), fc.integer({ min: 100000, max: 200000 }), (a, b) => {
      const j = judgeReread(input(formatRegister(a)), { total: formatRegister(b), peak: null, estimated: false }, check);
      expect(j.ok && j.confirms).toBe(a === b);
    }));
  });
});
