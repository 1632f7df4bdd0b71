import type { T } from "@/lib/i18n/core";

/** An audit exception's details as a sentence (the worklist, and the reader's re-read list: why
 *  the reading is doubted). */
export function describeException(e: { code: string; details: Record<string, unknown>; kwh: number }, t: T): string {
  const d = e.details as Record<string, string | number>;
  switch (e.code) {
    case "HISTORY_HIGH":
    case "HISTORY_LOW":
      return `${t("audit.details.kwh", { kwh: d.kwh })}；${t("audit.details.average", { periods: d.periods, avg: d.averageKwh, pct: d.thresholdPct })}`;
    case "MONTH_ON_MONTH_INCREASE":
      return `${t("audit.details.kwh", { kwh: d.kwh })}；${t("audit.details.last", { last: d.lastKwh, pct: d.thresholdPct })}`;
    case "RESIDENTIAL_BUSINESS_LEVEL":
      return `${t("audit.details.kwh", { kwh: d.kwh })}；${t("audit.details.threshold", { threshold: d.thresholdKwh })}`;
    case "ZERO_SITE_CHECK":
    case "ZERO_CLOSURE":
      return t("audit.details.zero", { n: d.zeroPeriods });
    case "OFF_READING_DAY":
      return t("audit.details.deviation", { scheduled: d.scheduledOn, read: d.readOn, dev: d.deviationDays });
    case "ESTIMATE_SETTLEMENT_CREDIT":
      return t("audit.details.credit", { kwh: d.creditKwh });
    default:
      return t("audit.details.kwh", { kwh: e.kwh });
  }
}
