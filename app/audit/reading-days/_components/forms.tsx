"use client";
// Small forms of the reading-days page: request a change, decide one, record confirmations.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { makeClientT, type Messages } from "@/components/reader/messages";
import { decideDayChangeAction, recordConfirmationsAction, requestDayChangeAction, type FormState } from "../actions";

function Status({ state, ok }: { state: FormState; ok: string }) {
  if (!state) return null;
  if (state.status === "ok") return <Alert tone="success">{ok}</Alert>;
  return <Alert tone="error">{state.message}</Alert>;
}

const errs = (s: FormState, k: string) => (s && s.status === "invalid" ? s.fieldErrors[k] : undefined);

export function RequestForm({ routes, messages, nextPeriod }: { routes: { id: number; label: string }[]; messages: Messages; nextPeriod: string }) {
  const t = makeClientT(messages);
  const [state, action, pending] = useActionState<FormState, FormData>(requestDayChangeAction, null);
  const v = (state?.values ?? {}) as Record<string, string>;
  return (
    <form action={action} className="space-y-4" noValidate data-testid="day-change-request">
      <Status state={state} ok={t("days.requestedOk")} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label={t("days.route")} htmlFor="routeId" errors={errs(state, "routeId")} required>
          <Select id="routeId" name="routeId" defaultValue={v.routeId}>
            {routes.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
          </Select>
        </Field>
        <Field label={t("days.newDay")} htmlFor="newDay" errors={errs(state, "newDay")} required>
          <Input id="newDay" name="newDay" inputMode="numeric" defaultValue={v.newDay} />
        </Field>
        <Field label={t("days.fromPeriod")} htmlFor="fromPeriod" errors={errs(state, "fromPeriod")} required>
          <Input id="fromPeriod" name="fromPeriod" type="month" defaultValue={v.fromPeriod ?? nextPeriod} />
        </Field>
      </div>
      <Field label={t("days.reasonLabel")} htmlFor="reason" errors={errs(state, "reason")} required>
        <Textarea id="reason" name="reason" rows={2} defaultValue={v.reason} />
      </Field>
      <Button type="submit" disabled={pending}>{t("days.submit")}</Button>
    </form>
  );
}

export function DecideForm({ changeId, messages }: { changeId: number; messages: Messages }) {
  const t = makeClientT(messages);
  const [state, action, pending] = useActionState<FormState, FormData>(decideDayChangeAction, null);
  const ok = state?.status === "ok" && state.data
    ? (state.data as { status: string; notices: number }).status === "APPROVED" ? t("days.approvedOk", { n: (state.data as { notices: number }).notices }) : t("days.rejectedOk")
    : "";
  return (
    <form action={action} className="mt-2 flex flex-wrap items-center gap-2" data-testid={`decide-${changeId}`}>
      <input type="hidden" name="changeId" value={changeId} />
      <Input name="note" placeholder={t("days.note")} className="max-w-64" aria-label={t("days.note")} />
      <Button type="submit" name="decision" value="approve" size="sm" disabled={pending}>{t("days.approve")}</Button>
      <Button type="submit" name="decision" value="reject" size="sm" variant="secondary" disabled={pending}>{t("days.reject")}</Button>
      <div className="basis-full"><Status state={state} ok={ok} /></div>
    </form>
  );
}

export function ConfirmForm({ changeId, customers, messages }: {
  changeId: number; messages: Messages;
  customers: { id: number; customerNo: string; name: string; channel: string | null; confirmedAt: string | null }[];
}) {
  const t = makeClientT(messages);
  const [state, action, pending] = useActionState<FormState, FormData>(recordConfirmationsAction, null);
  return (
    <form action={action} className="space-y-4" data-testid="confirm-form">
      <input type="hidden" name="changeId" value={changeId} />
      <Status state={state} ok={t("days.confirmedOk", { n: (state?.status === "ok" && (state.data as { recorded: number })?.recorded) || 0 })} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label={t("days.confirmChannel")} htmlFor="channel">
          <Select id="channel" name="channel" defaultValue="PHONE">
            {(["PHONE", "SMS", "ON_SITE", "WECHAT"] as const).map((c) => <option key={c} value={c}>{t(`days.channel${c}`)}</option>)}
          </Select>
        </Field>
        <Button type="submit" disabled={pending}>{t("days.confirmSelected")}</Button>
      </div>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {customers.map((c) => (
          <li key={c.id} className="flex items-center gap-3 px-4 py-2">
            <input type="checkbox" name="customerIds" value={c.id} disabled={!!c.confirmedAt} className="h-5 w-5" aria-label={c.name} />
            <span className="tabular w-40">{c.customerNo}</span>
            <span className="grow">{c.name}</span>
            <span className="text-sm text-slate-500">{c.channel ?? ""}</span>
            <span className={c.confirmedAt ? "text-sm text-emerald-700" : "text-sm text-amber-700"}>{c.confirmedAt ? c.confirmedAt.slice(0, 10) : t("days.notConfirmed")}</span>
          </li>
        ))}
      </ul>
    </form>
  );
}
