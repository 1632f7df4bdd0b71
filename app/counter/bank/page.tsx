import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { BankImportForm } from "@/components/counter/bank-import-form";
import { counterLabels, fill } from "@/components/counter/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { recentBankBatches } from "@/lib/data/bank";
import { stationInfo, stationToday } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { periodOf } from "@/lib/domain/calendar";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.bank.title") };
}

export default async function BankPage() {
  const actor = await requirePagePermission("payments.importBank");
  const [L, locale, st] = [await counterLabels(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const B = L.bank;
  const month = periodOf(await stationToday(actor.stationId));
  const batches = await recentBankBatches(actor.stationId);
  return (
    <>
      <PageHeader title={B.title} />
      <Card>
        <CardHeader title={B.exportTitle} description={B.exportHint} />
        <CardBody>
          <form method="get" action="/api/counter/bank/export" className="flex flex-wrap items-end gap-3">
            <label className="text-sm">{B.month}<input type="month" name="month" defaultValue={month} className="block min-h-11 rounded-md border border-slate-300 px-3" /></label>
            <button type="submit" className="min-h-11 rounded-md bg-brand-600 px-5 font-medium text-white hover:bg-brand-700" data-testid="bank-export">{B.export}</button>
          </form>
        </CardBody>
      </Card>
      <Card className="mt-4">
        <CardHeader title={B.importTitle} description={B.importHint} />
        <CardBody><BankImportForm labels={B} debitDateLabel={L.receipt.valueDate} /></CardBody>
      </Card>
      <Card className="mt-4">
        <CardHeader title={B.batches} />
        {batches.length === 0 ? <CardBody><p className="text-slate-500">{B.noBatches}</p></CardBody> : (
          <Table>
            <THead><tr><Th>#</Th><Th>{B.file}</Th><Th>{L.cashup.col.time}</Th><Th>{L.cashup.col.clerk}</Th><Th>{B.report}</Th></tr></THead>
            <TBody>
              {batches.map((b) => (
                <Tr key={b.id}>
                  <Td className="tabular">{b.id}</Td><Td>{b.fileName}</Td><Td className="tabular text-sm">{formatInstant(b.createdAt, st.timezone, locale)}</Td><Td>{b.by}</Td>
                  <Td className={b.rejected > 0 && b.accepted === 0 ? "text-sm text-red-700" : "text-sm"}>
                    {b.rejected > 0 && b.accepted === 0 ? fill(L.bank.errors, {}) + ` ${b.rejected}` :
                      fill(B.rows, { rows: b.report.rows, posted: b.report.posted, amount: b.report.newTotal, skipped: b.report.skipped, failed: b.report.failed, insufficient: b.report.insufficient })}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
