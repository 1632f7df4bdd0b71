import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Yuan } from "@/components/money/yuan";
import { RefundPayoutForm } from "@/components/closures/refund-payout-form";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { stationInfo } from "@/lib/data/ledger";
import { listRefunds } from "@/lib/data/refunds";
import { pool } from "@/lib/db";
import { catalogs } from "@/lib/i18n/catalog";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("closures.refunds.title") };
}

export const dynamic = "force-dynamic";

/** Closure refunds to pay out at the counter, and the last ones paid. */
export default async function RefundsPage() {
  const actor = await requirePagePermission("refunds.pay");
  const locale = await getLocale();
  const R = catalogs[locale].closures.refunds;
  const st = await stationInfo(pool, actor.stationId);
  const { pending, paid } = await listRefunds(actor.stationId);
  const channel = (c: string) => (R.channels as Record<string, string>)[c] ?? c;
  const labels = { reference: R.reference, pay: R.pay, channels: R.channels };
  return (
    <>
      <PageHeader title={R.title} description={R.description} />
      <Card>
        <CardHeader title={`${R.pending} (${pending.length})`} />
        {pending.length === 0 ? <CardBody><p className="text-slate-500">{R.none}</p></CardBody> : (
          <Table data-testid="refunds-pending">
            <THead><tr><Th>{R.col.customer}</Th><Th>{R.col.payee}</Th><Th className="text-right">{R.col.amount}</Th><Th>{R.col.channel}</Th><Th>{R.col.account}</Th><Th>{R.col.createdAt}</Th><Th>{R.col.action}</Th></tr></THead>
            <TBody>
              {pending.map((r) => (
                <Tr key={r.id} data-testid={`refund-${r.id}`}>
                  <Td><Link className="font-mono text-brand-700 hover:underline" href={`/counter/customers/${r.customerId}`}>{r.customerNo}</Link> {r.name}</Td>
                  <Td>{r.payee}</Td>
                  <Td numeric><Yuan fen={r.amount} /></Td>
                  <Td>{channel(r.channel)}</Td>
                  <Td className="font-mono text-sm">{r.bankAccountMasked ?? "—"}</Td>
                  <Td className="tabular text-sm">{formatInstant(r.createdAt, st.timezone, locale)}</Td>
                  <Td><RefundPayoutForm refundId={r.id} channel={r.channel} labels={labels} /></Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Card className="mt-4">
        <CardHeader title={R.paid} />
        {paid.length === 0 ? <CardBody><p className="text-slate-500">{R.nonePaid}</p></CardBody> : (
          <Table data-testid="refunds-paid">
            <THead><tr><Th>{R.col.customer}</Th><Th>{R.col.payee}</Th><Th className="text-right">{R.col.amount}</Th><Th>{R.col.channel}</Th><Th>{R.col.reference}</Th><Th>{R.col.paidAt}</Th><Th>{R.col.paidBy}</Th></tr></THead>
            <TBody>
              {paid.map((r) => (
                <Tr key={r.id}>
                  <Td className="font-mono text-sm">{r.customerNo}</Td><Td>{r.payee}</Td><Td numeric><Yuan fen={r.amount} /></Td><Td>{channel(r.channel)}</Td>
                  <Td className="text-sm">{r.reference ?? "—"}</Td><Td className="tabular text-sm">{r.paidAt ? formatInstant(r.paidAt, st.timezone, locale) : ""}</Td><Td>{r.paidBy}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
