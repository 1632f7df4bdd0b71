"use client";
import { useActionState, useRef } from "react";
import type { CounterFormState } from "@/app/counter/actions";
import { recordPaperDeliveryAction } from "@/app/outbox/actions";
import { FormStatus, fieldErrors } from "@/components/counter/form-status";

export type PrintQueueRow = { id: number; customer: string; channel: string; recipient: string; template: string; notBefore: string; content: string };
type Labels = {
  selectAll: string; printSelected: string; printAll: string; outcome: string; delivered: string; undeliverable: string;
  note: string; notePlaceholder: string; mark: string; none: string; col: Record<"pick" | "customer" | "channel" | "recipient" | "template" | "notBefore" | "content", string>;
};

/** The print queue: tick notices, print them (a new tab with the printable letters), then mark
 *  them delivered or undeliverable. The ticks are the form's own checkboxes, so the server action
 *  receives exactly what is ticked. */
export function PrintQueue({ rows, labels: L }: { rows: PrintQueueRow[]; labels: Labels }) {
  const [state, run, pending] = useActionState<CounterFormState, FormData>(recordPaperDeliveryAction, null);
  const form = useRef<HTMLFormElement>(null);
  const boxes = () => Array.from(form.current?.querySelectorAll<HTMLInputElement>('input[name="id"]') ?? []);
  const printTicked = () => {
    const ids = boxes().filter((b) => b.checked).map((b) => `id=${b.value}`);
    if (ids.length > 0) window.open(`/outbox/print?${ids.join("&")}`, "_blank");
  };
  const noteErr = fieldErrors(state, "note") ?? fieldErrors(state, "id");
  // emptied (e.g. by the last mark): the result line stays
  if (rows.length === 0) {
    return (
      <div className="space-y-3 px-5 py-4">
        <FormStatus state={state} testId="paper-status" />
        <p className="text-slate-500" data-testid="print-queue-empty">{L.none}</p>
      </div>
    );
  }
  return (
    <form ref={form} action={run} data-testid="print-queue-form">
      <div className="flex flex-wrap items-center gap-2 px-5 py-3">
        <button type="button" onClick={() => boxes().forEach((b) => { b.checked = true; })}
          className="min-h-11 rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-50">{L.selectAll}</button>
        <button type="button" onClick={printTicked} data-testid="print-selected"
          className="min-h-11 rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-50">{L.printSelected}</button>
        <a href="/outbox/print" target="_blank" rel="noopener" data-testid="print-all"
          className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 hover:bg-slate-50">{L.printAll}</a>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-left text-base" data-testid="print-queue">
          <thead className="bg-slate-50"><tr>
            {(["pick", "customer", "channel", "recipient", "template", "notBefore", "content"] as const).map((k) => (
              <th key={k} scope="col" className="px-4 py-3 text-sm font-semibold whitespace-nowrap text-slate-600">{L.col[k]}</th>
            ))}
          </tr></thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {rows.map((r) => (
              <tr key={r.id} data-testid={`paper-${r.id}`}>
                <td className="px-4 py-3"><input type="checkbox" name="id" value={r.id} aria-label={`${L.col.pick} ${r.customer}`} className="size-5" /></td>
                <td className="px-4 py-3">{r.customer}</td>
                <td className="px-4 py-3 whitespace-nowrap">{r.channel}</td>
                <td className="px-4 py-3">{r.recipient}</td>
                <td className="px-4 py-3 whitespace-nowrap">{r.template}</td>
                <td className="tabular px-4 py-3 text-sm whitespace-nowrap">{r.notBefore}</td>
                <td className="max-w-md px-4 py-3 text-sm text-slate-600">{r.content}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-end gap-3 border-t border-slate-100 px-5 py-4">
        <label className="text-sm font-medium text-slate-700">{L.outcome}
          <select name="outcome" defaultValue={state?.values?.outcome || "DELIVERED"} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3" data-testid="paper-outcome">
            <option value="DELIVERED">{L.delivered}</option>
            <option value="UNDELIVERABLE">{L.undeliverable}</option>
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">{L.note}
          <input name="note" defaultValue={state?.values?.note} placeholder={L.notePlaceholder} maxLength={200} data-testid="paper-note"
            aria-invalid={noteErr ? true : undefined} className="mt-1 block min-h-11 w-80 rounded-md border border-slate-300 px-3" />
        </label>
        <button type="submit" disabled={pending} data-testid="paper-mark"
          className="min-h-11 rounded-md bg-brand-600 px-5 font-medium text-white hover:bg-brand-700 disabled:opacity-60">{L.mark}</button>
        {noteErr && <span role="alert" className="text-sm text-red-700">{noteErr.join(" ")}</span>}
      </div>
      <div className="px-5 pb-4"><FormStatus state={state} testId="paper-status" /></div>
    </form>
  );
}
