"use server";
import { formToObject, runAction } from "@/lib/actions";
import { recordSiteCheck } from "@/lib/data/closures";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { siteCheckSchema } from "@/lib/validation/closure";

// The site check's result (closures.siteCheck: the assigned reader, checked again in lib/data, or
// an auditor), from the auditor's closures page and the reader's site-check list alike.
export type SiteCheckState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

export async function recordSiteCheckAction(_p: SiteCheckState, fd: FormData): Promise<SiteCheckState> {
  const r = await runAction("closures.siteCheck", siteCheckSchema, formToObject(fd), (d, a) => recordSiteCheck(a, d));
  if (r.status !== "ok") {
    return { ...r, values: Object.fromEntries(["result", "note", "finalReading"].map((k) => [k, String(fd.get(k) ?? "")])) };
  }
  // no revalidatePath: it would re-render the page the form is on, where the case (or the visit)
  // leaves the list and its result line with it; the result replaces the form, and these pages
  // and /approvals are dynamic, so they are fresh on the next visit
  const t = await getT();
  const d = r.data as { result: string; customerStatus: string; nextVisitOn: string | null };
  const message = d.result === "IN_USE" ? t("closures.form.savedInUse", { status: t(`counter.status.${d.customerStatus}`) })
    : d.result === "NO_ACCESS" ? t("closures.form.savedNoAccess", { date: d.nextVisitOn ?? "" })
    : t("closures.form.savedVacant");
  return { status: "ok", message };
}
