"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { decideApproval } from "@/lib/data/approvals";
import { getT } from "@/lib/i18n/server";
import { approvalDecisionSchema } from "@/lib/validation/payment";
import type { CounterFormState } from "@/app/counter/actions";

/** A manager approves (the change applies in the same transaction) or rejects a request. */
export async function decideApprovalAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("approvals.decide", approvalDecisionSchema, formToObject(fd), (d, actor) =>
    decideApproval(actor, d.id, d.decision === "approve", d.note));
  if (r.status !== "ok") return r;
  revalidatePath("/approvals");
  revalidatePath("/counter", "layout");
  const t = await getT();
  return { status: "ok", message: t(fd.get("decision") === "approve" ? "approvals.approved" : "approvals.rejected") };
}
