"use server";
import { formStrings, formToObject, runAction } from "@/lib/actions";
import { recordReread, type RereadOutcome } from "@/lib/data/rereads";
import { AppError, type ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { rereadSchema } from "@/lib/validation/reading";

// 复抄's result (readings.reread: the visit's own reader, checked again in lib/data, or an
// auditor), from the reader's /reader/visits and the auditor's worklist alike. A value that looks
// wrong comes back asking for what the tablet asks for: the meter read again, or a reason.
export type RereadState =
  | (ActionResult<unknown> & { values?: Record<string, string>; needs?: "again" | "confirm"; reasons?: string[] })
  | null;

export async function recordRereadAction(_p: RereadState, fd: FormData): Promise<RereadState> {
  let unusual: { code: "READING_NEEDS_REREAD" | "READING_NEEDS_CONFIRM"; reasons: string[] } | null = null;
  const r = await runAction("readings.reread", rereadSchema, formToObject(fd), async (d, a) => {
    try {
      return await recordReread(a, d);
    } catch (e) {
      if (e instanceof AppError && (e.code === "READING_NEEDS_REREAD" || e.code === "READING_NEEDS_CONFIRM")) {
        unusual = { code: e.code, reasons: String(e.params.reasons ?? "").split(",").filter(Boolean) };
      }
      throw e;
    }
  });
  const t = await getT();
  const u = unusual as { code: "READING_NEEDS_REREAD" | "READING_NEEDS_CONFIRM"; reasons: string[] } | null;
  if (r.status === "error" && u) {
    // the reasons come as codes: name them in the user's language
    const named = u.reasons.map((x) => t(`readings.reason.${x}`)).join("、");
    return {
      status: "error", code: u.code, message: t(`errors.${u.code}`, { reasons: named }), values: formStrings(fd),
      needs: u.code === "READING_NEEDS_REREAD" ? "again" : "confirm", reasons: u.reasons,
    };
  }
  if (r.status !== "ok") return { ...r, values: formStrings(fd) };
  // no revalidatePath: the visit leaves the list and its result line would go with it; the
  // pages are dynamic, so they are fresh on the next visit (as with the site check)
  const d = r.data as RereadOutcome;
  const codes = (xs: string[]) => xs.map((c) => t(`audit.codes.${c}`)).join("、");
  const parts = [d.outcome === "CONFIRMED"
    ? t("readings.reread.savedSame", { value: d.value })
    : t("readings.reread.savedChanged", { value: d.value, before: d.before, kwhBefore: d.kwhBefore, kwhAfter: d.kwhAfter, amountBefore: d.amountBefore, amountAfter: d.amountAfter })];
  if (d.cleared.length) parts.push(t("readings.reread.savedCleared", { codes: codes(d.cleared) }));
  parts.push(d.open.length ? t("readings.reread.savedOpen", { codes: codes(d.open) }) : t("readings.reread.savedReady"));
  return { status: "ok", message: parts.join("") };
}
