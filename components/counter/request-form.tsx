"use client";
import { useActionState } from "react";
import type { CounterFormState } from "@/app/counter/actions";
import { FormStatus, fieldErrors } from "./form-status";

/** A small disclosure form asking a manager for something (a reversal, a waiver) with a reason. */
export function RequestForm({ action, hidden, labels, testId }: {
  action: (prev: CounterFormState, fd: FormData) => Promise<CounterFormState>;
  hidden: Record<string, string | number>;
  labels: { request: string; reason: string; submit: string };
  testId?: string;
}) {
  const [state, run, pending] = useActionState<CounterFormState, FormData>(action, null);
  if (state?.status === "ok") return <FormStatus state={state} />;
  return (
    <details className="text-sm" data-testid={testId}>
      <summary className="inline-flex min-h-9 cursor-pointer items-center rounded px-2 text-brand-700 hover:bg-brand-50">{labels.request}</summary>
      <form action={run} className="mt-2 flex flex-wrap items-start gap-2" noValidate>
        {Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <FormStatus state={state} />
        <input name="reason" aria-label={labels.reason} placeholder={labels.reason} defaultValue={state?.values?.reason} required
          className="min-h-9 min-w-60 flex-1 rounded border border-slate-300 px-2" />
        <button type="submit" disabled={pending} className="min-h-9 rounded bg-slate-800 px-3 text-white disabled:opacity-60">{labels.submit}</button>
        {fieldErrors(state, "reason") && <p role="alert" className="w-full text-red-700">{fieldErrors(state, "reason")!.join(" ")}</p>}
      </form>
    </details>
  );
}
