import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AUDIT_CODES, AUDIT_RULES, auditBill, type AuditInput } from "@/lib/domain/audit/rules";
import { DEFAULT_SETTINGS, mergeSettings } from "@/lib/domain/settings";

const base: AuditInput = {
  category: "RESIDENTIAL",
  kwh: 200,
  history: [200, 190, 210, 200, 205, 195, 200, 200, 200, 200, 200, 200],
  consumptionFlags: [],
  billFlags: [],
  creditKwh: 0,
  estimated: false,
  newConnection: false,
  meterReplaced: false,
  multiplierChanged: false,
  readOn: "2026-11-18",
  scheduledOn: "2026-11-18",
};
const codes = (o: Partial<AuditInput>, s = DEFAULT_SETTINGS) => auditBill({ ...base, ...o }, s).map((f) => f.code);

describe("audit rules (defaults: ±30 % history, +50 % month on month, 3/6 zero periods)", () => {
  it("an ordinary bill raises nothing", () => {
    expect(codes({})).toEqual([]);
  });

  it.each<[string, Partial<AuditInput>, string[]]>([
    // history average 200: +30 % = 260 is the edge (must be strictly above)
    ["exactly +30 % is not flagged", { kwh: 260, history: [200, 200, 200] }, []],
    ["above +30 % of own average", { kwh: 261, history: [200, 200, 200] }, ["HISTORY_HIGH"]],
    ["exactly −30 % is not flagged", { kwh: 140, history: [200, 200, 200] }, []],
    ["below −30 % of own average", { kwh: 139, history: [200, 200, 200] }, ["HISTORY_LOW"]],
    ["+50 % on last month (and far above history)", { kwh: 300, history: [200, 200, 200] }, ["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]],
    ["+50 % on a low last month, history average fine", { kwh: 150, history: [100, 200, 200, 150] }, ["MONTH_ON_MONTH_INCREASE"]],
    ["no history: no fluctuation rules", { kwh: 5000, history: [], category: "NON_RESIDENTIAL" }, []],
    ["residential at business level (2000 kWh)", { kwh: 2000, history: [1900, 1950] }, ["RESIDENTIAL_BUSINESS_LEVEL"]],
    ["a shop at that level is normal", { kwh: 2000, history: [1900, 1950], category: "NON_RESIDENTIAL" }, []],
    ["zero for 2 periods: only the drop", { kwh: 0, history: [0, 200] }, ["HISTORY_LOW"]],
    ["zero for 3 periods: site check", { kwh: 0, history: [0, 0, 200, 200] }, ["HISTORY_LOW", "ZERO_SITE_CHECK"]],
    ["zero for 5 periods: site check", { kwh: 0, history: [0, 0, 0, 0, 200] }, ["HISTORY_LOW", "ZERO_SITE_CHECK"]],
    ["zero for 6 periods: closure proposal", { kwh: 0, history: [0, 0, 0, 0, 0, 200] }, ["HISTORY_LOW", "ZERO_CLOSURE"]],
    ["zero for 13 periods: closure proposal", { kwh: 0, history: Array(12).fill(0) }, ["ZERO_CLOSURE"]],
    ["reading lower without meter change", { kwh: 0, consumptionFlags: ["READING_LOWER"], history: [] }, ["READING_LOWER"]],
    ["estimated reading", { estimated: true }, ["ESTIMATED_READING"]],
    ["settlement of an over-estimate", { kwh: 0, history: [], consumptionFlags: ["ESTIMATE_SETTLEMENT_CREDIT"], creditKwh: 40 }, ["ESTIMATE_SETTLEMENT_CREDIT"]],
    ["first bill after a new connection", { newConnection: true, history: [] }, ["FIRST_BILL_NEW_CONNECTION"]],
    ["first bill after a meter replacement", { meterReplaced: true }, ["FIRST_BILL_METER_REPLACED"]],
    ["first bill after a multiplier change", { multiplierChanged: true }, ["FIRST_BILL_MULTIPLIER_CHANGE"]],
    ["read one day late: on time (|deviation| < 2)", { readOn: "2026-11-19" }, []],
    ["read two days late", { readOn: "2026-11-20" }, ["OFF_READING_DAY"]],
    ["read two days early", { readOn: "2026-11-16" }, ["OFF_READING_DAY"]],
    ["TOU registers disagree", { consumptionFlags: ["PEAK_EXCEEDS_TOTAL"] }, ["PEAK_EXCEEDS_TOTAL"]],
    ["tariff missing", { billFlags: ["TARIFF_MISSING"] }, ["TARIFF_MISSING"]],
  ])("%s", (_n, o, expected) => {
    expect(codes(o)).toEqual(expected);
  });

  it("a missing period breaks the run of zeros", () => {
    expect(codes({ kwh: 0, history: [0, null, 0, 0, 0, 0] })).toEqual([]);
  });

  it("thresholds come from settings", () => {
    const s = mergeSettings(DEFAULT_SETTINGS, {
      audit: { historyDeviationPct: 10, monthOnMonthIncreasePct: 20, residentialBusinessKwh: 800, zeroPeriodsSiteCheck: 2, zeroPeriodsClosure: 4 },
      readings: { onTimeToleranceDays: 3 },
    });
    expect(codes({ kwh: 221, history: [200, 200] }, s)).toEqual(["HISTORY_HIGH"]);
    expect(codes({ kwh: 240, history: [200, 200] }, s)).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]);
    expect(codes({ kwh: 800, history: [790] }, s)).toEqual(["RESIDENTIAL_BUSINESS_LEVEL"]);
    expect(codes({ kwh: 0, history: [0] }, s)).toEqual(["ZERO_SITE_CHECK"]);
    expect(codes({ kwh: 0, history: [0, 0, 0] }, s)).toEqual(["ZERO_CLOSURE"]);
    expect(codes({ readOn: "2026-11-20" }, s)).toEqual([]);
  });

  it("every rule has a distinct declared code", () => {
    const ruleCodes = AUDIT_RULES.map((r) => r.code);
    expect(new Set(ruleCodes).size).toBe(ruleCodes.length);
    expect([...ruleCodes].sort()).toEqual([...AUDIT_CODES].sort());
  });

  it("property: site check and closure never both fire; findings are always known codes", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5000 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { maxLength: 12 }),
      (kwh, history) => {
        const c = codes({ kwh, history });
        expect(c.includes("ZERO_SITE_CHECK") && c.includes("ZERO_CLOSURE")).toBe(false);
        expect(c.every((x) => (AUDIT_CODES as readonly string[]).includes(x))).toBe(true);
      }));
  });
});
