"use server";
// Reading-day changes: request (reader or auditor), decide (auditor), record confirmations.
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { decideDayChange, recordConfirmations, requestDayChange } from "@/lib/data/routes";
import { confirmationsSchema, dayChangeDecisionSchema, dayChangeRequestSchema } from "@/lib/validation/route";
import type { ActionResult } from "@/lib/errors";

export type FormState = (ActionResult<unknown> & { values?: Record<string, unknown> }) | null;

export async function requestDayChangeAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const values = formToObject(fd);
  const r = await runAction("readingDay.request", dayChangeRequestSchema, values, async (d, actor) => {
    const out = await requestDayChange(actor, d);
    revalidatePath("/audit/reading-days");
    return out;
  });
  return { ...r, values };
}

export async function decideDayChangeAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return runAction("readingDay.approve", dayChangeDecisionSchema, formToObject(fd), async (d, actor) => {
    const out = await decideDayChange(actor, { changeId: d.changeId, approve: d.decision === "approve", note: d.note });
    revalidatePath("/audit/reading-days");
    return out;
  });
}

export async function recordConfirmationsAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const raw = formToObject(fd);
  return runAction("readingDay.approve", confirmationsSchema, raw, async (d, actor) => {
    const out = await recordConfirmations(actor, d);
    revalidatePath(`/audit/reading-days/${d.changeId}`);
    return out;
  });
}
