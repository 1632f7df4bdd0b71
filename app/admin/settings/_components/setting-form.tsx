"use client";
import { useActionState, useMemo } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { FieldKind } from "@/lib/validation/setting";
import { scheduleSettingAction, type SettingFormState } from "../actions";

export type SettingFormField = {
  key: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  options?: { value: string; label: string }[];
};

type Props = {
  group: string;
  idPrefix: string;
  fields: SettingFormField[];
  initial: Record<string, string>; // the group's values as strings, plus effectiveFrom
  minDate: string; // the station's today: earlier dates are refused by the server anyway
  fixedDate?: boolean; // editing a scheduled version: its date is what identifies it
  labels: { effectiveFrom: string; effectiveFromHint: string; submit: string; saving: string };
};

const inputMode = (k: FieldKind) => (k === "rate" || k === "money" ? "decimal" : k === "int" || k === "time" ? "numeric" : undefined);

/**
 * A new version of one settings group (prefilled with the values in force), or the replacement of
 * a scheduled one (its date fixed). Field names are the group's keys (lib/validation/setting.ts).
 */
export function SettingForm(props: Props) {
  const [state, formAction, pending] = useActionState<SettingFormState, FormData>(scheduleSettingAction, null);
  // React resets a form after its action: remount with what was submitted (or, after a success,
  // the initial values) so the fields show what will be sent
  const key = useMemo(() => `${Date.now()}-${Math.random()}`, [state]);
  return <SettingFormBody key={key} {...props} state={state} formAction={formAction} pending={pending} />;
}

function SettingFormBody({ group, idPrefix, fields, initial, minDate, fixedDate, labels, state, formAction, pending }: Props & {
  state: SettingFormState; formAction: (fd: FormData) => void; pending: boolean;
}) {
  const v = state?.status === "ok" ? initial : { ...initial, ...(state?.values ?? {}) };
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  const id = (n: string) => `${idPrefix}-${n}`;
  return (
    <form action={formAction} className="space-y-5" noValidate data-testid={`setting-form-${idPrefix}`}>
      {state && state.status !== "ok" && <Alert tone="error" data-testid="form-error">{state.message}</Alert>}
      {state?.status === "ok" && state.message && <Alert tone="success" data-testid="form-ok">{state.message}</Alert>}
      <input type="hidden" name="group" value={group} />
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map((f) => (
          <Field key={f.key} label={f.label} htmlFor={id(f.key)} hint={f.hint} errors={err(f.key)}>
            {f.kind === "choice" ? (
              <Select id={id(f.key)} name={f.key} defaultValue={v[f.key] ?? ""} invalid={!!err(f.key)} aria-describedby={`${id(f.key)}-error`}>
                {f.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </Select>
            ) : (
              <Input
                id={id(f.key)}
                name={f.key}
                defaultValue={v[f.key] ?? ""}
                inputMode={inputMode(f.kind)}
                placeholder={f.kind === "time" ? "HH:MM" : undefined}
                invalid={!!err(f.key)}
                aria-describedby={`${id(f.key)}-error`}
                autoComplete="off"
              />
            )}
          </Field>
        ))}
      </div>
      <div className="grid gap-4 border-t border-slate-100 pt-4 sm:grid-cols-2">
        <Field label={labels.effectiveFrom} htmlFor={id("effectiveFrom")} hint={labels.effectiveFromHint} errors={err("effectiveFrom")} required>
          <Input
            id={id("effectiveFrom")}
            name="effectiveFrom"
            type="date"
            min={minDate}
            defaultValue={v.effectiveFrom ?? ""}
            readOnly={fixedDate}
            invalid={!!err("effectiveFrom")}
            aria-describedby={`${id("effectiveFrom")}-error`}
          />
        </Field>
      </div>
      <Button type="submit" disabled={pending} data-testid={`setting-submit-${idPrefix}`}>
        {pending ? labels.saving : labels.submit}
      </Button>
    </form>
  );
}
