"use client";
import { useActionState, useEffect, useRef, useState } from "react";
import { recordPaymentAction, type CounterFormState } from "@/app/counter/actions";
import { FormStatus, fieldErrors } from "./form-status";

export type PayTarget = { value: string; label: string; payable: string };

export type PaymentFormLabels = {
  title: string; target: string; amount: string; amountHint: string; channel: string; reference: string; submit: string; submitting: string; closedAccount: string;
};

/**
 * Keyboard first: the amount is focused and selected with the amount due, so Enter takes it;
 * typing replaces it. The idempotency key was made when the page rendered: a double click, a
 * retry or a resubmitted form posts once (the second submission gets the first receipt).
 */
export function PaymentForm({ labels, targets, channels, defaultChannel, idempotencyKey, closed }: {
  labels: PaymentFormLabels; targets: PayTarget[]; channels: { value: string; label: string }[]; defaultChannel: string; idempotencyKey: string; closed: boolean;
}) {
  const [state, action, pending] = useActionState<CounterFormState, FormData>(recordPaymentAction, null);
  const v = state?.values;
  const [target, setTarget] = useState(v?.target || targets[0].value);
  const [amount, setAmount] = useState(v?.amount ?? targets[0].payable);
  const amountRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    amountRef.current?.focus();
    amountRef.current?.select();
  }, [state]);
  const err = (n: string) => fieldErrors(state, n);
  return (
    <form action={action} className="space-y-4" noValidate data-testid="payment-form">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <FormStatus state={state} testId="payment-status" />
      {closed && <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">{labels.closedAccount}</p>}
      {targets.length > 1 ? (
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">{labels.target}</legend>
          {targets.map((t) => (
            <label key={t.value} className="flex min-h-11 items-center gap-2">
              <input type="radio" name="target" value={t.value} checked={target === t.value}
                onChange={() => { setTarget(t.value); setAmount(t.payable); }} />
              {t.label}
            </label>
          ))}
        </fieldset>
      ) : (
        <input type="hidden" name="target" value={targets[0].value} />
      )}
      <div>
        <label htmlFor="pay-amount" className="mb-1 block text-sm font-medium text-slate-700">{labels.amount}</label>
        <input
          ref={amountRef} id="pay-amount" name="amount" inputMode="decimal" autoComplete="off" autoFocus
          value={amount} onChange={(e) => setAmount(e.target.value)} onFocus={(e) => e.target.select()}
          aria-invalid={!!err("amount") || undefined} aria-describedby="pay-amount-hint pay-amount-error" data-testid="pay-amount"
          className="block min-h-14 w-full rounded-md border border-slate-300 bg-white px-4 text-right text-2xl tabular focus:outline-2 focus:outline-brand-600"
        />
        {err("amount") ? <p id="pay-amount-error" role="alert" className="mt-1 text-sm text-red-700">{err("amount")!.join(" ")}</p>
          : <p id="pay-amount-hint" className="mt-1 text-sm text-slate-500">{labels.amountHint}</p>}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="pay-channel" className="mb-1 block text-sm font-medium text-slate-700">{labels.channel}</label>
          <select id="pay-channel" name="channel" defaultValue={v?.channel || defaultChannel} data-testid="pay-channel"
            className="block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3">
            {channels.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="pay-reference" className="mb-1 block text-sm font-medium text-slate-700">{labels.reference}</label>
          <input id="pay-reference" name="reference" defaultValue={v?.reference} autoComplete="off" maxLength={80} data-testid="pay-reference"
            className="block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3" />
          {err("reference") && <p role="alert" className="mt-1 text-sm text-red-700">{err("reference")!.join(" ")}</p>}
        </div>
      </div>
      <button type="submit" disabled={pending} data-testid="pay-submit"
        className="min-h-14 w-full rounded-md bg-brand-600 px-6 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? labels.submitting : labels.submit}
      </button>
    </form>
  );
}
