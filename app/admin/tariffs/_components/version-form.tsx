"use client";
import { useActionState, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import {
  addTariffVersionAction, createTariffAction, updateTariffVersionAction, type TariffFormState,
} from "../actions";

export type VersionFormLabels = Record<string, string> & { upTo: string; price: string };

const MAX_TIERS = 5;

/**
 * One form for three uses: a new version of a tariff (mode "add", prefilled from its latest
 * version), an edit of a not-yet-used version ("edit"), or a new tariff with its first version
 * ("create"). Field names are those of lib/validation/tariff.ts.
 */
type FormProps = {
  mode: "add" | "edit" | "create";
  tariffId?: number;
  versionId?: number;
  initial: Record<string, string>;
  labels: VersionFormLabels;
  categories?: { value: string; label: string }[];
  idPrefix: string;
};

export function VersionForm(props: FormProps) {
  const action = props.mode === "add" ? addTariffVersionAction : props.mode === "edit" ? updateTariffVersionAction : createTariffAction;
  const [state, formAction, pending] = useActionState<TariffFormState, FormData>(action, null);
  // React resets a form after its action: remount it with what was submitted (or, after a
  // success, with the initial values) so fields and check boxes always show what will be sent
  const key = useMemo(() => `${Date.now()}-${Math.random()}`, [state]); // a new form per action result
  return <VersionFormBody key={key} {...props} state={state} formAction={formAction} pending={pending} />;
}

function VersionFormBody({ mode, tariffId, versionId, initial, labels, categories, idPrefix, state, formAction, pending }: FormProps & {
  state: TariffFormState; formAction: (fd: FormData) => void; pending: boolean;
}) {
  const v = state?.status === "ok" ? initial : { ...initial, ...(state?.values ?? {}) };
  const [tou, setTou] = useState(!!v.touEnabled);
  const [twoPart, setTwoPart] = useState(!!v.twoPartEnabled);
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  const id = (n: string) => `${idPrefix}-${n}`;
  const text = (name: string, label: string, extra: { hint?: string; className?: string; required?: boolean } = {}) => (
    <Field label={label} htmlFor={id(name)} errors={err(name)} hint={extra.hint} className={extra.className} required={extra.required}>
      <Input id={id(name)} name={name} defaultValue={v[name] ?? ""} invalid={!!err(name)} aria-describedby={`${id(name)}-error`} inputMode={name.includes("Price") || name.startsWith("tou") || name.endsWith("Price") ? "decimal" : undefined} />
    </Field>
  );
  return (
    <form action={formAction} className="space-y-5" noValidate data-testid={`tariff-form-${idPrefix}`}>
      {state && state.status !== "ok" && <Alert tone="error" data-testid="form-error">{state.message}</Alert>}
      {state?.status === "ok" && state.message && <Alert tone="success" data-testid="form-ok">{state.message}</Alert>}
      {tariffId !== undefined && <input type="hidden" name="tariffId" value={tariffId} />}
      {versionId !== undefined && <input type="hidden" name="versionId" value={versionId} />}
      {mode === "create" && (
        <div className="grid gap-4 sm:grid-cols-3">
          {text("code", labels.code, { hint: labels.codeHint, required: true })}
          {text("name", labels.name, { required: true })}
          <Field label={labels.category} htmlFor={id("category")} errors={err("category")} required>
            <Select id={id("category")} name="category" defaultValue={v.category ?? "RESIDENTIAL"}>
              {categories?.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
            </Select>
          </Field>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={labels.effectiveFrom} htmlFor={id("effectiveFrom")} errors={err("effectiveFrom")} required>
          <Input id={id("effectiveFrom")} name="effectiveFrom" type="date" defaultValue={v.effectiveFrom ?? ""} invalid={!!err("effectiveFrom")} />
        </Field>
        <Field label={labels.tierBasis} htmlFor={id("tierBasis")} errors={err("tierBasis")} required>
          <Select id={id("tierBasis")} name="tierBasis" defaultValue={v.tierBasis ?? "monthly"}>
            <option value="monthly">{labels.monthly}</option>
            <option value="annual">{labels.annual}</option>
          </Select>
        </Field>
        {text("largeHouseholdExtraKwh", labels.largeHouseholdExtraKwh)}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{labels.tiers}</legend>
        {Array.from({ length: MAX_TIERS }, (_, i) => (
          <div key={i} className="grid gap-3 sm:grid-cols-2">
            {text(`tier${i}Upto`, labels.upTo.replace("{n}", String(i + 1)))}
            {text(`tier${i}Price`, labels.price.replace("{n}", String(i + 1)))}
          </div>
        ))}
      </fieldset>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" name="touEnabled" defaultChecked={tou} onChange={(e) => setTou(e.target.checked)} className="size-5" />
          {labels.touEnabled}
        </label>
        {tou && (
          <div className="grid gap-3 sm:grid-cols-2">
            {text("touPeak", labels.touPeak)}
            {text("touValley", labels.touValley)}
          </div>
        )}
      </fieldset>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" name="twoPartEnabled" defaultChecked={twoPart} onChange={(e) => setTwoPart(e.target.checked)} className="size-5" />
          {labels.twoPartEnabled}
        </label>
        {twoPart && (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={labels.twoPartBasis} htmlFor={id("twoPartBasis")} errors={err("twoPartBasis")}>
              <Select id={id("twoPartBasis")} name="twoPartBasis" defaultValue={v.twoPartBasis ?? "capacity"}>
                <option value="capacity">{labels.basisCapacity}</option>
                <option value="demand">{labels.basisDemand}</option>
              </Select>
            </Field>
            <Field label={labels.powerFactorStandard} htmlFor={id("powerFactorStandard")} errors={err("powerFactorStandard")}>
              <Select id={id("powerFactorStandard")} name="powerFactorStandard" defaultValue={v.powerFactorStandard ?? "0.90"}>
                <option value="0.90">0.90</option>
                <option value="0.85">0.85</option>
                <option value="0.80">0.80</option>
              </Select>
            </Field>
            {text("capacityPrice", labels.capacityPrice)}
            {text("demandPrice", labels.demandPrice)}
          </div>
        )}
      </fieldset>
      {text("source", labels.source)}
      <Button type="submit" disabled={pending} data-testid={`tariff-submit-${idPrefix}`}>
        {pending ? labels.saving : labels.submit}
      </Button>
    </form>
  );
}
