"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formToObject, runAction } from "@/lib/actions";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { recordPayment } from "@/lib/data/payments";
import { requestReversal, requestWaiver } from "@/lib/data/approvals";
import { revealPersonal, saveContact } from "@/lib/data/customers";
import { paymentFormSchema, reversalRequestSchema, waiverRequestSchema } from "@/lib/validation/payment";
import { contactFormSchema, revealSchema } from "@/lib/validation/contact";

// The counter's server actions: each one is runAction (who → parse → may they → lib/data →
// typed result). Form values are echoed back on failure so a form keeps what was typed.

export type CounterFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

const keep = (fd: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, String(fd.get(n) ?? "")]));

/** Take a payment. The idempotency key comes from the form (made when the page rendered): a double
 *  click, a retry or a resubmitted form posts once and lands on the same receipt. */
export async function recordPaymentAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("payments.record", paymentFormSchema, formToObject(fd), (d, actor) => {
    const [kind, id] = d.target.split(":");
    return recordPayment({
      stationId: actor.stationId,
      target: kind === "account" ? { paymentAccountId: Number(id) } : { customerId: Number(id) },
      amount: d.amount, channel: d.channel, reference: d.reference, idempotencyKey: d.idempotencyKey, clerkId: actor.id,
    });
  });
  if (r.status !== "ok") return { ...r, values: keep(fd, ["amount", "channel", "reference", "target"]) };
  revalidatePath("/counter", "layout");
  redirect(`/counter/receipts/${r.data!.paymentId}`);
}

export async function requestReversalAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("payments.requestReversal", reversalRequestSchema, formToObject(fd), (d, actor) => requestReversal(actor, d.paymentId, d.reason));
  if (r.status !== "ok") return { ...r, values: keep(fd, ["reason"]) };
  revalidatePath("/counter", "layout");
  revalidatePath("/approvals");
  return { status: "ok", message: (await getT())("counter.reversal.requested") };
}

export async function requestWaiverAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("lateFees.requestWaiver", waiverRequestSchema, formToObject(fd), (d, actor) => requestWaiver(actor, d.billId, d.reason));
  if (r.status !== "ok") return { ...r, values: keep(fd, ["reason"]) };
  revalidatePath("/counter", "layout");
  revalidatePath("/approvals");
  return { status: "ok", message: (await getT())("counter.waiver.requested") };
}

export async function saveContactAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("customers.editContacts", contactFormSchema, formToObject(fd), (d, actor) =>
    saveContact(actor, d.customerId, { id: d.id, name: d.name, role: d.role, channel: d.channel, value: d.value, consent: d.consent, active: d.active, note: d.note }));
  if (r.status !== "ok") return { ...r, values: keep(fd, ["name", "role", "channel", "value", "note"]) };
  revalidatePath(`/counter/customers/${fd.get("customerId")}`);
  return { status: "ok", message: (await getT())("counter.contacts.saved") };
}

/** Reveals a full phone number (logged in the audit log), returned to the one who asked. */
export async function revealAction(input: { customerId: number; contactId: number | null }): Promise<ActionResult<string>> {
  return runAction("customers.revealPersonal", revealSchema, input, (d, actor) => revealPersonal(actor, d.customerId, d.contactId));
}
