"use client";
import { useActionState } from "react";
import type { CounterFormState } from "@/app/counter/actions";
import { FormStatus } from "./form-status";

/** A one-button form posting fixed hidden fields to a server action, with its result line. */
export function SubmitForm({ action, hidden, label, testId, confirm }: {
  action: (prev: CounterFormState, fd: FormData) => Promise<CounterFormState>;
  hidden: Record<string, string | number>; label: string; testId?: string; confirm?: string;
}) {
  const [state, run, pending] = useActionState<CounterFormState, FormData>(action, null);
  return (
    <form action={run} className="no-print space-y-2" onSubmit={(e) => { if (confirm && !window.confirm(confirm)) e.preventDefault(); }}>
      {Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <FormStatus state={state} testId={testId ? `${testId}-status` : undefined} />
      <button type="submit" disabled={pending} data-testid={testId}
        className="min-h-11 rounded-md bg-brand-600 px-5 font-medium text-white hover:bg-brand-700 disabled:opacity-60">{label}</button>
    </form>
  );
}

export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className="no-print min-h-11 rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50">{label}</button>
  );
}
