import { describe, expect, it } from "vitest";
import { addTariffVersionSchema, definitionToFields } from "@/lib/validation/tariff";
import { SHANDONG, ZHEJIANG_TOU } from "./billing-golden";

const form = (o: Record<string, string>) => ({ tariffId: "3", effectiveFrom: "2027-01-01", tierBasis: "monthly", ...o });

describe("tariff version form → definition", () => {
  it("round-trips the published tariffs through the form's fields", () => {
    for (const t of [SHANDONG, ZHEJIANG_TOU]) {
      const r = addTariffVersionSchema.safeParse(form(definitionToFields(t)));
      expect(r.success).toBe(true);
      expect(r.data!.definition).toEqual(t);
    }
  });

  it("builds a two-part tariff", () => {
    const r = addTariffVersionSchema.safeParse(form({
      tier0Price: "0.6120", twoPartEnabled: "on", twoPartBasis: "demand", capacityPrice: "30", demandPrice: "48", powerFactorStandard: "0.90",
    }));
    expect(r.data!.definition).toEqual({
      tiers: [{ upToKwh: null, price: "0.6120" }], tierBasis: "monthly", timeOfUse: null,
      twoPart: { basis: "demand", capacityPrice: "30", demandPrice: "48", powerFactorStandard: "0.90" },
    });
  });

  it.each<[string, Record<string, string>, string, string]>([
    ["descending tiers", { tier0Upto: "400", tier0Price: "0.5", tier1Upto: "210", tier1Price: "0.6", tier2Price: "0.8" }, "tier1Upto", "tariffs.validation.tierAscending"],
    ["a capped last tier", { tier0Upto: "400", tier0Price: "0.5" }, "tier0Upto", "tariffs.validation.tierOpenEnd"],
    ["letters in a price", { tier0Price: "0.5a" }, "tier0Price", "tariffs.validation.price"],
    ["no tier at all", {}, "tier0Price", "tariffs.validation.tiersRequired"],
    ["TOU without prices", { tier0Price: "0.5", touEnabled: "on" }, "touPeak", "tariffs.validation.price"],
    ["an impossible date", { tier0Price: "0.5", effectiveFrom: "2027-02-30" }, "effectiveFrom", "tariffs.validation.date"],
  ])("refuses %s with a message on the field", (_n, fields, field, key) => {
    const r = addTariffVersionSchema.safeParse(form(fields));
    expect(r.success).toBe(false);
    expect(r.error!.issues.some((i) => i.path.join(".") === field && i.message === key)).toBe(true);
  });
});
