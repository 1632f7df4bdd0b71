"use client";
import { useActionState } from "react";
import type { CounterFormState } from "@/app/counter/actions";
import { decideApprovalAction } from "@/app/approvals/actions";
import { FormStatus } from "./form-status";

export function DecisionForm({ id, labels }: { id: number; labels: { approve: string; reject: string; note: string } }) {
  const [state, run, pending] = useActionState<CounterFormState, FormData>(decideApprovalAction, null);
  if (state?.status === "ok") return <FormStatus state={state} testId={`approval-${id}-status`} />;
  return (
    <form action={run} className="flex flex-wrap items-center gap-2" data-testid={`approval-${id}-form`}>
      <input type="hidden" name="id" value={id} />
      <FormStatus state={state} testId={`approval-${id}-status`} />
      <input name="note" aria-label={labels.note} placeholder={labels.note} className="min-h-9 w-44 rounded border border-slate-300 px-2 text-sm" />
      <button type="submit" name="decision" value="approve" disabled={pending} data-testid={`approval-${id}-approve`}
        className="min-h-9 rounded bg-emerald-700 px-3 text-sm text-white hover:bg-emerald-800 disabled:opacity-60">{labels.approve}</button>
      <button type="submit" name="decision" value="reject" disabled={pending} data-testid={`approval-${id}-reject`}
        className="min-h-9 rounded border border-slate-300 bg-white px-3 text-sm hover:bg-slate-50 disabled:opacity-60">{labels.reject}</button>
    </form>
  );
}
