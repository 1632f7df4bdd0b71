"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { releaseRun, rerun, startRun, stopRun } from "@/lib/data/billing";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { runIdSchema, startRunSchema } from "@/lib/validation/billing";

// Billing runs: start (billing.run), stop and rerun (billing.run), release (bills.release).
export type RunFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

async function ok(key: string, params?: Record<string, string | number>): Promise<RunFormState> {
  revalidatePath("/audit/runs");
  return { status: "ok", message: (await getT())(`billing.runs.done.${key}`, params) };
}

export async function startRunAction(_p: RunFormState, fd: FormData): Promise<RunFormState> {
  const r = await runAction("billing.run", startRunSchema, formToObject(fd), (d, a) => startRun(a, d));
  return r.status === "ok" ? ok("started", { id: (r.data as { id: number }).id }) : { ...r, values: { period: String(fd.get("period") ?? "") } };
}

export async function stopRunAction(_p: RunFormState, fd: FormData): Promise<RunFormState> {
  const r = await runAction("billing.run", runIdSchema, formToObject(fd), (d, a) => stopRun(a, d.runId));
  return r.status === "ok" ? ok("stopped") : r;
}

export async function rerunAction(_p: RunFormState, fd: FormData): Promise<RunFormState> {
  const r = await runAction("billing.run", runIdSchema, formToObject(fd), (d, a) => rerun(a, d.runId));
  return r.status === "ok" ? ok("rerun") : r;
}

export async function releaseRunAction(_p: RunFormState, fd: FormData): Promise<RunFormState> {
  const r = await runAction("bills.release", runIdSchema, formToObject(fd), (d, a) => releaseRun(a, d.runId));
  if (r.status !== "ok") return r;
  const d = r.data as { bills: number; amount: string; notices: number };
  return ok("released", { bills: d.bills, amount: d.amount, notices: d.notices });
}
