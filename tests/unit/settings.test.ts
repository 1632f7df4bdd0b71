import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, mergeSettings, resolveSettings, settingsOverrideSchema, settingsSchema } from "@/lib/domain/settings";

describe("settings", () => {
  it("defaults are valid and carry the 1996 late-fee rule", () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.lateFee.residentialDailyRate).toBe("0.001");
    expect(DEFAULT_SETTINGS.lateFee.minimumTotal).toBe("1.00");
  });

  it("overrides are strict: a misspelt key is refused", () => {
    expect(settingsOverrideSchema.safeParse({ lateFee: { residentialDailyRate: "0.002" } }).success).toBe(true);
    expect(settingsOverrideSchema.safeParse({ lateFees: {} }).success).toBe(false);
    expect(settingsOverrideSchema.safeParse({ lateFee: { residentialRate: "0.002" } }).success).toBe(false);
  });

  it("merges a partial override over the defaults and validates it", () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { audit: { historyDeviationPct: 40 } });
    expect(s.audit.historyDeviationPct).toBe(40);
    expect(s.audit.monthOnMonthIncreasePct).toBe(50);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { lateFee: { residentialDailyRate: "abc" } })).toThrow();
  });

  it("resolves by effective date; the station's own rows win over company-wide ones", () => {
    const rows = [
      { group: "lateFee", value: { minimumTotal: null }, effectiveFrom: "2024-06-01", stationScoped: false },
      { group: "audit", value: { historyDeviationPct: 25 }, effectiveFrom: "2026-01-01", stationScoped: true },
      { group: "audit", value: { historyDeviationPct: 35 }, effectiveFrom: "2026-06-01", stationScoped: false },
    ];
    expect(resolveSettings(rows, "2024-05-31").lateFee.minimumTotal).toBe("1.00");
    expect(resolveSettings(rows, "2024-06-01").lateFee.minimumTotal).toBeNull();
    expect(resolveSettings(rows, "2025-12-31").audit.historyDeviationPct).toBe(30);
    expect(resolveSettings(rows, "2026-07-01").audit.historyDeviationPct).toBe(25);
  });
});
