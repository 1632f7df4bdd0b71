"use client";
import { useActionState } from "react";
import type { CounterFormState } from "@/app/counter/actions";
import { payRefundAction } from "@/app/counter/refunds/actions";
import { FormStatus, fieldErrors } from "@/components/counter/form-status";

/** Records one refund as paid out: how it was paid and the voucher (required for a transfer). */
export function RefundPayoutForm({ refundId, channel, labels }: {
  refundId: number; channel: string; labels: { reference: string; pay: string; channels: Record<string, string> };
}) {
  const [state, run, pending] = useActionState<CounterFormState, FormData>(payRefundAction, null);
  if (state?.status === "ok") return <FormStatus state={state} testId={`refund-${refundId}-status`} />;
  const refErr = fieldErrors(state, "reference");
  return (
    <form action={run} className="flex flex-wrap items-center gap-2" data-testid={`refund-${refundId}-form`}>
      <input type="hidden" name="refundId" value={refundId} />
      <FormStatus state={state} testId={`refund-${refundId}-status`} />
      <select name="channel" defaultValue={state?.values?.channel || channel} aria-label={labels.pay}
        className="min-h-11 rounded-md border border-slate-300 px-2">
        {Object.entries(labels.channels).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
      </select>
      <input name="reference" defaultValue={state?.values?.reference} placeholder={labels.reference} aria-label={labels.reference}
        aria-invalid={refErr ? true : undefined} className="min-h-11 w-48 rounded-md border border-slate-300 px-2" />
      {refErr && <span role="alert" className="text-sm text-red-700">{refErr.join(" ")}</span>}
      <button type="submit" disabled={pending} data-testid={`refund-${refundId}-pay`}
        className="min-h-11 rounded-md bg-brand-600 px-4 font-medium text-white hover:bg-brand-700 disabled:opacity-60">{labels.pay}</button>
    </form>
  );
}
