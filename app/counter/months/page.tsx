import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Yuan } from "@/components/money/yuan";
import { SubmitForm } from "@/components/counter/submit-form";
import { counterLabels, fill } from "@/components/counter/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { checkLedger, closedMonths, lastClosedMonth, monthFigures, stationInfo, stationToday, fen } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { addMonths, periodOf } from "@/lib/domain/calendar";
import { getLocale, getT } from "@/lib/i18n/server";
import { closeMonthAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.months.title") };
}

const rate = (bp: number | null) => (bp === null ? "—" : `${(bp / 100).toFixed(2)}%`);

/** Month close (months.close) and the ledger check, for the manager. */
export default async function MonthsPage({ searchParams }: { searchParams: Promise<{ check?: string }> }) {
  const actor = await requirePagePermission("months.close");
  const [L, locale, st] = [await counterLabels(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const M = L.months;
  const today = await stationToday(actor.stationId);
  const last = await lastClosedMonth(pool, actor.stationId);
  const current = periodOf(today);
  // the next month to close: after the last closed one, else the month before the current one
  const next = last ? addMonths(last, 1) : addMonths(current, -1);
  // the check aggregates every entry of the station: run on request, not on every page view
  const runCheck = (await searchParams).check === "1";
  const [check, closed, preview] = await Promise.all([
    runCheck ? checkLedger(actor.stationId) : Promise.resolve(null), closedMonths(actor.stationId), next < current ? monthFigures(pool, actor.stationId, next) : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader title={M.title} />
      <Card>
        <CardHeader title={M.check} />
        <CardBody data-testid="ledger-check" data-ok={check?.ok}>
          {!check ? <a href="?check=1" className="inline-flex min-h-11 items-center rounded-md bg-brand-600 px-5 font-medium text-white hover:bg-brand-700" data-testid="ledger-check-run">{M.checkRun}</a> : check.ok ? <p className="text-emerald-800">{fill(M.checkOk, { customers: check.customers, bills: check.bills, payments: check.payments })}</p> : (
            <>
              <p className="font-semibold text-red-700">{fill(M.checkFail, { n: check.problems.length })}</p>
              <ul className="mt-2 max-h-64 overflow-y-auto font-mono text-sm">
                {check.problems.slice(0, 200).map((p, i) => <li key={i}>{JSON.stringify(p)}</li>)}
              </ul>
            </>
          )}
        </CardBody>
      </Card>
      {preview && (
        <Card className="mt-4">
          <CardHeader title={`${M.close} · ${next}`} description={M.closeHint} />
          <CardBody className="space-y-3">
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              <div><dt className="text-sm text-slate-500">{M.col.billed}</dt><dd><Yuan fen={fen(preview.billed)} /></dd></div>
              <div><dt className="text-sm text-slate-500">{M.col.collected}</dt><dd><Yuan fen={fen(preview.collected)} /></dd></div>
              <div><dt className="text-sm text-slate-500">{M.col.rate}</dt><dd>{rate(preview.recoveryRateBp)}</dd></div>
              <div><dt className="text-sm text-slate-500">{M.col.fees}</dt><dd><Yuan fen={fen(preview.lateFees)} /></dd></div>
              {fen(preview.refunded) !== 0 && <div><dt className="text-sm text-slate-500">{(await getT())("closures.cashup.title")}</dt><dd><Yuan fen={fen(preview.refunded)} /></dd></div>}
            </dl>
            <SubmitForm action={closeMonthAction} hidden={{ month: next }} label={fill(M.closeSubmit, { month: next })} testId="month-close" />
          </CardBody>
        </Card>
      )}
      <Card className="mt-4">
        <CardHeader title={M.closed} />
        {closed.length === 0 ? <CardBody><p className="text-slate-500">{M.none}</p></CardBody> : (
          <Table>
            <THead><tr><Th>{M.col.month}</Th><Th className="text-right">{M.col.billed}</Th><Th className="text-right">{M.col.collected}</Th><Th className="text-right">{M.col.rate}</Th><Th className="text-right">{M.col.fees}</Th><Th>{M.col.closedAt}</Th><Th>{M.col.closedBy}</Th></tr></THead>
            <TBody>
              {closed.map((m) => (
                <Tr key={m.month}>
                  <Td>{m.month}</Td><Td numeric><Yuan fen={fen(m.figures.billed)} /></Td><Td numeric><Yuan fen={fen(m.figures.collected)} /></Td>
                  <Td numeric>{rate(m.figures.recoveryRateBp)}</Td><Td numeric><Yuan fen={fen(m.figures.lateFees)} /></Td>
                  <Td className="tabular text-sm">{formatInstant(m.closedAt, st.timezone, locale)}</Td><Td>{m.closedBy}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
