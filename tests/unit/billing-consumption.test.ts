import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  assembleSpans, computeConsumption, parseRegister, registerAdvance,
  type InstallationRecord, type MeterSpan, type ReadingRecord,
} from "@/lib/domain/billing/consumption";

const span = (from: string, to: string, extra: Partial<MeterSpan> = {}): MeterSpan => ({
  multiplier: 1, digits: 6, from: { total: from }, to: { total: to }, ...extra,
});

describe("registerAdvance / computeConsumption", () => {
  it.each([
    // [case, from, to, digits, multiplier, kWh, flags]
    ["plain advance", "1000.00", "1250.00", 6, 1, 250, []],
    ["decimals: positions rounded half-up, then subtracted", "1000.40", "1250.60", 6, 1, 251, []],
    // 120.50×30 = 3615.0 → 3615; 130.25×30 = 3907.5 → 3908 (half-up); 3908 − 3615 = 293
    ["multiplier 倍率 ×30 (CT 150/5)", "120.50", "130.25", 6, 30, 293, []],
    ["rollover at 10^6", "999950.00", "30.00", 6, 1, 80, ["ROLLOVER"]],
    ["rollover at 10^5 (5-digit register)", "99990.00", "15.00", 5, 1, 25, ["ROLLOVER"]],
    ["lower reading, not a rollover", "5000.00", "4990.00", 6, 1, 0, ["READING_LOWER"]],
  ] as const)("%s", (_name, from, to, digits, mult, kwh, flags) => {
    const c = computeConsumption([span(from, to, { digits, multiplier: mult })]);
    expect(c.kwh).toBe(kwh);
    expect(c.flags).toEqual(flags);
  });

  it("a confirmed rollover is taken even when the wrapped advance is large", () => {
    const a = registerAdvance("400000.00", "100000.00", 6, 1, true);
    expect(a).toEqual({ kwh: 700000, rollover: true, lower: false });
  });

  it("meter replacement: old meter final − previous + new meter current − start", () => {
    const c = computeConsumption([
      span("8000.00", "8120.00"), // old meter: 120
      span("0.00", "95.00"), // new meter: 95
    ]);
    expect(c.kwh).toBe(215);
  });

  it("peak/valley: whole kWh, valley = total − peak", () => {
    const c = computeConsumption([
      { ...span("1000.00", "1450.40"), from: { total: "1000.00", peak: "600.30" }, to: { total: "1450.40", peak: "880.70" } },
    ]);
    expect(c.kwh).toBe(450);
    expect(c.peakKwh).toBe(881 - 600);
    expect(c.valleyKwh).toBe(450 - 281);
  });

  it("a peak register advancing more than the total is capped and flagged", () => {
    const c = computeConsumption([
      { ...span("0", "100"), from: { total: "0", peak: "0" }, to: { total: "100", peak: "130" } },
    ]);
    expect(c.peakKwh).toBe(100);
    expect(c.valleyKwh).toBe(0);
    expect(c.flags).toContain("PEAK_EXCEEDS_TOTAL");
  });

  it("estimated then actual: an actual below the estimate is a settlement credit, not a lower reading", () => {
    const c = computeConsumption([span("1300.00", "1260.00", { fromEstimated: true })]);
    expect(c.kwh).toBe(0);
    expect(c.creditKwh).toBe(40);
    expect(c.flags).toEqual(["ESTIMATE_SETTLEMENT_CREDIT"]);
  });

  it("estimated then actual above the estimate settles by itself", () => {
    // last actual 1000, estimate billed 200 (register 1200), actual now 1450 → 250 this period
    expect(computeConsumption([span("1200.00", "1450.00", { fromEstimated: true })]).kwh).toBe(250);
  });

  it("demand register × multiplier, reactive advance", () => {
    const c = computeConsumption([
      { ...span("100", "110", { multiplier: 100 }), from: { total: "100", reactive: "50" }, to: { total: "110", reactive: "114.84" }, demandKw: "3.21" },
    ]);
    expect(c.kwh).toBe(1000);
    expect(c.reactiveKvarh).toBe(11484 - 5000);
    expect(c.demandKw).toBe("321.00");
  });

  it("rejects malformed registers", () => {
    expect(() => parseRegister("12a")).toThrow();
    expect(() => parseRegister("-1")).toThrow();
    expect(() => parseRegister("1.234")).toThrow();
  });

  it("property: consecutive periods add up to the whole advance (rounding never loses kWh)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 80 }),
      fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 10_000_000 }),
      (mult, steps, start) => {
        const pos = [start];
        for (const s of steps) pos.push(pos[pos.length - 1] + s);
        const fmt = (h: number) => `${Math.trunc(h / 100)}.${String(h % 100).padStart(2, "0")}`;
        let sum = 0;
        for (let i = 1; i < pos.length; i++) sum += computeConsumption([span(fmt(pos[i - 1]), fmt(pos[i]), { multiplier: mult, digits: 9 })]).kwh;
        const whole = computeConsumption([span(fmt(pos[0]), fmt(pos[pos.length - 1]), { multiplier: mult, digits: 9 })]).kwh;
        expect(sum).toBe(whole);
      }));
  });
});

describe("assembleSpans", () => {
  const inst = (o: Partial<InstallationRecord> & { id: number }): InstallationRecord => ({
    meterId: o.id, multiplier: 1, digits: 6, installedOn: "2020-01-01", removedOn: null, start: { total: "0" }, final: null, ...o,
  });
  const rd = (installationId: number, readOn: string, total: string, estimated = false): ReadingRecord => ({
    installationId, readOn, registers: { total }, estimated,
  });

  it("ordinary period: previous → current", () => {
    const p = assembleSpans([inst({ id: 1 })], [rd(1, "2026-11-18", "1250")], [rd(1, "2026-10-18", "1000")])!;
    expect(computeConsumption(p.spans).kwh).toBe(250);
    expect(p).toMatchObject({ intervalStart: "2026-10-18", intervalEnd: "2026-11-18", newConnection: false, meterReplaced: false });
  });

  it("nothing read: no bill", () => {
    expect(assembleSpans([inst({ id: 1 })], [], [rd(1, "2026-10-18", "1000")])).toBeNull();
  });

  it("new connection: start reading → first reading", () => {
    const p = assembleSpans([inst({ id: 1, installedOn: "2026-11-02", start: { total: "3.00" } })], [rd(1, "2026-11-18", "63")], [])!;
    expect(computeConsumption(p.spans).kwh).toBe(60);
    expect(p).toMatchObject({ newConnection: true, intervalStart: "2026-11-02" });
  });

  it("meter replaced in the period: the old meter's final is billed once, then never again", () => {
    const installs = [
      inst({ id: 1, removedOn: "2026-11-05", final: { total: "8120" } }),
      inst({ id: 2, meterId: 9, installedOn: "2026-11-05", start: { total: "0" } }),
    ];
    const nov = assembleSpans(installs, [rd(2, "2026-11-18", "95")], [rd(1, "2026-10-18", "8000")])!;
    expect(computeConsumption(nov.spans).kwh).toBe(215);
    expect(nov.meterReplaced).toBe(true);
    expect(nov.multiplierChanged).toBe(false);
    const dec = assembleSpans(installs, [rd(2, "2026-12-18", "200")], [rd(1, "2026-10-18", "8000"), rd(2, "2026-11-18", "95")])!;
    expect(computeConsumption(dec.spans).kwh).toBe(105);
    expect(dec.meterReplaced).toBe(false);
  });

  it("multiplier change on the same meter", () => {
    const installs = [
      inst({ id: 1, meterId: 7, multiplier: 20, removedOn: "2026-11-10", final: { total: "110" } }),
      inst({ id: 2, meterId: 7, multiplier: 40, installedOn: "2026-11-10", start: { total: "110" } }),
    ];
    const p = assembleSpans(installs, [rd(2, "2026-11-18", "115")], [rd(1, "2026-10-18", "100")])!;
    expect(computeConsumption(p.spans).kwh).toBe(10 * 20 + 5 * 40);
    expect(p.multiplierChanged).toBe(true);
  });

  it("estimated current reading is reported; an estimated previous one settles", () => {
    const p = assembleSpans([inst({ id: 1 })], [rd(1, "2026-11-18", "1450")], [rd(1, "2026-10-18", "1200", true)])!;
    expect(p.spans[0].fromEstimated).toBe(true);
    expect(p.estimated).toBe(false);
  });
});
