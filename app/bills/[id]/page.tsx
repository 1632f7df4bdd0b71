import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { getBill, type BillLineDto } from "@/lib/data/bills";
import { formatYuan, parseYuan } from "@/lib/domain/money";
import type { T } from "@/lib/i18n/core";
import { getT } from "@/lib/i18n/server";
import { CorrectForm } from "./_components/correct-form";
import { PrintButton } from "./_components/print-button";
import { UsageChart } from "./_components/usage-chart";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("billing.bill.title") };
}

function lineLabel(l: BillLineDto, t: T): string {
  const tier = /^tier-(\d+)$/.exec(l.label);
  if (tier) return t("billing.bill.labels.tier", { n: tier[1] });
  const inc = /^tier-(\d+)-increment$/.exec(l.label);
  if (inc) return t("billing.bill.labels.increment", { n: inc[1] });
  switch (l.label) {
    case "peak": return t("billing.bill.labels.peak");
    case "valley": return t("billing.bill.labels.valley");
    case "basic-capacity": return t("billing.bill.labels.basicCapacity");
    case "basic-demand": return t("billing.bill.labels.basicDemand");
    case "power-factor": return t("billing.bill.labels.powerFactor", { pf: l.powerFactor ?? "" });
    default: return l.label;
  }
}

function quantity(l: BillLineDto): string {
  if (l.label === "power-factor") return "";
  return l.quantity ? `${l.quantity} ${l.unit ?? ""}` : `${l.kwh} kWh`;
}

export default async function BillPage({ params, searchParams }: {
  params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requirePagePermission("bills.view");
  const t = await getT();
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const bill = await getBill(actor, id);
  if (!bill) notFound();
  const sp = await searchParams;
  const row = "flex justify-between gap-4 border-b border-slate-100 py-1";
  const due = formatYuan(bill.status === "REVERSED" ? 0 : parseYuan(bill.amount) - parseYuan(bill.paidAmount));
  return (
    <article className="bill mx-auto max-w-3xl space-y-5 bg-white p-6 shadow-sm print:max-w-none print:p-0 print:shadow-none" data-testid="bill">
      {sp.rebilled && <Alert tone="success" className="no-print">{t("billing.bill.corrected", { version: bill.version, amount: bill.amount })}</Alert>}
      <header className="flex items-start justify-between border-b-2 border-slate-800 pb-3">
        <div>
          <h1 className="text-2xl font-bold tracking-wide">{t("billing.bill.title")}</h1>
          <p className="text-slate-600">{bill.station.name}</p>
        </div>
        <div className="text-right text-sm">
          <div>{t("billing.bill.period")}：<span className="font-mono font-semibold">{bill.period}</span></div>
          <div>{t("billing.bill.status")}：{t(`billing.bill.statuses.${bill.status}`)}{bill.version > 1 ? `（${t("billing.bill.version", { n: bill.version })}）` : ""}</div>
          {bill.replacedBy && <div className="text-red-700">{t("billing.bill.reversedBy", { n: bill.replacedBy.version })}</div>}
          <PrintButton label={t("billing.bill.print")} />
        </div>
      </header>

      <section className="grid gap-x-8 sm:grid-cols-2 print:grid-cols-2">
        <div className={row}><span className="text-slate-500">{t("billing.bill.customerNo")}</span><span className="font-mono" data-testid="bill-customer-no">{bill.customer.customerNo}</span></div>
        <div className={row}><span className="text-slate-500">{t("billing.bill.customer")}</span><span>{bill.customer.name}</span></div>
        <div className={`${row} sm:col-span-2 print:col-span-2`}><span className="text-slate-500">{t("billing.bill.address")}</span><span>{bill.customer.address}</span></div>
        <div className={row}><span className="text-slate-500">{t("billing.bill.category")}</span><span>{t(`tariffs.category.${bill.customer.category}`)}</span></div>
        <div className={row}><span className="text-slate-500">{t("billing.bill.tariff")}</span><span>{bill.tariff?.name ?? "—"}</span></div>
      </section>

      <section>
        <h2 className="mb-1 font-semibold">{t("billing.bill.meterReadings")}</h2>
        <table className="w-full text-sm">
          <thead><tr className="border-b border-slate-300 text-left text-slate-600">
            <th className="py-1">{t("billing.bill.meter")}</th><th>{t("billing.bill.previous")}</th><th>{t("billing.bill.current")}</th>
            <th>{t("billing.bill.multiplier")}</th><th>{t("billing.bill.readOn")}</th>
          </tr></thead>
          <tbody>
            {bill.readings.map((r) => (
              <tr key={r.meterNo} className="border-b border-slate-100">
                <td className="py-1 font-mono">{r.meterNo}</td>
                <td className="font-mono">{r.previous}{r.previousPeak ? ` / ${r.previousPeak}` : ""}</td>
                <td className="font-mono">{r.current}{r.currentPeak ? ` / ${r.currentPeak}` : ""}</td>
                <td>{r.multiplier}</td>
                <td>{r.readOn}{r.estimated ? `（${t("billing.bill.estimated")}）` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2 className="mb-1 font-semibold">{t("billing.bill.lines")}</h2>
        <table className="w-full text-sm" data-testid="bill-lines">
          <thead><tr className="border-b border-slate-300 text-left text-slate-600">
            <th className="py-1">{t("billing.bill.item")}</th><th>{t("billing.bill.quantity")}</th>
            <th className="text-right">{t("billing.bill.price")}</th><th className="text-right">{t("billing.bill.amount")}</th>
          </tr></thead>
          <tbody>
            {bill.lines.map((l, i) => (
              <tr key={i} className="border-b border-slate-100" data-label={l.label}>
                <td className="py-1">
                  {lineLabel(l, t)}
                  {l.from && <div className="text-xs text-slate-500">{t("billing.bill.segment", { from: l.from, to: l.to ?? "", version: l.versionId ?? "" })}</div>}
                </td>
                <td>{quantity(l)}</td>
                <td className="text-right font-mono">{l.label === "power-factor" ? `${l.price}%` : l.price}</td>
                <td className="text-right font-mono">{l.amount}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="font-semibold">
              <td className="py-1">{t("billing.bill.total")}</td><td>{bill.kwh} kWh</td><td />
              <td className="text-right font-mono" data-testid="bill-total">{bill.amount}</td>
            </tr>
          </tfoot>
        </table>
      </section>

      <section className="grid gap-4 rounded-md border-2 border-slate-800 p-3 sm:grid-cols-3 print:grid-cols-3">
        <div><div className="text-sm text-slate-500">{t("billing.bill.amountDue")}</div><div className="text-2xl font-bold" data-testid="amount-due">{due} {t("common.yuan")}</div></div>
        <div><div className="text-sm text-slate-500">{t("billing.bill.dueDate")}</div><div className="text-xl font-semibold" data-testid="due-date">{bill.dueDate}</div></div>
        <div><div className="text-sm text-slate-500">{t("billing.bill.issueDate")}</div><div className="text-xl">{bill.issueDate ?? "—"}</div></div>
      </section>

      <section>
        <h2 className="mb-1 font-semibold">{t("billing.bill.history")}</h2>
        <UsageChart data={bill.history} label={t("billing.bill.history")} />
      </section>

      <section className="text-sm">
        <h2 className="font-semibold">{t("billing.bill.channels")}</h2>
        <p>{t("billing.bill.channelList")}</p>
        <p className="mt-1 text-slate-500">{t("billing.bill.lateFeeNote")}</p>
      </section>

      {bill.status === "RELEASED" && can(actor.role, "bills.correct") && (
        <details className="no-print rounded-md border border-red-200 p-3">
          <summary className="cursor-pointer font-medium text-red-700" data-testid="correct-open">{t("billing.bill.correct")}</summary>
          <div className="mt-3">
            <CorrectForm billId={bill.id} labels={{
              total: t("billing.bill.correctTotal"), peak: t("billing.bill.correctPeak"), note: t("billing.bill.note"),
              submit: t("billing.bill.submitCorrect"), submitting: t("audit.submitting"), hint: t("billing.bill.correctHint"),
            }} />
          </div>
        </details>
      )}
    </article>
  );
}
