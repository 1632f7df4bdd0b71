import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { priceEnergy, toContractOutput, type EnergyTariff } from "@/lib/domain/billing/price-bill";
import { tariffDefinitionSchema, energyTariffSchema, versionInForce } from "@/lib/domain/billing/tariff";
import { GOLDEN, SHANDONG, ZHEJIANG_TOU } from "./billing-golden";

describe("priceEnergy: golden cases from published tariffs", () => {
  it.each(GOLDEN.map((g) => [g.name, g] as const))("%s", (_n, g) => {
    const out = toContractOutput(priceEnergy(g.tariff, g.usage));
    expect(out).toEqual({ lines: g.lines, total: g.total });
  });
});

// arbitrary valid tariffs: 1–4 ascending tiers, optional TOU, either basis
const priceArb = fc.integer({ min: 1, max: 20000 }).map((n) => (n / 10000).toFixed(4));
const tariffArb: fc.Arbitrary<EnergyTariff> = fc
  .record({
    limits: fc.uniqueArray(fc.integer({ min: 1, max: 6000 }), { maxLength: 3 }).map((a) => a.sort((x, y) => x - y)),
    base: fc.integer({ min: 1000, max: 9000 }),
    steps: fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 3, maxLength: 3 }),
    annual: fc.boolean(),
    extra: fc.integer({ min: 0, max: 200 }),
    tou: fc.option(fc.record({ peak: priceArb, valley: priceArb }), { nil: null }),
  })
  .map(({ limits, base, steps, annual, extra, tou }) => {
    let p = base;
    const tiers = [...limits, null].map((upToKwh, i) => {
      if (i > 0) p += steps[i - 1]; // tier prices never fall: the ladder only rises
      return { upToKwh, price: (p / 10000).toFixed(4) };
    });
    return { tiers, tierBasis: annual ? "annual" : "monthly", largeHouseholdExtraKwh: extra, timeOfUse: tou } as EnergyTariff;
  });

const usageFor = (t: EnergyTariff, kwh: number, peakShare: number, prior: number, size: number) => {
  const peak = t.timeOfUse ? Math.floor((kwh * peakShare) / 100) : null;
  return { kwh, householdSize: size, priorKwhInYear: prior, peakKwh: peak, valleyKwh: peak === null ? null : kwh - peak };
};

describe("priceEnergy: properties", () => {
  it("every generated tariff passes the definition schema", () => {
    fc.assert(fc.property(tariffArb, (t) => {
      expect(energyTariffSchema.safeParse(t).success).toBe(true);
    }));
  });

  it("total = sum of lines; only lines with kWh > 0", () => {
    fc.assert(fc.property(tariffArb, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 8000 }), fc.integer({ min: 1, max: 8 }), (t, kwh, share, prior, size) => {
        const p = priceEnergy(t, usageFor(t, kwh, share, prior, size));
        expect(p.total).toBe(p.lines.reduce((s, l) => s + l.amount, 0));
        expect(p.lines.every((l) => l.kwh > 0)).toBe(true);
      }));
  });

  it("more kWh never costs less (same TOU split share, same prior use)", () => {
    fc.assert(fc.property(tariffArb, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 1, max: 500 }),
      fc.integer({ min: 0, max: 8000 }), fc.integer({ min: 1, max: 8 }), (t, kwh, more, prior, size) => {
        // for TOU keep the added kWh at the cheaper (valley) price: the worst case for monotonicity
        const a = usageFor(t, kwh, 50, prior, size);
        const b = { ...a, kwh: kwh + more, valleyKwh: a.valleyKwh === null ? null : a.valleyKwh + more };
        expect(priceEnergy(t, b).total).toBeGreaterThanOrEqual(priceEnergy(t, a).total);
      }));
  });

  it("the kWh of the lines account for every kWh (tier lines, or peak+valley)", () => {
    fc.assert(fc.property(tariffArb, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 8000 }), (t, kwh, share, prior) => {
        const p = priceEnergy(t, usageFor(t, kwh, share, prior, 3));
        const counted = p.lines.filter((l) => !l.label.endsWith("-increment")).reduce((s, l) => s + l.kwh, 0);
        expect(counted).toBe(kwh);
      }));
  });
});

describe("tariff definition schema", () => {
  it("accepts the published tariffs and a two-part one", () => {
    expect(tariffDefinitionSchema.safeParse(SHANDONG).success).toBe(true);
    expect(tariffDefinitionSchema.safeParse(ZHEJIANG_TOU).success).toBe(true);
    expect(tariffDefinitionSchema.safeParse({
      tiers: [{ upToKwh: null, price: "0.6" }], tierBasis: "monthly", timeOfUse: null,
      twoPart: { basis: "demand", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.90" },
    }).success).toBe(true);
  });

  it.each([
    ["tiers not ascending", { ...SHANDONG, tiers: [{ upToKwh: 400, price: "0.5" }, { upToKwh: 210, price: "0.6" }, { upToKwh: null, price: "0.8" }] }, "tiers.1.upToKwh"],
    ["last tier capped", { ...SHANDONG, tiers: [{ upToKwh: 210, price: "0.5" }] }, "tiers.0.upToKwh"],
    ["middle tier open", { ...SHANDONG, tiers: [{ upToKwh: null, price: "0.5" }, { upToKwh: null, price: "0.6" }] }, "tiers.0.upToKwh"],
    ["price with letters", { ...SHANDONG, tiers: [{ upToKwh: null, price: "0.5a" }] }, "tiers.0.price"],
    ["negative price", { ...SHANDONG, tiers: [{ upToKwh: null, price: "-0.5" }] }, "tiers.0.price"],
    ["unknown field (misspelt)", { ...SHANDONG, largeHouseholdExtraKWh: 100 }, ""],
    ["bad PF standard", { ...SHANDONG, twoPart: { basis: "capacity", capacityPrice: "30", demandPrice: "40", powerFactorStandard: "0.95" } }, "twoPart.powerFactorStandard"],
  ])("rejects %s", (_n, def, path) => {
    const r = tariffDefinitionSchema.safeParse(def);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("versionInForce picks the latest version effective on the day", () => {
    const vs = [{ effectiveFrom: "2024-01-01", id: 1 }, { effectiveFrom: "2026-07-01", id: 2 }];
    expect(versionInForce(vs, "2023-12-31")).toBeNull();
    expect(versionInForce(vs, "2026-06-30")!.id).toBe(1);
    expect(versionInForce(vs, "2026-07-01")!.id).toBe(2);
  });
});
