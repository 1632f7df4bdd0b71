"use client";
import { useActionState, useState } from "react";
import { revealAction, saveContactAction, type CounterFormState } from "@/app/counter/actions";
import type { ContactView } from "@/lib/data/customers";
import { FormStatus, fieldErrors } from "./form-status";

export type ContactLabels = {
  title: string; none: string; add: string; edit: string; save: string; cancel: string; reveal: string; revealed: string;
  name: string; role: string; channel: string; value: string; consent: string; active: string; inactive: string; note: string;
  roles: Record<string, string>; channels: Record<string, string>;
};

const EDITABLE_CHANNELS = ["SMS", "PHONE", "LANDLINE", "WECHAT", "EMAIL", "POST"];

/** Contacts: numbers masked in the list; showing one in full is a logged action; editing needs
 *  customers.editContacts (canEdit), revealing customers.revealPersonal (canReveal). */
export function ContactsPanel({ customerId, contacts, labels, canEdit, canReveal }: {
  customerId: number; contacts: ContactView[]; labels: ContactLabels; canEdit: boolean; canReveal: boolean;
}) {
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [shown, setShown] = useState<Record<number, string>>({});
  return (
    <div className="space-y-3">
      {contacts.length === 0 && <p className="text-amber-800">{labels.none}</p>}
      <ul className="divide-y divide-slate-100">
        {contacts.map((c) => (
          <li key={c.id} className="py-2" data-testid="contact-row">
            {editing === c.id ? (
              <ContactForm customerId={customerId} contact={c} labels={labels} onDone={() => setEditing(null)} />
            ) : (
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-medium">{c.name}</span>
                <span className="text-sm text-slate-500">{labels.roles[c.role] ?? c.role} · {labels.channels[c.channel] ?? c.channel}</span>
                <span className="font-mono" data-testid="contact-value">{shown[c.id] ?? c.valueMasked}</span>
                {!c.active && <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">{labels.inactive}</span>}
                {!c.consent && <span className="rounded bg-amber-50 px-1.5 text-xs text-amber-800">✕ {labels.consent}</span>}
                <span className="ml-auto flex gap-1">
                  {canReveal && shown[c.id] === undefined && (
                    <button type="button" className="min-h-9 rounded px-2 text-sm text-brand-700 hover:bg-brand-50" onClick={async () => {
                      const r = await revealAction({ customerId, contactId: c.id });
                      if (r.status === "ok") setShown((s) => ({ ...s, [c.id]: r.data ?? "" }));
                    }}>{labels.reveal}</button>
                  )}
                  {canEdit && <button type="button" className="min-h-9 rounded px-2 text-sm text-brand-700 hover:bg-brand-50" onClick={() => setEditing(c.id)}>{labels.edit}</button>}
                </span>
              </div>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (editing === "new"
        ? <ContactForm customerId={customerId} contact={null} labels={labels} onDone={() => setEditing(null)} />
        : <button type="button" className="min-h-9 rounded border border-slate-300 px-3 text-sm hover:bg-slate-50" data-testid="contact-add" onClick={() => setEditing("new")}>{labels.add}</button>)}
    </div>
  );
}

function ContactForm({ customerId, contact, labels, onDone }: { customerId: number; contact: ContactView | null; labels: ContactLabels; onDone: () => void }) {
  const [state, action, pending] = useActionState<CounterFormState, FormData>(async (p, fd) => {
    const r = await saveContactAction(p, fd);
    if (r?.status === "ok") onDone();
    return r;
  }, null);
  const v = state?.values;
  const err = (n: string) => fieldErrors(state, n);
  const input = "min-h-9 w-full rounded border border-slate-300 px-2";
  return (
    <form action={action} className="grid gap-2 rounded-md bg-slate-50 p-3 sm:grid-cols-2" noValidate data-testid="contact-form">
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="id" value={contact?.id ?? ""} />
      <div className="sm:col-span-2"><FormStatus state={state} /></div>
      <label className="text-sm">{labels.name}<input name="name" defaultValue={v?.name ?? contact?.name ?? ""} className={input} autoFocus /></label>
      <label className="text-sm">{labels.role}
        <select name="role" defaultValue={v?.role ?? contact?.role ?? "SELF"} className={input}>
          {Object.entries(labels.roles).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label className="text-sm">{labels.channel}
        <select name="channel" defaultValue={v?.channel ?? contact?.channel ?? "SMS"} className={input}>
          {EDITABLE_CHANNELS.map((k) => <option key={k} value={k}>{labels.channels[k]}</option>)}
        </select>
      </label>
      <label className="text-sm">{labels.value}
        {/* an existing value is not sent to the browser: retype it to change it */}
        <input name="value" defaultValue={v?.value ?? ""} placeholder={contact?.valueMasked} className={input} data-testid="contact-value-input" />
        {err("value") && <span role="alert" className="block text-red-700">{err("value")!.join(" ")}</span>}
      </label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="consent" defaultChecked={contact?.consent ?? true} />{labels.consent}</label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="active" defaultChecked={contact?.active ?? true} />{labels.active}</label>
      <label className="text-sm sm:col-span-2">{labels.note}<input name="note" defaultValue={v?.note ?? contact?.note ?? ""} className={input} /></label>
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" disabled={pending} className="min-h-9 rounded bg-brand-600 px-4 text-white disabled:opacity-60">{labels.save}</button>
        <button type="button" onClick={onDone} className="min-h-9 rounded px-3 hover:bg-slate-100">{labels.cancel}</button>
      </div>
    </form>
  );
}
