"use client";
import { useActionState } from "react";
import { importBankAction, type BankImportState } from "@/app/counter/bank/actions";

export type BankImportLabels = { bank: string; file: string; import: string; importing: string; report: string; rows: string; errors: string; col: { line: string; reason: string } };

const fill = (s: string, p: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in p ? String(p[k]) : m));

export function BankImportForm({ labels, debitDateLabel }: { labels: BankImportLabels; debitDateLabel: string }) {
  const [state, run, pending] = useActionState<BankImportState, FormData>(importBankAction, null);
  const report = state?.report;
  return (
    <div className="space-y-4">
      <form action={run} className="flex flex-wrap items-end gap-3" data-testid="bank-import-form">
        <label className="text-sm">{labels.bank}<input name="bank" defaultValue="ICBC" required className="block min-h-11 w-32 rounded-md border border-slate-300 px-3 uppercase" /></label>
        <label className="text-sm">{debitDateLabel}<input name="debitDate" type="date" className="block min-h-11 rounded-md border border-slate-300 px-3" /></label>
        <label className="text-sm">{labels.file}<input name="file" type="file" accept=".csv,text/csv" required className="block min-h-11 py-2" data-testid="bank-file" /></label>
        <button type="submit" disabled={pending} className="min-h-11 rounded-md bg-brand-600 px-5 font-medium text-white disabled:opacity-60" data-testid="bank-import">{pending ? labels.importing : labels.import}</button>
      </form>
      {state && state.status !== "ok" && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800" data-testid="bank-error">{state.message}</p>}
      {report && state?.status === "ok" && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-900" data-testid="bank-report">
          {fill(labels.rows, { rows: report.rows, posted: report.posted, amount: report.newTotal, skipped: report.skipped, failed: report.failed, insufficient: report.insufficient })}
        </p>
      )}
      {report && report.errors.length > 0 && (
        <div>
          <h3 className="font-semibold text-red-800">{labels.errors}</h3>
          <table className="mt-1 text-sm" data-testid="bank-errors">
            <thead><tr><th className="pr-4 text-left">{labels.col.line}</th><th className="text-left">{labels.col.reason}</th></tr></thead>
            <tbody>{report.errors.map((e, i) => <tr key={i}><td className="pr-4 tabular">{e.line}</td><td>{e.reason}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}
