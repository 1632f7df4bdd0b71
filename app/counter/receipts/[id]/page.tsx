import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Yuan } from "@/components/money/yuan";
import { ReceiptActions } from "@/components/counter/receipt-actions";
import { counterLabels, paymentsLabels } from "@/components/counter/labels";
import { formatInstant } from "@/components/ui/format";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { getReceipt } from "@/lib/data/payments";
import { stationInfo } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { yuanUppercase } from "@/lib/domain/payments/uppercase";
import { customerIdSchema } from "@/lib/validation/customer";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.receipt.title") };
}

/** The printable receipt (print CSS: only the receipt, black on white, on A5/80 mm alike). */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("customers.view");
  const id = customerIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const r = await getReceipt(actor.stationId, id.data);
  if (!r) notFound();
  const [L, P, locale, st] = [await counterLabels(), await paymentsLabels(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const R = L.receipt;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      {/* printed alone: the app header and buttons are .no-print; A5 portrait, small margins */}
      <style>{"@media print { @page { size: A5 portrait; margin: 10mm; } main { padding: 0 !important; max-width: none !important; } }"}</style>
      <ReceiptActions labels={R} />
      <article className="receipt rounded-lg border border-slate-300 bg-white p-8 shadow-sm print:border-0 print:p-0 print:shadow-none" data-testid="receipt">
        <header className="border-b-2 border-slate-800 pb-3 text-center">
          <h1 className="text-2xl font-bold tracking-widest">{R.title}</h1>
          <p className="mt-1 text-slate-700">{r.stationName}</p>
        </header>
        {r.status === "REVERSED" && <p className="mt-3 rounded border-2 border-red-700 p-2 text-center text-lg font-bold text-red-700">{R.reversed}</p>}
        <dl className="mt-4 grid grid-cols-[7rem_1fr] gap-y-1.5 text-base">
          <dt className="text-slate-600">{R.no}</dt><dd className="font-mono text-lg font-semibold" data-testid="receipt-no">{r.receiptNo}</dd>
          <dt className="text-slate-600">{R.postedAt}</dt><dd className="tabular">{formatInstant(r.postedAt, st.timezone, locale)}</dd>
          {r.paymentNo && <><dt className="text-slate-600">{R.paymentNo}</dt><dd className="font-mono">{r.paymentNo}</dd></>}
          <dt className="text-slate-600">{R.customer}</dt>
          <dd>{r.customers.map((c) => <div key={c.id}><span className="font-mono">{c.customerNo}</span> {c.name} <span className="text-slate-600">{c.address}</span></div>)}</dd>
          <dt className="text-slate-600">{R.channel}</dt><dd>{P.channels[r.channel as keyof typeof P.channels] ?? r.channel}{r.reference ? ` · ${R.reference} ${r.reference}` : ""}</dd>
          <dt className="text-slate-600">{R.clerk}</dt><dd>{r.clerk ?? "—"}</dd>
        </dl>
        {r.lines.length > 0 && (
          <table className="mt-4 w-full border-collapse text-base">
            <thead><tr className="border-b border-slate-400 text-left">
              {r.customers.length > 1 && <th className="py-1">{R.col.customerNo}</th>}
              <th className="py-1">{R.col.period}</th><th className="py-1 text-right">{R.col.principal}</th><th className="py-1 text-right">{R.col.fee}</th>
            </tr></thead>
            <tbody>
              {r.lines.map((l, i) => (
                <tr key={i} className="border-b border-slate-200">
                  {r.customers.length > 1 && <td className="py-1 font-mono">{l.customerNo}</td>}
                  <td className="py-1">{l.period}</td><td className="py-1 text-right"><Yuan fen={l.principal} /></td><td className="py-1 text-right"><Yuan fen={l.lateFee} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <dl className="mt-4 grid grid-cols-[10rem_1fr] gap-y-1.5 text-base">
          {r.fromPrepaid > 0 && <><dt className="text-slate-600">{R.fromPrepaid}</dt><dd className="text-right"><Yuan fen={r.fromPrepaid} /></dd></>}
          {r.toPrepaid > 0 && <><dt className="text-slate-600">{R.toPrepaid}</dt><dd className="text-right"><Yuan fen={r.toPrepaid} /></dd></>}
          <dt className="text-lg font-semibold">{R.amount}</dt><dd className="text-right text-2xl font-bold"><Yuan fen={r.amount} testId="receipt-amount" /> 元</dd>
          <dt className="text-slate-600">{R.amountUpper}</dt><dd className="text-right font-semibold" data-testid="receipt-amount-upper">{yuanUppercase(r.amount)}</dd>
          {r.customers.map((c) => (
            <div key={c.id} className="contents">
              <dt className="text-slate-600">{R.balanceAfter}{r.customers.length > 1 ? ` ${c.customerNo}` : ""}</dt>
              <dd className="text-right"><Yuan fen={c.balance} plainNegative testId="receipt-balance" /></dd>
            </div>
          ))}
        </dl>
        <p className="mt-6 border-t border-dashed border-slate-400 pt-3 text-sm text-slate-600">{R.footer}</p>
      </article>
    </div>
  );
}
