"use server";
import { revalidatePath } from "next/cache";
import { formStrings, formToObject, runAction } from "@/lib/actions";
import { scheduleSettingVersion } from "@/lib/data/settings";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { settingVersionSchema } from "@/lib/validation/setting";

// Settings administration: a new version of one group for the admin's station, through runAction
// with `settings.manage` (who → parse → may they → lib/data/settings → result). What was typed is
// echoed back on failure so the form keeps it. A refused date is shown on the date field too.

export type SettingFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

const DATE_CODES = new Set(["SETTING_DATE_PAST", "SETTING_VERSION_IN_FORCE"]);

export async function scheduleSettingAction(_prev: SettingFormState, fd: FormData): Promise<SettingFormState> {
  const t = await getT();
  const r = await runAction("settings.manage", settingVersionSchema(t), formToObject(fd), (d, actor) => scheduleSettingVersion(actor, d));
  if (r.status === "error" && DATE_CODES.has(r.code)) {
    return { status: "invalid", message: r.message, fieldErrors: { effectiveFrom: [r.message] }, values: formStrings(fd) };
  }
  if (r.status !== "ok") return { ...r, values: formStrings(fd) };
  revalidatePath("/admin/settings");
  const done = r.data!;
  return { status: "ok", message: t(done.replaced ? "admin.settings.done.replaced" : "admin.settings.done.scheduled", { date: done.effectiveFrom }) };
}
