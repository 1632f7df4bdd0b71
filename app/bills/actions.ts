"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { reverseAndRebill } from "@/lib/data/bills";
import type { ActionResult } from "@/lib/errors";
import { reverseAndRebillSchema } from "@/lib/validation/billing";

export type CorrectState = ActionResult<unknown> | null;

/** 冲正重开 (bills.correct): reverse a released bill and rebill it from the corrected reading. */
export async function reverseAndRebillAction(_p: CorrectState, fd: FormData): Promise<CorrectState> {
  const r = await runAction("bills.correct", reverseAndRebillSchema, formToObject(fd), (d, a) =>
    reverseAndRebill(a, { billId: d.billId, note: d.note, total: d.total || undefined, peak: d.peak || undefined }));
  if (r.status !== "ok") return r;
  revalidatePath("/bills");
  redirect(`/bills/${(r.data as { id: number }).id}?rebilled=1`);
}
