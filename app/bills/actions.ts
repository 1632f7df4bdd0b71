"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formToObject, runAction } from "@/lib/actions";
import { reverseAndRebill } from "@/lib/data/bills";
import type { ActionResult } from "@/lib/errors";
import { isRegister } from "@/lib/domain/billing/consumption";
import { reverseBillSchema } from "@/lib/validation/billing";

export type CorrectState = ActionResult<unknown> | null;

const schema = reverseBillSchema.extend({
  total: z.string().trim().optional().default("").refine((s) => s === "" || isRegister(s), { error: "billing.validation.register" }),
  peak: z.string().trim().optional().default("").refine((s) => s === "" || isRegister(s), { error: "billing.validation.register" }),
});

/** 冲正重开 (bills.correct): reverse a released bill and rebill it from the corrected reading. */
export async function reverseAndRebillAction(_p: CorrectState, fd: FormData): Promise<CorrectState> {
  const r = await runAction("bills.correct", schema, formToObject(fd), (d, a) =>
    reverseAndRebill(a, { billId: d.billId, note: d.note, total: d.total || undefined, peak: d.peak || undefined }));
  if (r.status !== "ok") return r;
  revalidatePath("/bills");
  redirect(`/bills/${(r.data as { id: number }).id}?rebilled=1`);
}
