import { describe, expect, it } from "vitest";
import { catalogs } from "@/lib/i18n/catalog";
import { hasMessage } from "@/lib/i18n/core";
import { CONFIRM_REASONS, REREAD_CONFIRMED, type PlausibilityReason } from "@/lib/domain/readings/plausibility";
import { MISSED_REASONS } from "@/lib/domain/readings/estimates";
import { OBSERVATIONS } from "@/lib/validation/reading";

type Tree = { [k: string]: string | Tree };
const keys = (t: Tree, prefix = ""): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));

describe("readings catalogs", () => {
  it.each(["readings", "reader"] as const)("zh and en %s have the same keys", (area) => {
    expect(keys(catalogs.en[area] as Tree).sort()).toEqual(keys(catalogs.zh[area] as Tree).sort());
  });

  it("names every reason code, observation and error the readings code uses", () => {
    const reasons: PlausibilityReason[] = ["EXCEEDS_REGISTER", "BELOW_PREVIOUS", "ROLLOVER", "HIGH_USAGE", "LOW_USAGE"];
    const wanted = [
      ...reasons.map((r) => `readings.reason.${r}`),
      ...[...CONFIRM_REASONS, REREAD_CONFIRMED].map((r) => `readings.confirm.${r}`),
      ...MISSED_REASONS.map((r) => `readings.missed.${r}`),
      ...OBSERVATIONS.map((o) => `readings.observation.${o}`),
      ...["METER_NOT_ON_ROUTE", "METER_REMOVED", "READING_IN_FUTURE", "READING_WRONG_PERIOD", "READING_NEEDS_REREAD",
        "READING_NEEDS_CONFIRM", "READING_ALREADY_TAKEN", "ROUTE_NOT_YOURS", "ESTIMATE_NOT_ALLOWED", "NO_BASIS_FOR_ESTIMATE",
        "IMPORT_REJECTED", "IMPORT_HEADER", "IMPORT_MALFORMED", "METER_FINAL_BELOW", "DAY_CHANGE_OWN_REQUEST"].map((c) => `errors.${c}`),
    ];
    for (const k of wanted) {
      expect(hasMessage("zh", k), k).toBe(true);
      expect(hasMessage("en", k), k).toBe(true);
    }
  });
});
