import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkFinalReading, settleClosure } from "@/lib/domain/closure/closure";

describe("closure: the final register on a site check", () => {
  const base = { lastReading: "800.00", digits: 6, multiplier: 1 };
  it("vacant with the register where it was: fine, 0 kWh", () => {
    expect(checkFinalReading({ ...base, result: "VACANT", finalReading: "800.00" })).toEqual({ ok: true, kwh: 0 });
    expect(checkFinalReading({ ...base, result: "VACANT", finalReading: "800.40" })).toEqual({ ok: true, kwh: 0 }); // under half a kWh
  });
  it("vacant but the register moved on: refused (unbilled use)", () => {
    expect(checkFinalReading({ ...base, result: "VACANT", finalReading: "812.00" })).toEqual({ ok: false, code: "SITE_CHECK_READING_ADVANCED", kwh: 12 });
    expect(checkFinalReading({ ...base, multiplier: 40, result: "VACANT", finalReading: "801.00" })).toMatchObject({ ok: false, kwh: 40 });
  });
  it("in use: any advance is fine; lower than the last reading is a misread", () => {
    expect(checkFinalReading({ ...base, result: "IN_USE", finalReading: "950.00" })).toEqual({ ok: true, kwh: 150 });
    expect(checkFinalReading({ ...base, result: "IN_USE", finalReading: "790.00" })).toMatchObject({ ok: false, code: "SITE_CHECK_READING_LOWER" });
    expect(checkFinalReading({ ...base, lastReading: "999990.00", result: "IN_USE", finalReading: "5.00" })).toEqual({ ok: true, kwh: 15 }); // rollover
    expect(checkFinalReading({ ...base, lastReading: "999990.00", result: "VACANT", finalReading: "5.00" })).toMatchObject({ ok: false, code: "SITE_CHECK_READING_ADVANCED" });
  });
  it("no reading taken: nothing to check", () => {
    expect(checkFinalReading({ ...base, result: "NO_ACCESS", finalReading: null })).toEqual({ ok: true, kwh: null });
  });
});

describe("closure: the money at approval", () => {
  it("prepaid funds held in the pool are refunded in full", () => {
    expect(settleClosure({ balance: -5000, pool: 5000, openPrincipal: 0 })).toEqual({ ok: true, refund: 5000, arrears: 0 });
  });
  it("arrears stay owed; nothing is refunded", () => {
    expect(settleClosure({ balance: 8800, pool: 0, openPrincipal: 8800 })).toEqual({ ok: true, refund: 0, arrears: 8800 });
    expect(settleClosure({ balance: 0, pool: 0, openPrincipal: 0 })).toEqual({ ok: true, refund: 0, arrears: 0 });
  });
  it("anything that does not add up goes to a person", () => {
    expect(settleClosure({ balance: -5000, pool: 3000, openPrincipal: 0 }).ok).toBe(false); // funds from outside the pool
    expect(settleClosure({ balance: -2000, pool: 5000, openPrincipal: 3000 }).ok).toBe(false); // funds beside open bills
    expect(settleClosure({ balance: 500, pool: 1000, openPrincipal: 1500 }).ok).toBe(false);
  });
  it("property: a settlement refunds exactly the prepaid funds or keeps exactly the arrears, never both", () => {
    fc.assert(fc.property(fc.integer({ min: -1e8, max: 1e8 }), fc.integer({ min: 0, max: 1e8 }), fc.integer({ min: 0, max: 1e8 }), (balance, pool, openPrincipal) => {
      const s = settleClosure({ balance, pool, openPrincipal });
      if (!s.ok) return true;
      return s.refund - s.arrears === -balance && (s.refund === 0 || s.arrears === 0) && s.refund >= 0 && s.arrears >= 0;
    }));
  });
});

describe("closure: catalogs", () => {
  type Tree = { [k: string]: string | Tree };
  const keys = (t: Tree, prefix = ""): string[] =>
    Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
  it("zh and en have the same closure strings, and every closure error has a message in both", async () => {
    const { catalogs } = await import("@/lib/i18n/catalog");
    expect(keys(catalogs.en.closures as Tree).sort()).toEqual(keys(catalogs.zh.closures as Tree).sort());
    const codes = ["VISIT_NOT_YOURS", "SITE_CHECK_ALREADY_RECORDED", "CLOSURE_NOT_PENDING", "SITE_CHECK_READING_ADVANCED", "SITE_CHECK_READING_LOWER",
      "CLOSURE_SITE_CHECK_PENDING", "CLOSURE_SITE_CHECK_NOT_VACANT", "CLOSURE_BILL_HELD", "CLOSURE_BILL_UNRELEASED", "CLOSURE_BALANCE_UNRECONCILED", "REFUND_ALREADY_PAID"];
    for (const c of codes) {
      expect((catalogs.zh.errors as Record<string, string>)[c], c).toMatch(/[\u4e00-\u9fff]/);
      expect((catalogs.en.errors as Record<string, string>)[c], c).toBeTruthy();
    }
    expect(catalogs.zh.approvals.kinds.ACCOUNT_CLOSURE).toBe("销户");
  });
});
