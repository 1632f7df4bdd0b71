import "server-only";
import type { T } from "@/lib/i18n/core";
import { SITE_CHECK_RESULTS } from "@/lib/domain/closure/closure";
import type { SiteCheckLabels } from "./site-check-form";

/** The site-check form's strings, for the auditor's closures page and the reader's list. */
export function siteCheckLabels(t: T): SiteCheckLabels {
  return {
    result: t("closures.form.result"), note: t("closures.form.note"), notePlaceholder: t("closures.form.notePlaceholder"),
    finalReading: t("closures.form.finalReading"), submit: t("closures.form.submit"), submitting: t("closures.form.submitting"),
    results: Object.fromEntries(SITE_CHECK_RESULTS.map((r) => [r, t(`closures.results.${r}`)])),
  };
}
