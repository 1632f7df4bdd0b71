import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { printSheet } from "@/lib/data/outbox";
import { catalogs } from "@/lib/i18n/catalog";
import { getLocale, getT } from "@/lib/i18n/server";
import { printQuerySchema } from "@/lib/validation/outbox";
import { PrintButton } from "../_components/print-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("outbox.print.pageTitle") };
}

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The paper notices to print: the ticked ones (?id=…) or the whole queue, one per A4 page,
 *  black on white. Printing changes nothing: staff mark them delivered on /outbox afterwards. */
export default async function PrintNoticesPage({ searchParams }: { searchParams: Search }) {
  const actor = await requirePagePermission("outbox.view");
  const locale = await getLocale();
  const O = catalogs[locale].outbox;
  const t = await getT();
  const q = printQuerySchema.safeParse({ id: (await searchParams).id });
  if (!q.success) return <Alert tone="error">{t("errors.INVALID_INPUT")}</Alert>; // never "print everything" instead
  const sheet = await printSheet(actor.stationId, q.data.id);
  const channel = (c: string) => (O.channels as Record<string, string>)[c] ?? c;
  const template = (x: string) => (O.templates as Record<string, string>)[x] ?? x;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <style>{"@media print { @page { size: A4 portrait; margin: 20mm; } main { padding: 0 !important; max-width: none !important; } .notice { break-after: page; } .notice:last-child { break-after: auto; } }"}</style>
      <PrintButton labels={{ print: O.print.print, back: O.print.back }} />
      <p className="no-print text-slate-600" data-testid="print-count">{t("outbox.print.count", { n: sheet.notices.length })}</p>
      {sheet.notices.length === 0 && <p className="text-slate-500">{O.print.nothing}</p>}
      {sheet.notices.map((n) => (
        <article key={n.id} className="notice rounded-lg border border-slate-300 bg-white p-10 shadow-sm print:border-0 print:p-0 print:shadow-none" data-testid={`notice-${n.id}`}>
          <header className="border-b-2 border-slate-800 pb-3 text-center">
            <h1 className="text-2xl font-bold tracking-widest">{template(n.template)}</h1>
            <p className="mt-1 text-slate-700">{sheet.stationName}</p>
          </header>
          <dl className="mt-6 grid grid-cols-[6rem_1fr] gap-y-2 text-lg">
            <dt className="text-slate-600">{O.print.to}</dt><dd>{n.name ?? ""}</dd>
            {n.customerNo && <><dt className="text-slate-600">{O.print.customerNo}</dt><dd className="font-mono">{n.customerNo}</dd></>}
            <dt className="text-slate-600">{O.print.address}</dt><dd>{n.recipient} <span className="text-base text-slate-500">（{channel(n.channel)}）</span></dd>
          </dl>
          <p className="mt-8 text-lg leading-loose whitespace-pre-wrap" data-testid={`notice-${n.id}-content`}>{n.content}</p>
          <footer className="mt-12 text-right text-lg">
            <p>{sheet.stationName}</p>
            <p className="tabular">{O.print.date} {sheet.today}</p>
          </footer>
        </article>
      ))}
    </div>
  );
}
