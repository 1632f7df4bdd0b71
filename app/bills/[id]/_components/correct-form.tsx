"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { reverseAndRebillAction, type CorrectState } from "../../actions";

export function CorrectForm({ billId, labels }: {
  billId: number; labels: { total: string; peak: string; note: string; submit: string; submitting: string; hint: string };
}) {
  const [state, action, pending] = useActionState<CorrectState, FormData>(reverseAndRebillAction, null);
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  return (
    <form action={action} className="space-y-3" noValidate data-testid="correct-form">
      <p className="text-sm text-slate-600">{labels.hint}</p>
      {state && state.status !== "ok" && <Alert tone="error" data-testid="form-error">{state.message}</Alert>}
      {state?.status === "ok" && <Alert tone="success" data-testid="form-ok">{state.message}</Alert>}
      <input type="hidden" name="billId" value={billId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={labels.total} htmlFor="total" errors={err("total")}>
          <Input id="total" name="total" inputMode="decimal" invalid={!!err("total")} />
        </Field>
        <Field label={labels.peak} htmlFor="peak" errors={err("peak")}>
          <Input id="peak" name="peak" inputMode="decimal" invalid={!!err("peak")} />
        </Field>
      </div>
      <Field label={labels.note} htmlFor="note" errors={err("note")} required>
        <Textarea id="note" name="note" rows={2} invalid={!!err("note")} />
      </Field>
      <Button type="submit" variant="danger" disabled={pending} data-testid="correct-submit">{pending ? labels.submitting : labels.submit}</Button>
    </form>
  );
}
