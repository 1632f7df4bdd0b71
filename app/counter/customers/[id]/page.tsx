import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Yuan, displayYuan } from "@/components/money/yuan";
import { ContactsPanel } from "@/components/counter/contacts-panel";
import { PaymentForm } from "@/components/counter/payment-form";
import { RequestForm } from "@/components/counter/request-form";
import { counterLabels, fill, paymentsLabels } from "@/components/counter/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { getAccount } from "@/lib/data/customers";
import { amountDue } from "@/lib/data/payments";
import { pendingForTarget } from "@/lib/data/approvals";
import { stationInfo } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { formatYuan } from "@/lib/domain/money";
import { COUNTER_CHANNELS } from "@/lib/domain/payments/channels";
import { customerIdSchema } from "@/lib/validation/customer";
import { getLocale, getT } from "@/lib/i18n/server";
import { requestReversalAction, requestWaiverAction } from "../../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.account.title") };
}

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("customers.view");
  const id = customerIdSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const account = await getAccount(actor.stationId, id.data);
  if (!account) notFound();
  const [t, locale, L, P, station] = [await getT(), await getLocale(), await counterLabels(), await paymentsLabels(), await stationInfo(pool, actor.stationId)];
  const c = account.customer;
  const due = (await amountDue(actor.stationId, { customerId: c.id }))!;
  const accountDue = account.paymentAccount ? await amountDue(actor.stationId, { paymentAccountId: account.paymentAccount.id }, due.asOf) : null;
  const waivers = new Set((await pendingForTarget(actor.stationId, "bill", due.bills.map((b) => b.billId))).map((p) => p.targetId));
  const canPay = can(actor.role, "payments.record");
  const canReverse = can(actor.role, "payments.requestReversal");
  const canWaive = can(actor.role, "lateFees.requestWaiver");
  const minimumRaised = due.fees > due.bills.reduce((s, b) => s + b.fee, 0);
  const amountText = (f: number) => (f > 0 ? formatYuan(f) : "");
  const targets = [{ value: `customer:${c.id}`, label: fill(L.pay.targetCustomer, { customerNo: c.customerNo }), payable: amountText(due.payable) }];
  if (account.paymentAccount && accountDue && account.paymentAccount.customers.length > 1) {
    targets.push({
      value: `account:${account.paymentAccount.id}`,
      label: fill(L.pay.targetAccount, { n: account.paymentAccount.customers.length, paymentNo: account.paymentAccount.paymentNo, amount: displayYuan(accountDue.payable) }),
      payable: amountText(accountDue.payable),
    });
  }
  const bal = account.balance;
  return (
    <>
      <PageHeader
        title={<span data-testid="account-title">{c.name} <span className="font-mono text-xl text-slate-500">{c.customerNo}</span></span>}
        description={c.address}
        actions={<Link href="/counter" className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 hover:bg-slate-50" accessKey="f">{L.account.back}</Link>}
      />
      <div className="mb-4 flex flex-wrap gap-2">
        <Badge tone={c.status === "ACTIVE" ? "success" : c.status === "CLOSED" ? "danger" : "warning"}>{L.status[c.status as keyof typeof L.status] ?? c.status}</Badge>
        <Badge>{L.category[c.category as keyof typeof L.category] ?? c.category}</Badge>
        <Badge tone="info">{L.paymentMethod[c.paymentMethod as keyof typeof L.paymentMethod] ?? c.paymentMethod}</Badge>
        {c.flags.map((f) => <Badge key={f} tone="warning">{L.flags[f as keyof typeof L.flags] ?? f}</Badge>)}
        <Badge tone="neutral">{L.account.grade}: {L.account.gradeNone}</Badge>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title={fill(L.account.owed, { date: due.asOf })} />
          {due.bills.length === 0 ? <CardBody><p className="text-slate-600" data-testid="no-bills">{L.account.noBills}</p></CardBody> : (
            <Table data-testid="owed-table">
              <THead>
                <tr>
                  <Th>{L.account.col.period}</Th><Th className="text-right">{L.account.col.amount}</Th><Th className="text-right">{L.account.col.paid}</Th>
                  <Th className="text-right">{L.account.col.unpaid}</Th><Th>{L.account.col.due}</Th><Th className="text-right">{L.account.col.days}</Th>
                  <Th className="text-right">{L.account.col.fee}</Th><Th><span className="sr-only">{L.account.col.actions}</span></Th>
                </tr>
              </THead>
              <TBody>
                {due.bills.map((b) => (
                  <Tr key={b.billId} data-testid="owed-bill">
                    <Td>{b.period}</Td>
                    <Td numeric><Yuan fen={b.amount} /></Td>
                    <Td numeric><Yuan fen={b.paid} /></Td>
                    <Td numeric><Yuan fen={b.unpaid} /></Td>
                    <Td className="tabular">{b.dueDate}</Td>
                    <Td numeric>{b.days > 0 ? b.days : ""}</Td>
                    <Td numeric><Yuan fen={b.fee} /></Td>
                    <Td>
                      {b.fee > 0 && canWaive && (waivers.has(b.billId)
                        ? <span className="text-sm text-amber-800">{t("approvals.status.PENDING")}</span>
                        : <RequestForm action={requestWaiverAction} hidden={{ billId: b.billId }} labels={L.waiver} testId="waiver-request" />)}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
          <CardBody className="grid gap-1 border-t border-slate-100 text-base sm:grid-cols-2">
            <div className="flex justify-between"><span>{L.account.principal}</span><Yuan fen={due.principal} /></div>
            <div className="flex justify-between"><span>{L.account.fees}{minimumRaised && <span className="text-xs text-slate-500"> {L.account.feesMinimum}</span>}</span><Yuan fen={due.fees} testId="due-fees" /></div>
            <div className="flex justify-between font-semibold"><span>{L.account.total}</span><Yuan fen={due.total} testId="due-total" /></div>
            <div className="flex justify-between"><span>{L.account.prepaidFunds}</span><Yuan fen={due.prepaidFunds} /></div>
            <div className="flex justify-between text-lg font-bold text-brand-800 sm:col-span-2"><span>{L.account.payable}</span><Yuan fen={due.payable} testId="due-payable" /></div>
          </CardBody>
        </Card>

        <div className="space-y-4">
          {canPay && (
            <Card>
              <CardHeader title={L.pay.title} />
              <CardBody>
                <PaymentForm
                  labels={L.pay}
                  targets={targets}
                  channels={COUNTER_CHANNELS.map((ch) => ({ value: ch, label: P.channels[ch] }))}
                  defaultChannel={c.paymentMethod === "PREPAID" ? "PREPAID_TOPUP" : "COUNTER_CASH"}
                  idempotencyKey={`counter-${crypto.randomUUID()}`}
                  closed={c.status === "CLOSED"}
                />
              </CardBody>
            </Card>
          )}
          <Card>
            <CardHeader title={L.account.balance} />
            <CardBody className="space-y-1" data-testid="account-balance" data-balance-fen={bal.balance}>
              <p className="text-2xl font-semibold">
                {bal.balance > 0 ? <span className="text-red-700">{fill(L.account.balanceOwed, { amount: displayYuan(bal.owed) })}</span>
                  : bal.balance < 0 ? <span className="text-emerald-700">{fill(L.account.balancePrepaid, { amount: displayYuan(bal.prepaidFunds) })}</span>
                  : <span className="text-slate-700">{L.account.balanceZero}</span>}
              </p>
              {c.paymentMethod === "PREPAID" && <p className="text-sm text-slate-600">{L.account.feeControl}: {L.feeControl[c.feeControlState as keyof typeof L.feeControl] ?? c.feeControlState}</p>}
            </CardBody>
          </Card>
        </div>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title={L.account.details} />
          <CardBody>
            <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-base">
              <dt className="text-slate-500">{L.account.holder}</dt><dd>{c.name}</dd>
              <dt className="text-slate-500">{L.account.phone}</dt><dd className="font-mono">{c.phoneMasked}</dd>
              <dt className="text-slate-500">{L.account.address}</dt><dd>{c.address}</dd>
              <dt className="text-slate-500">{L.account.method}</dt><dd>{L.paymentMethod[c.paymentMethod as keyof typeof L.paymentMethod] ?? c.paymentMethod}{c.bankAccountMasked ? ` · ${c.bankAccountMasked}` : ""}</dd>
              <dt className="text-slate-500">{L.account.opened}</dt><dd className="tabular">{c.openedOn}</dd>
            </dl>
          </CardBody>
          <CardHeader title={L.contacts.title} />
          <CardBody>
            <ContactsPanel customerId={c.id} contacts={account.contacts} labels={L.contacts}
              canEdit={can(actor.role, "customers.editContacts")} canReveal={can(actor.role, "customers.revealPersonal")} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title={L.account.paymentNo} />
          <CardBody data-testid="payment-number">
            {account.paymentAccount ? (
              <>
                <p className="font-mono text-lg">{account.paymentAccount.paymentNo} <span className="font-sans text-base text-slate-600">{account.paymentAccount.name}</span></p>
                <p className="mt-2 text-sm text-slate-500">{fill(L.account.paymentNoOthers, { n: account.paymentAccount.customers.length })}</p>
                <ul className="mt-1 max-h-48 overflow-y-auto text-sm">
                  {account.paymentAccount.customers.filter((s) => s.id !== c.id).map((s) => (
                    <li key={s.id}><Link className="font-mono text-brand-700 hover:underline" href={`/counter/customers/${s.id}`}>{s.customerNo}</Link> {s.name} · {s.address}</li>
                  ))}
                </ul>
              </>
            ) : <p className="text-slate-500">{L.account.noPaymentNo}</p>}
          </CardBody>
          <CardHeader title={L.account.recentPayments} />
          {account.recentPayments.length === 0 ? <CardBody><p className="text-slate-500">{L.account.noPayments}</p></CardBody> : (
            <ul className="divide-y divide-slate-100 px-5 pb-3" data-testid="recent-payments">
              {account.recentPayments.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-x-3 py-2">
                  <Link href={`/counter/receipts/${p.id}`} className="font-mono text-brand-700 hover:underline">{p.receiptNo ?? `#${p.id}`}</Link>
                  <span className="tabular text-sm text-slate-600">{formatInstant(p.postedAt, station.timezone, locale)}</span>
                  <span className="text-sm">{P.channels[p.channel as keyof typeof P.channels] ?? p.channel}</span>
                  <Yuan fen={p.amount} className="font-medium" />
                  {p.status === "REVERSED" && <Badge tone="danger">{P.status.REVERSED}</Badge>}
                  {p.reversalPending && <Badge tone="warning">{L.account.reversalPending}</Badge>}
                  {p.status === "POSTED" && !p.reversalPending && canReverse && (
                    <span className="ml-auto"><RequestForm action={requestReversalAction} hidden={{ paymentId: p.id }} labels={L.reversal} testId="reversal-request" /></span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card className="mt-4">
        <CardHeader title={L.account.timeline} />
        {account.timeline.length === 0 ? <CardBody><p className="text-slate-500">{L.account.noTimeline}</p></CardBody> : (
          <ol className="divide-y divide-slate-100 px-5 pb-3" data-testid="timeline">
            {account.timeline.map((e, i) => (
              <li key={`${e.kind}-${e.ref}-${i}`} className="grid grid-cols-[10rem_7rem_1fr] gap-2 py-2 text-sm">
                <span className="tabular text-slate-500">{formatInstant(e.at, station.timezone, locale)}</span>
                <span className="font-medium">{L.account.kinds[e.kind]}</span>
                <span>
                  {e.kind === "payment" && e.ref ? <Link href={`/counter/receipts/${e.ref}`} className="font-mono text-brand-700 hover:underline">{e.title}</Link> : <span className="font-mono">{e.title}</span>}
                  {" "}{e.detail}{e.status ? <span className="ml-2 text-slate-500">[{e.status}]</span> : null}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
