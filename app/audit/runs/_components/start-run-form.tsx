"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { startRunAction, type RunFormState } from "../actions";

export function StartRunForm({ defaultPeriod, routes, labels }: {
  defaultPeriod: string;
  routes: { id: number; label: string }[];
  labels: { period: string; routes: string; routesHint: string; submit: string; submitting: string };
}) {
  const [state, action, pending] = useActionState<RunFormState, FormData>(startRunAction, null);
  const err = (n: string) => (state?.status === "invalid" ? state.fieldErrors[n] : undefined);
  return (
    <form action={action} className="space-y-4" noValidate data-testid="start-run-form">
      {state && state.status !== "ok" && <Alert tone="error" data-testid="form-error">{state.message}</Alert>}
      {state?.status === "ok" && <Alert tone="success" data-testid="form-ok">{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={labels.period} htmlFor="period" errors={err("period")} required>
          <Input id="period" name="period" type="month" defaultValue={state?.values?.period || defaultPeriod} invalid={!!err("period")} />
        </Field>
        <Field label={labels.routes} htmlFor="routeIds" hint={labels.routesHint} errors={err("routeIds")}>
          <Select id="routeIds" name="routeIds" multiple className="min-h-28">
            {routes.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
          </Select>
        </Field>
      </div>
      <Button type="submit" disabled={pending} data-testid="start-run">{pending ? labels.submitting : labels.submit}</Button>
    </form>
  );
}
