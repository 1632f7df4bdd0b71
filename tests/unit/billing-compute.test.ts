import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { computeBill, shareOut, tariffSegments } from "@/lib/domain/billing/compute-bill";
import {
  adjustmentBp, bpToPercent, powerFactorAdjustment, powerFactorHundredths, type PowerFactorStandard,
} from "@/lib/domain/billing/power-factor";
import { priceEnergy } from "@/lib/domain/billing/price-bill";
import type { TariffDefinition, TariffVersionDef } from "@/lib/domain/billing/tariff";
import { formatYuan } from "@/lib/domain/money";
import { GOLDEN, SHANDONG, ZHEJIANG_TOU } from "./billing-golden";

// 《功率因数调整电费办法》((83)水电财字第215号) 功率因数调整电费增减查对表, as copied at
// http://wgbc.cn/zxjs/205.html: each row gives the 无功/有功 ratio band that rounds to a PF and the
// ±% under the 0.90 / 0.85 / 0.80 standards. We test at both ends of each band with P = 10000 kWh,
// Q = ratio × 10000 kvarh.
const TABLE_ROWS: [ratioLow: number, ratioHigh: number, pf: number, b090: string, b085: string, b080: string][] = [
  [0.0, 0.1003, 100, "-0.75", "-1.10", "-1.30"],
  [0.1004, 0.1751, 99, "-0.75", "-1.10", "-1.30"],
  [0.1752, 0.2279, 98, "-0.75", "-1.10", "-1.30"],
  [0.2280, 0.2717, 97, "-0.75", "-1.10", "-1.30"],
  [0.2718, 0.3105, 96, "-0.75", "-1.10", "-1.30"],
  [0.3106, 0.3461, 95, "-0.75", "-1.10", "-1.30"],
  [0.3462, 0.3793, 94, "-0.60", "-1.10", "-1.30"],
  [0.3794, 0.4107, 93, "-0.45", "-0.95", "-1.30"],
  [1.1231, 1.1536, 66, "14.00", "9.50", "7.00"],
  [1.1537, 1.1847, 65, "15.00", "10.00", "7.50"],
  [1.1848, 1.2165, 64, "17.00", "11.00", "8.00"],
  // the table prints this band as 1.2166–1.2490, but the exact PF 0.625 boundary is
  // Q/P = 1.24899959…: 1.2490 itself gives PF 0.62499… → 0.62 (the table's ratios are rounded)
  [1.2166, 1.2489, 63, "19.00", "12.00", "8.50"],
  [1.2491, 1.2821, 62, "21.00", "13.00", "9.00"],
  [1.2822, 1.3160, 61, "23.00", "14.00", "9.50"],
  [1.3161, 1.3507, 60, "25.00", "15.00", "10.00"],
  [1.3508, 1.3863, 59, "27.00", "17.00", "11.00"],
  [2.9099, 3.0129, 32, "81.00", "71.00", "61.00"],
  [3.0130, 3.1224, 31, "83.00", "73.00", "63.00"],
  [3.1225, 3.2389, 30, "85.00", "75.00", "65.00"],
];

describe("力调电费: the national table", () => {
  it.each(TABLE_ROWS)("Q/P %s–%s → PF 0.%s", (lo, hi, pf, a, b, c) => {
    for (const r of [lo, hi]) {
      expect(powerFactorHundredths(10000, Math.round(r * 10000))).toBe(pf);
    }
    const std: [PowerFactorStandard, string][] = [["0.90", a], ["0.85", b], ["0.80", c]];
    for (const [s, pct] of std) expect(bpToPercent(adjustmentBp(s, pf))).toBe(pct);
  });

  it("band edges from the table's first two rows (0.1003 rounds to 1.00, 0.1004 to 0.99)", () => {
    expect(powerFactorHundredths(10000, 1003)).toBe(100);
    expect(powerFactorHundredths(10000, 1004)).toBe(99);
  });

  it("the middle of each standard's table (办法 text: 每降低0.01 增收0.5%, 减收 steps)", () => {
    expect(adjustmentBp("0.90", 90)).toBe(0);
    expect(adjustmentBp("0.90", 80)).toBe(500); // 5 %
    expect(adjustmentBp("0.90", 70)).toBe(1000);
    expect(adjustmentBp("0.85", 88)).toBe(-30);
    expect(adjustmentBp("0.85", 75)).toBe(500);
    expect(adjustmentBp("0.80", 91)).toBe(-115);
    expect(adjustmentBp("0.80", 70)).toBe(500);
  });

  it("adjustment = (basic + energy) × %, rounded half-up to the fen", () => {
    // PF 0.85 under the 0.90 standard: +2.5 % of 12 345.67 元 = 308.64175 → 308.64
    const adj = powerFactorAdjustment("0.90", 10000, 6198, 1_234_567)!;
    expect(adj.powerFactor).toBe("0.85");
    expect(formatYuan(adj.amount)).toBe("308.64");
    expect(powerFactorAdjustment("0.90", 0, 10, 100)).toBeNull();
  });

  it("property: a worse power factor never lowers the adjustment", () => {
    fc.assert(fc.property(fc.constantFrom<PowerFactorStandard>("0.90", "0.85", "0.80"), fc.integer({ min: 1, max: 100 }), (s, pf) => {
      expect(adjustmentBp(s, pf - 1)).toBeGreaterThanOrEqual(adjustmentBp(s, pf));
    }));
  });
});

const v = (id: number, effectiveFrom: string, definition: TariffDefinition): TariffVersionDef => ({ id, effectiveFrom, definition });
const cust = { householdSize: 3, timeOfUse: false, priorKwhInYear: 0, capacityKva: null };
const cons = (kwh: number, o = {}) => ({ kwh, peakKwh: null, valleyKwh: null, reactiveKvarh: null, demandKw: null, ...o });

describe("computeBill", () => {
  it("one version in force: exactly the calculator's lines (golden cases)", () => {
    for (const g of GOLDEN) {
      const b = computeBill([v(1, "2020-01-01", g.tariff)], "2026-10-18", "2026-11-18",
        cons(g.usage.kwh, { peakKwh: g.usage.peakKwh, valleyKwh: g.usage.valleyKwh }),
        { ...cust, householdSize: g.usage.householdSize, priorKwhInYear: g.usage.priorKwhInYear, timeOfUse: !!g.tariff.timeOfUse });
      expect(formatYuan(b.total)).toBe(g.total);
      expect(b.lines).toEqual(priceEnergy(g.tariff, g.usage).lines);
    }
  });

  it("split across a tariff change, pro rata by days, the ladder continuing", () => {
    // interval 2026-10-18 … 2026-11-18 (31 days); a new version from 2026-11-01: 14 old days, 17 new
    const raised = { ...SHANDONG, tiers: SHANDONG.tiers.map((t) => ({ ...t, price: (Number(t.price) + 0.01).toFixed(4) })) };
    const b = computeBill([v(1, "2020-01-01", SHANDONG), v(2, "2026-11-01", raised)], "2026-10-18", "2026-11-18", cons(310), cust);
    // 310 × 14/31 = 140.0 → 140 old, 170 new; new starts at 140 up the same month's ladder
    expect(b.lines).toEqual([
      { label: "tier-1", kwh: 140, price: "0.5469", amount: 7657, versionId: 1, from: "2026-10-18", to: "2026-11-01" }, // 76.566
      { label: "tier-1", kwh: 70, price: "0.5569", amount: 3898, versionId: 2, from: "2026-11-01", to: "2026-11-18" }, // 38.983
      { label: "tier-2", kwh: 100, price: "0.6069", amount: 6069, versionId: 2, from: "2026-11-01", to: "2026-11-18" },
    ]);
    expect(b.tariffVersionId).toBe(2);
    expect(b.total).toBe(7657 + 3898 + 6069);
  });

  it("tariffSegments: days before any version are priced by the first one", () => {
    const s = tariffSegments([v(1, "2026-11-01", SHANDONG)], "2026-10-18", "2026-11-18");
    expect(s.map((x) => [x.version.id, x.from, x.to, x.days])).toEqual([[1, "2026-10-18", "2026-11-18", 31]]);
    expect(tariffSegments([], "2026-10-18", "2026-11-18")).toEqual([]);
  });

  it("a TOU customer without peak registers is priced without TOU and flagged", () => {
    const b = computeBill([v(1, "2020-01-01", ZHEJIANG_TOU)], "2026-10-18", "2026-11-18", cons(100), { ...cust, timeOfUse: true });
    expect(b.flags).toEqual(["TOU_REGISTERS_MISSING"]);
    expect(b.lines.map((l) => l.label)).toEqual(["tier-1"]);
  });

  it("two-part: basic charge by capacity + energy + 力调 on their sum", () => {
    // illustrative prices (not a published schedule): flat 0.6 元/kWh, 30 元/kVA·月; PF standard 0.90
    const def: TariffDefinition = {
      tiers: [{ upToKwh: null, price: "0.6" }], tierBasis: "monthly", timeOfUse: null,
      twoPart: { basis: "capacity", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.90" },
    };
    const b = computeBill([v(1, "2020-01-01", def)], "2026-10-18", "2026-11-18",
      cons(100_000, { reactiveKvarh: 61_980 }), { ...cust, capacityKva: 400 });
    // energy 60 000.00; basic 400 × 30 = 12 000.00; Q/P 0.6198 → PF 0.85 → +2.5 % of 72 000.00 = 1 800.00
    expect(b.lines.map((l) => [l.label, formatYuan(l.amount)])).toEqual([
      ["tier-1", "60000.00"], ["basic-capacity", "12000.00"], ["power-factor", "1800.00"],
    ]);
    expect(formatYuan(b.total)).toBe("73800.00");
  });

  it("two-part by maximum demand, PF above standard gives a reduction", () => {
    const def: TariffDefinition = {
      tiers: [{ upToKwh: null, price: "0.6" }], tierBasis: "monthly", timeOfUse: null,
      twoPart: { basis: "demand", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.90" },
    };
    const b = computeBill([v(1, "2020-01-01", def)], "2026-10-18", "2026-11-18",
      cons(10_000, { reactiveKvarh: 3_000, demandKw: "321.50" }), cust);
    // energy 6 000.00; basic 321.50 kW × 40 = 12 860.00; Q/P 0.30 → PF 0.96 → −0.75 % of 18 860.00 = −141.45
    expect(b.lines.map((l) => [l.label, formatYuan(l.amount)])).toEqual([
      ["tier-1", "6000.00"], ["basic-demand", "12860.00"], ["power-factor", "-141.45"],
    ]);
  });

  it("two-part without a capacity or reactive register is flagged", () => {
    const def: TariffDefinition = {
      tiers: [{ upToKwh: null, price: "0.6" }], tierBasis: "monthly", timeOfUse: null,
      twoPart: { basis: "capacity", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.85" },
    };
    const b = computeBill([v(1, "2020-01-01", def)], "2026-10-18", "2026-11-18", cons(100), cust);
    expect(b.flags).toEqual(["BASIC_BASIS_MISSING", "REACTIVE_MISSING"]);
  });

  it("property: splitting never loses kWh; total = sum of lines; more kWh never costs less", () => {
    const raised = { ...ZHEJIANG_TOU, tiers: ZHEJIANG_TOU.tiers.map((t) => ({ ...t, price: (Number(t.price) + 0.02).toFixed(3) })) };
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 60 }), fc.boolean(), fc.integer({ min: 0, max: 6000 }),
      (kwh, share, days, changeAt, tou, prior) => {
        const start = "2026-10-01";
        const end = new Date(Date.UTC(2026, 9, 1 + days)).toISOString().slice(0, 10);
        const change = new Date(Date.UTC(2026, 9, 1 + Math.min(changeAt, days))).toISOString().slice(0, 10);
        const versions = [v(1, "2020-01-01", ZHEJIANG_TOU), v(2, change, raised)];
        const peak = Math.floor((kwh * share) / 100);
        const c = cons(kwh, { peakKwh: peak, valleyKwh: kwh - peak });
        const customer = { ...cust, timeOfUse: tou, priorKwhInYear: prior };
        const b = computeBill(versions, start, end, c, customer);
        const energyKwh = b.lines.filter((l) => !l.label.endsWith("-increment")).reduce((s, l) => s + l.kwh, 0);
        expect(energyKwh).toBe(kwh);
        expect(b.total).toBe(b.lines.reduce((s, l) => s + l.amount, 0));
        const more = computeBill(versions, start, end, cons(kwh + 7, { peakKwh: peak, valleyKwh: kwh - peak + 7 }), customer);
        expect(more.total).toBeGreaterThanOrEqual(b.total);
      }));
  });

  it("shareOut: parts sum to the whole, proportional within one", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5 }), (t, w) => {
      const parts = shareOut(t, w);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(t);
      const sum = w.reduce((a, b) => a + b, 0);
      if (sum > 0) parts.forEach((p, i) => expect(Math.abs(p - (t * w[i]) / sum)).toBeLessThan(1));
    }));
  });
});
