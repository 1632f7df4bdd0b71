"use client";
import { useActionState, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { acceptManyAction, clearExceptionAction, type ClearState } from "../actions";

export type ClearLabels = {
  resolution: string; note: string; notePlaceholder: string; total: string; peak: string; usageType: string; tariff: string;
  submit: string; submitting: string; resolutions: Record<string, string>; usageTypes: Record<string, string>;
};

type Props = {
  exceptionId: number; suggested: string; labels: ClearLabels; tariffs: { id: number; label: string }[];
  usageType: string; tariffId: number;
};

/** One exception's clearing form: the resolution decides which fields are asked for. */
export function ClearForm(props: Props) {
  const [state, action, pending] = useActionState<ClearState, FormData>(clearExceptionAction, null);
  const key = useMemo(() => `${Date.now()}-${Math.random()}`, [state]); // a new form per action result
  if (state?.status === "ok") return <Alert tone="success" data-testid="clear-ok">{state.message}</Alert>;
  // React resets a form after its action: remount it with what was submitted, so the chosen
  // resolution and the typed values survive a refused submit
  return <ClearFormBody key={key} {...props} state={state} action={action} pending={pending} />;
}

function ClearFormBody({ exceptionId, suggested, labels, tariffs, usageType, tariffId, state, action, pending }: Props & {
  state: ClearState; action: (fd: FormData) => void; pending: boolean;
}) {
  const [resolution, setResolution] = useState(state?.values?.resolution ?? suggested);
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  const id = (n: string) => `x${exceptionId}-${n}`;
  const failed = state ?? null;
  return (
    <form action={action} className="space-y-3" noValidate data-testid={`clear-form-${exceptionId}`}>
      {failed && <Alert tone="error" data-testid="form-error">{failed.message}</Alert>}
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <Field label={labels.resolution} htmlFor={id("resolution")} errors={err("resolution")}>
        <Select id={id("resolution")} name="resolution" value={resolution} onChange={(e) => setResolution(e.target.value)}>
          {Object.entries(labels.resolutions).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </Select>
      </Field>
      {resolution === "CORRECT_READING" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={labels.total} htmlFor={id("total")} errors={err("total")} required>
            <Input id={id("total")} name="total" inputMode="decimal" defaultValue={state?.values?.total} invalid={!!err("total")} />
          </Field>
          <Field label={labels.peak} htmlFor={id("peak")} errors={err("peak")}>
            <Input id={id("peak")} name="peak" inputMode="decimal" defaultValue={state?.values?.peak} />
          </Field>
        </div>
      )}
      {resolution === "CHANGE_TARIFF" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={labels.usageType} htmlFor={id("usageType")} errors={err("usageType")}>
            <Select id={id("usageType")} name="usageType" defaultValue={state?.values?.usageType ?? (usageType === "RESIDENTIAL" ? "COMMERCIAL" : usageType)}>
              {Object.entries(labels.usageTypes).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </Select>
          </Field>
          <Field label={labels.tariff} htmlFor={id("tariffId")} errors={err("tariffId")}>
            <Select id={id("tariffId")} name="tariffId" defaultValue={state?.values?.tariffId ?? String(tariffs.find((t) => t.id !== tariffId)?.id ?? tariffId)}>
              {tariffs.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
            </Select>
          </Field>
        </div>
      )}
      <Field label={labels.note} htmlFor={id("note")} errors={err("note")} required>
        <Textarea id={id("note")} name="note" rows={2} placeholder={labels.notePlaceholder} defaultValue={state?.values?.note} invalid={!!err("note")} />
      </Field>
      <Button type="submit" size="sm" disabled={pending} data-testid={`clear-submit-${exceptionId}`}>{pending ? labels.submitting : labels.submit}</Button>
    </form>
  );
}

export function AcceptAllForm({ ids, labels }: { ids: number[]; labels: { acceptAll: string; note: string; notePlaceholder: string; submitting: string } }) {
  const [state, action, pending] = useActionState<ClearState, FormData>(acceptManyAction, null);
  const err = state?.status === "invalid" ? state.fieldErrors.note : undefined;
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate data-testid="accept-all-form">
      {ids.map((i) => <input key={i} type="hidden" name="exceptionIds" value={i} />)}
      <Field label={labels.note} htmlFor="accept-all-note" errors={err} className="min-w-72 flex-1">
        <Input id="accept-all-note" name="note" placeholder={labels.notePlaceholder} invalid={!!err} />
      </Field>
      <Button type="submit" variant="secondary" disabled={pending || ids.length === 0} data-testid="accept-all">{pending ? labels.submitting : labels.acceptAll}</Button>
      {state && state.status !== "invalid" && <Alert tone={state.status === "ok" ? "success" : "error"} className="w-full">{state.message}</Alert>}
    </form>
  );
}
