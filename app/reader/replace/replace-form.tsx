"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { makeClientT, type Messages } from "@/components/reader/messages";
import { replaceMeterAction, type ReplaceState } from "./actions";

export function ReplaceForm({ customerNo, oldMeterNo, today, digits, messages }: { customerNo: string; oldMeterNo: string; today: string; digits: number; messages: Messages }) {
  const t = makeClientT(messages);
  const [state, action, pending] = useActionState<ReplaceState, FormData>(replaceMeterAction, null);
  const v = (state?.values ?? {}) as Record<string, string>;
  const err = (k: string) => (state?.status === "invalid" ? state.fieldErrors[k] : undefined);
  const d = state?.status === "ok" ? state.data : undefined;
  return (
    <form action={action} className="space-y-4" noValidate data-testid="replace-form">
      {d && <Alert tone="success">{t("replace.done", { old: d.oldMeterNo, final: v.finalReading, new: d.newMeterNo, start: v.startReading, mult: v.multiplier })} {t("replace.consumption", { kwh: d.oldMeterKwh })}</Alert>}
      {state && state.status !== "ok" && <Alert tone="error">{state.message}</Alert>}
      <input type="hidden" name="customerNo" value={customerNo} />
      <input type="hidden" name="oldMeterNo" value={oldMeterNo} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("replace.date")} htmlFor="replacedOn" errors={err("replacedOn")} required>
          <Input id="replacedOn" name="replacedOn" type="date" max={today} defaultValue={v.replacedOn ?? today} />
        </Field>
        <Field label={t("replace.finalReading")} htmlFor="finalReading" errors={err("finalReading")} required>
          <Input id="finalReading" name="finalReading" inputMode="decimal" defaultValue={v.finalReading} className="text-xl tabular" />
        </Field>
        <Field label={t("replace.newMeterNo")} htmlFor="newMeterNo" errors={err("newMeterNo")} required>
          <Input id="newMeterNo" name="newMeterNo" autoCapitalize="characters" defaultValue={v.newMeterNo} />
        </Field>
        <Field label={t("replace.startReading")} htmlFor="startReading" errors={err("startReading")} required>
          <Input id="startReading" name="startReading" inputMode="decimal" defaultValue={v.startReading ?? "0"} className="text-xl tabular" />
        </Field>
        <Field label={t("replace.multiplier")} htmlFor="multiplier" errors={err("multiplier")} required>
          <Input id="multiplier" name="multiplier" inputMode="numeric" defaultValue={v.multiplier ?? "1"} />
        </Field>
        <Field label={t("replace.digits")} htmlFor="digits" errors={err("digits")} required>
          <Input id="digits" name="digits" inputMode="numeric" defaultValue={v.digits ?? String(digits)} />
        </Field>
      </div>
      <Field label={t("replace.reason")} htmlFor="reason" errors={err("reason")} required>
        <Textarea id="reason" name="reason" rows={2} defaultValue={v.reason} />
      </Field>
      <Button type="submit" size="lg" disabled={pending}>{t("replace.submit")}</Button>
    </form>
  );
}
