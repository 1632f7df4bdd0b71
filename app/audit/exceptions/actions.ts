"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { acceptMany, clearException } from "@/lib/data/audit-exceptions";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { acceptManySchema, clearExceptionSchema } from "@/lib/validation/billing";

// The audit worklist: clearing exceptions (audit.clear). Who and why are recorded by lib/data.
export type ClearState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

export async function clearExceptionAction(_p: ClearState, fd: FormData): Promise<ClearState> {
  const r = await runAction("audit.clear", clearExceptionSchema, formToObject(fd), (d, a) => clearException(a, d));
  if (r.status !== "ok") {
    return { ...r, values: Object.fromEntries([...fd.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string")) as Record<string, string> };
  }
  revalidatePath("/audit");
  return { status: "ok", message: (await getT())("audit.done") };
}

export async function acceptManyAction(_p: ClearState, fd: FormData): Promise<ClearState> {
  const r = await runAction("audit.clear", acceptManySchema, formToObject(fd), (d, a) => acceptMany(a, d.exceptionIds, d.note));
  if (r.status !== "ok") return r;
  revalidatePath("/audit");
  return { status: "ok", message: (await getT())("audit.acceptAllDone", { n: (r.data as { cleared: number }).cleared }) };
}
