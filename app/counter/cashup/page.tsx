import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Yuan } from "@/components/money/yuan";
import { PrintButton, SubmitForm } from "@/components/counter/submit-form";
import { counterLabels, fill, paymentsLabels } from "@/components/counter/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { cashupDay } from "@/lib/data/cashup";
import { stationInfo, stationToday } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { isIsoDate } from "@/lib/domain/calendar";
import { formatYuan } from "@/lib/domain/money";
import { catalogs } from "@/lib/i18n/catalog";
import { getLocale, getT } from "@/lib/i18n/server";
import { closeCashupAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.cashup.title") };
}

export default async function CashupPage({ searchParams }: { searchParams: Promise<{ day?: string; scope?: string }> }) {
  const actor = await requirePagePermission("cashup.view");
  const sp = await searchParams;
  const today = await stationToday(actor.stationId);
  const day = sp.day && isIsoDate(sp.day) ? sp.day : today;
  const stationWide = sp.scope ? sp.scope === "station" : actor.role !== "CLERK";
  const scope = stationWide ? "station" : "mine";
  const [L, P, locale, st] = [await counterLabels(), await paymentsLabels(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const C = L.cashup;
  const v = await cashupDay(actor.stationId, day, { clerkId: stationWide ? null : actor.id });
  const canClose = stationWide ? can(actor.role, "cashup.closeStation") : can(actor.role, "cashup.close");
  return (
    <>
      <PageHeader title={`${C.title} · ${day}`} description={`${st.code} · ${stationWide ? C.station : `${C.mine}（${actor.name}）`}`} actions={<PrintButton label={C.print} />} />
      <form method="get" className="no-print mb-4 flex flex-wrap items-end gap-3">
        <label className="text-sm">{C.day}<input type="date" name="day" defaultValue={day} max={today} className="block min-h-11 rounded-md border border-slate-300 px-3" /></label>
        <label className="text-sm">{C.scope}
          <select name="scope" defaultValue={scope} className="block min-h-11 rounded-md border border-slate-300 px-3">
            <option value="mine">{C.mine}</option><option value="station">{C.station}</option>
          </select>
        </label>
        <button type="submit" className="min-h-11 rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50">{C.show}</button>
      </form>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title={C.byChannel} />
          <Table data-testid="cashup-channels">
            <THead><tr><Th>{C.col.channel}</Th><Th className="text-right">{C.col.count}</Th><Th className="text-right">{C.col.amount}</Th></tr></THead>
            <TBody>
              {v.byChannel.map((c) => (
                <Tr key={c.channel}><Td>{P.channels[c.channel as keyof typeof P.channels] ?? c.channel}</Td><Td numeric>{c.count}</Td><Td numeric><Yuan fen={c.amount} /></Td></Tr>
              ))}
              <Tr className="font-semibold"><Td>{C.total}</Td><Td numeric data-testid="cashup-count">{v.count}</Td><Td numeric><Yuan fen={v.total} testId="cashup-total" /></Td></Tr>
              {v.reversed.count > 0 && <Tr className="text-slate-500"><Td>{P.status.REVERSED} {C.reversed}</Td><Td numeric>{v.reversed.count}</Td><Td numeric><Yuan fen={v.reversed.amount} plainNegative /></Td></Tr>}
            </TBody>
          </Table>
          <CardBody className="border-t border-slate-100">
            {v.closed ? <p className="text-emerald-800" data-testid="cashup-closed">{fill(C.closed, { by: v.closed.by ?? "", at: formatInstant(v.closed.at, st.timezone, locale) })}</p>
              : canClose && <SubmitForm action={closeCashupAction} hidden={{ day, scope }} label={stationWide ? C.closeStation : C.close} testId="cashup-close" />}
          </CardBody>
        </Card>
        {stationWide && (
          <Card>
            <CardHeader title={C.differences} />
            {v.files.length === 0 ? <CardBody><p className="text-slate-500">{C.noFiles}</p></CardBody> : (
              <Table data-testid="cashup-files">
                <THead><tr><Th>{C.source}</Th><Th className="text-right">{C.fileTotal}</Th><Th className="text-right">{C.postedTotal}</Th><Th className="text-right">{C.difference}</Th></tr></THead>
                <TBody>
                  {v.files.map((f, i) => (
                    <Tr key={i}><Td>{f.source} <span className="text-sm text-slate-500">{f.name}</span></Td><Td numeric><Yuan fen={f.fileTotal} /></Td><Td numeric><Yuan fen={f.postedTotal} /></Td>
                      <Td numeric className={f.difference !== 0 || f.mismatches > 0 ? "font-semibold text-red-700" : ""}><Yuan fen={f.difference} plainNegative />{f.mismatches > 0 ? ` (${f.mismatches})` : ""}</Td></Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Card>
        )}
      </div>

      {v.refunds.count > 0 && (() => {
        const RF = catalogs[locale].closures;
        return (
          <Card className="mt-4">
            <CardHeader title={RF.cashup.title} />
            <Table data-testid="cashup-refunds">
              <THead><tr><Th>{C.col.customer}</Th><Th>{C.col.channel}</Th><Th>{C.col.reference}</Th><Th>{C.col.clerk}</Th><Th className="text-right">{C.col.amount}</Th></tr></THead>
              <TBody>
                {v.refunds.list.map((r) => (
                  <Tr key={r.id}><Td className="font-mono text-sm">{r.customerNo}</Td><Td>{(RF.refunds.channels as Record<string, string>)[r.channel] ?? r.channel}</Td>
                    <Td className="text-sm">{r.reference}</Td><Td>{r.paidBy}</Td><Td numeric><Yuan fen={r.amount} /></Td></Tr>
                ))}
                <Tr className="font-semibold"><Td>{RF.cashup.amount}</Td><Td /><Td /><Td numeric>{v.refunds.count}</Td><Td numeric><Yuan fen={v.refunds.amount} testId="cashup-refunds-total" /></Td></Tr>
                <Tr><Td>{RF.cashup.cash}</Td><Td /><Td /><Td /><Td numeric><Yuan fen={v.refunds.cashAmount} /></Td></Tr>
              </TBody>
            </Table>
          </Card>
        );
      })()}

      <Card className="mt-4">
        <CardHeader title={C.list} />
        {v.payments.length === 0 ? <CardBody><p className="text-slate-500">{C.none}</p></CardBody> : (
          <Table data-testid="cashup-list">
            <THead><tr><Th>{C.col.receiptNo}</Th><Th>{C.col.time}</Th><Th>{C.col.customer}</Th><Th>{C.col.channel}</Th><Th>{C.col.reference}</Th><Th>{C.col.clerk}</Th><Th className="text-right">{C.col.amount}</Th><Th>{C.col.status}</Th></tr></THead>
            <TBody>
              {v.payments.map((p) => (
                <Tr key={p.id} className={p.status !== "POSTED" ? "text-slate-400 line-through" : ""}>
                  <Td className="font-mono text-sm">{p.receiptNo}</Td>
                  <Td className="tabular text-sm">{formatInstant(p.postedAt, st.timezone, locale).slice(-5)}
                    {p.valueDate !== day && <span className="ml-1 rounded bg-amber-100 px-1 text-amber-900" data-testid="cashup-paid-on">{fill(C.paidOn, { date: p.valueDate })}</span>}</Td>
                  <Td className="font-mono text-sm">{p.customerNo ?? p.paymentNo}</Td>
                  <Td>{P.channels[p.channel as keyof typeof P.channels] ?? p.channel}</Td>
                  <Td className="text-sm">{p.reference}</Td>
                  <Td>{p.clerk}</Td>
                  <Td numeric><Yuan fen={p.amount} /></Td>
                  <Td className="text-sm">{P.status[p.status as keyof typeof P.status] ?? p.status}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
        {v.backDated.count > 0 && <CardBody className="border-t border-slate-100"><p className="text-amber-900" data-testid="cashup-back-dated">{fill(C.backDated, { count: v.backDated.count, amount: formatYuan(v.backDated.amount) })}</p></CardBody>}
      </Card>
    </>
  );
}
