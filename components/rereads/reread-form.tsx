"use client";
import { useActionState, useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { recordRereadAction, type RereadState } from "@/app/reader/visits/actions";

export type RereadLabels = {
  value: string; valuePlaceholder: string; peak: string; again: string; confirmWith: string; note: string; notePlaceholder: string;
  submit: string; submitting: string; offline: string; confirmReasons: Record<string, string>; reasons: Record<string, string>;
};

function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

const big = "block h-20 w-full rounded-lg border-2 bg-white px-4 text-right text-4xl font-semibold tabular tracking-wider text-slate-900 focus:outline-3 focus:outline-brand-600";

/** 复抄's result: a large numeric field for the register (tablet, 800×1280), the second reading or
 *  the confirm reason when the server finds the value unusual, an optional note. Online only: the
 *  result recomputes a bill, so it is never queued (the form says so and waits when offline). */
export function RereadForm({ visitId, labels, peak }: { visitId: number; labels: RereadLabels; peak?: boolean }) {
  const [state, action, pending] = useActionState<RereadState, FormData>(recordRereadAction, null);
  const online = useOnline();
  const key = useMemo(() => `${Date.now()}-${Math.random()}`, [state]); // remount with the submitted values after a refusal
  if (state?.status === "ok") return <Alert tone="success" data-testid={`reread-ok-${visitId}`}>{state.message}</Alert>;
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  const id = (n: string) => `rr${visitId}-${n}`;
  const reasons = (state?.reasons ?? []).map((r) => labels.reasons[r] ?? r).join("、");
  return (
    <form key={key} action={action} className="space-y-4" noValidate data-testid={`reread-form-${visitId}`}>
      {!online && <Alert tone="warning" data-testid={`reread-offline-${visitId}`}>{labels.offline}</Alert>}
      {state && <Alert tone="error" data-testid={`reread-error-${visitId}`}>{state.message}</Alert>}
      <input type="hidden" name="visitId" value={visitId} />
      <div className="space-y-1.5">
        <label htmlFor={id("value")} className="block text-base font-medium text-slate-700">{labels.value}</label>
        <input id={id("value")} name="value" inputMode="decimal" autoComplete="off" enterKeyHint="done" data-testid={`reread-value-${visitId}`}
          placeholder={labels.valuePlaceholder} defaultValue={state?.values?.value} aria-invalid={!!err("value") || undefined}
          aria-describedby={err("value") ? `${id("value")}-error` : undefined}
          className={cn(big, err("value") ? "border-red-500" : "border-slate-300")} />
        {err("value") && <p id={`${id("value")}-error`} role="alert" className="text-lg text-red-700">{err("value")!.join(" ")}</p>}
      </div>
      {peak && (
        <label className="block text-base text-slate-700">{labels.peak}
          <input name="peak" inputMode="decimal" autoComplete="off" defaultValue={state?.values?.peak}
            className="mt-1 block h-14 w-full rounded-lg border-2 border-slate-300 px-3 text-right text-2xl tabular" />
          {err("peak") && <span role="alert" className="block text-base text-red-700">{err("peak")!.join(" ")}</span>}
        </label>
      )}
      {state?.needs === "again" && (
        <label className="block rounded-lg border-2 border-amber-300 bg-amber-50 p-4 text-lg text-amber-900">
          {labels.again.replace("{reasons}", reasons)}
          <input name="again" inputMode="decimal" autoComplete="off" autoFocus data-testid={`reread-again-${visitId}`}
            className="mt-2 block h-16 w-full rounded-lg border-2 border-amber-400 bg-white px-3 text-right text-3xl tabular" />
        </label>
      )}
      {state?.needs === "confirm" && (
        <fieldset className="space-y-3 rounded-lg border-2 border-amber-300 bg-amber-50 p-4">
          <legend className="px-1 text-lg text-amber-900">{labels.confirmWith.replace("{reasons}", reasons)}</legend>
          <div className="flex flex-wrap gap-2">
            {Object.entries(labels.confirmReasons).filter(([k]) => k !== "ROLLOVER" || state.reasons?.includes("ROLLOVER")).map(([k, v]) => (
              <label key={k} className="inline-flex min-h-14 cursor-pointer items-center gap-2 rounded-md border-2 border-slate-300 bg-white px-4 text-lg has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                <input type="radio" name="reasonCode" value={k} className="h-5 w-5" data-testid={`reread-confirm-${k}`} />{v}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <label className="block text-base text-slate-700">{labels.note}
        <textarea name="note" rows={2} maxLength={200} placeholder={labels.notePlaceholder} defaultValue={state?.values?.note}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-base" />
        {err("note") && <span role="alert" className="block text-base text-red-700">{err("note")!.join(" ")}</span>}
      </label>
      <Button type="submit" size="lg" className="w-full" disabled={pending || !online} data-testid={`reread-submit-${visitId}`}>
        {pending ? labels.submitting : labels.submit}
      </Button>
    </form>
  );
}
