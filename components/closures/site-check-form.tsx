"use client";
import { useActionState, useMemo } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { recordSiteCheckAction, type SiteCheckState } from "@/app/audit/closures/actions";

export type SiteCheckLabels = {
  result: string; note: string; notePlaceholder: string; finalReading: string; submit: string; submitting: string;
  results: Record<string, string>;
};

/** The site check's result: used on the auditor's closures page and on the reader's tablet (large
 *  touch targets come from the UI primitives). */
export function SiteCheckForm({ visitId, labels, lastReading }: { visitId: number; labels: SiteCheckLabels; lastReading?: string | null }) {
  const [state, action, pending] = useActionState<SiteCheckState, FormData>(recordSiteCheckAction, null);
  const key = useMemo(() => `${Date.now()}-${Math.random()}`, [state]); // remount with the submitted values after a refusal
  if (state?.status === "ok") return <Alert tone="success" data-testid={`site-check-ok-${visitId}`}>{state.message}</Alert>;
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  const id = (n: string) => `v${visitId}-${n}`;
  return (
    <form key={key} action={action} className="space-y-3" noValidate data-testid={`site-check-form-${visitId}`}>
      {state && <Alert tone="error" data-testid={`site-check-error-${visitId}`}>{state.message}</Alert>}
      <input type="hidden" name="visitId" value={visitId} />
      <Field label={labels.result} htmlFor={id("result")} errors={err("result")} required>
        <Select id={id("result")} name="result" defaultValue={state?.values?.result ?? "VACANT"}>
          {Object.entries(labels.results).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </Select>
      </Field>
      <Field label={labels.finalReading} htmlFor={id("finalReading")} errors={err("finalReading")} hint={lastReading ?? undefined}>
        <Input id={id("finalReading")} name="finalReading" inputMode="decimal" defaultValue={state?.values?.finalReading} invalid={!!err("finalReading")} />
      </Field>
      <Field label={labels.note} htmlFor={id("note")} errors={err("note")} required>
        <Textarea id={id("note")} name="note" rows={2} placeholder={labels.notePlaceholder} defaultValue={state?.values?.note} invalid={!!err("note")} />
      </Field>
      <Button type="submit" size="sm" disabled={pending} data-testid={`site-check-submit-${visitId}`}>{pending ? labels.submitting : labels.submit}</Button>
    </form>
  );
}
