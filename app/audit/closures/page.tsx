import type { Metadata } from "next";
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { Yuan } from "@/components/money/yuan";
import { SiteCheckForm } from "@/components/closures/site-check-form";
import { siteCheckLabels } from "@/components/closures/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { listClosureCases, listRecentlyClosed, type ClosureCase } from "@/lib/data/closures";
import { stationInfo } from "@/lib/data/ledger";
import { pool } from "@/lib/db";
import { settleClosure } from "@/lib/domain/closure/closure";
import { formatYuan } from "@/lib/domain/money";
import type { T } from "@/lib/i18n/core";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("closures.title") };
}

export const dynamic = "force-dynamic";

function Step({ tone, children, testId }: { tone: BadgeTone; children: React.ReactNode; testId?: string }) {
  return <div className="flex items-start gap-2"><Badge tone={tone} data-testid={testId}>{children}</Badge></div>;
}

/** What the money looks like today (the approval recomputes it the same way after prepaid funds
 *  have paid what is open; shown here before that step). */
function money(c: ClosureCase, t: T) {
  const applied = Math.max(0, Math.min(c.pool, c.openPrincipal)); // prepaid funds pay open bills first
  const s = settleClosure({ balance: c.balance, pool: c.pool - applied, openPrincipal: c.openPrincipal - applied });
  if (!s.ok) return { tone: "danger" as const, text: t("closures.money.unreconciled", { balance: formatYuan(c.balance), pool: formatYuan(c.pool), open: formatYuan(c.openPrincipal) }) };
  if (s.refund > 0) return { tone: "info" as const, text: t("closures.money.refund", { amount: formatYuan(s.refund) }) };
  if (s.arrears > 0) return { tone: "warning" as const, text: t("closures.money.arrears", { amount: formatYuan(s.arrears) }) };
  return { tone: "success" as const, text: t("closures.money.none") };
}

export default async function ClosuresPage() {
  const actor = await requirePagePermission("closures.view");
  const [t, locale, st] = [await getT(), await getLocale(), await stationInfo(pool, actor.stationId)];
  const [cases, closed] = await Promise.all([listClosureCases(actor.stationId), listRecentlyClosed(actor.stationId)]);
  const canRecord = can(actor.role, "closures.siteCheck");
  const at = (iso: string) => formatInstant(iso, st.timezone, locale);
  const labels = siteCheckLabels(t);
  return (
    <>
      <PageHeader title={t("closures.title")} description={t("closures.description")} />
      <div className="space-y-4" data-testid="closure-cases">
        {cases.length === 0 && <Card><CardBody><p className="text-slate-500" data-testid="closures-empty">{t("closures.none")}</p></CardBody></Card>}
        {cases.map((c) => {
          const m = money(c, t);
          const checked = !!c.visit?.doneAt;
          const ready = checked && c.visit?.outcome === "VACANT" && c.unreleased.length === 0;
          return (
            <Card key={c.customerId} id={`c${c.customerId}`} data-testid={`closure-${c.customerId}`}>
              <CardHeader
                title={<><Link className="font-mono text-brand-700 hover:underline" href={`/counter/customers/${c.customerId}`}>{c.customerNo}</Link> {c.name}</>}
                description={`${c.address} · ${c.routeCode} · ${c.reason}`}
                actions={<Badge tone={ready ? "success" : "neutral"} data-testid={`closure-${c.customerId}-ready`}>{ready ? t("closures.approval.ready") : t("closures.approval.blocked")}</Badge>}
              />
              <CardBody className="grid gap-4 lg:grid-cols-[1fr_1fr]">
                <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
                  <dt className="text-slate-500">{t("closures.col.siteCheck")}</dt>
                  <dd data-testid={`closure-${c.customerId}-site-check`}>
                    {!c.visit ? "—" : checked
                      ? <Step tone={c.visit.outcome === "VACANT" ? "success" : "warning"}>{t("closures.siteCheck.done", { result: t(`closures.results.${c.visit.outcome}`), at: at(c.visit.doneAt!) })}</Step>
                      : <Step tone="neutral">{t("closures.siteCheck.planned", { date: c.visit.plannedOn, staff: c.visit.staff ?? t("closures.siteCheck.unassigned") })}</Step>}
                    {c.visit?.note && <p className="mt-1 text-slate-600">{c.visit.note}</p>}
                    {c.visit?.finalReading && <p className="text-slate-600">{t("closures.siteCheck.finalReading", { value: c.visit.finalReading })}</p>}
                  </dd>
                  <dt className="text-slate-500">{t("closures.col.notice")}</dt>
                  <dd>{c.notice ? <Step tone={c.notice.status === "SENT" ? "success" : "neutral"}>{t(`closures.notice.${c.notice.status}`)}{c.notice.sentAt ? ` ${at(c.notice.sentAt)}` : ""}</Step> : "—"}</dd>
                  <dt className="text-slate-500">{t("closures.col.finalBill")}</dt>
                  <dd data-testid={`closure-${c.customerId}-bill`}>
                    {c.finalBill ? <Step tone={c.finalBill.status === "RELEASED" ? "success" : "warning"}>{c.finalBill.period} {t(`closures.bill.${c.finalBill.status}`)} · <Yuan fen={c.finalBill.amount} /></Step> : "—"}
                    {c.unreleased.map((u) => (
                      <p key={u.period} className="mt-1 text-amber-800">{t("closures.mustClear", { period: u.period, codes: u.codes.map((x) => t(`audit.codes.${x}`)).join("、") })}</p>
                    ))}
                  </dd>
                  <dt className="text-slate-500">{t("closures.col.balance")}</dt>
                  <dd data-testid={`closure-${c.customerId}-money`}><Step tone={m.tone}>{m.text}</Step><p className="mt-1 text-slate-500">{t("closures.money.note")}</p></dd>
                  <dt className="text-slate-500">{t("closures.col.approval")}</dt>
                  <dd>
                    {t("closures.approval.waiting", { by: c.requestedBy ?? "", at: at(c.requestedAt) })}
                    {c.statusBefore && <p className="text-slate-500">{t("closures.approval.statusBefore", { status: t(`counter.status.${c.statusBefore}`) })}</p>}
                  </dd>
                </dl>
                <div>{canRecord && c.visit && !checked && <SiteCheckForm visitId={c.visit.id} labels={labels} />}</div>
              </CardBody>
            </Card>
          );
        })}
      </div>
      <Card className="mt-6">
        <CardHeader title={t("closures.recent")} />
        {closed.length === 0 ? <CardBody><p className="text-slate-500">{t("closures.noneRecent")}</p></CardBody> : (
          <Table data-testid="closures-recent">
            <THead><tr><Th>{t("closures.col.customer")}</Th><Th>{t("closures.col.closedOn")}</Th><Th className="text-right">{t("closures.col.arrears")}</Th><Th>{t("closures.col.refund")}</Th></tr></THead>
            <TBody>
              {closed.map((x) => (
                <Tr key={x.customerId} data-testid={`closed-${x.customerId}`}>
                  <Td><Link className="font-mono text-brand-700 hover:underline" href={`/counter/customers/${x.customerId}`}>{x.customerNo}</Link> {x.name}</Td>
                  <Td className="tabular">{x.closedOn}</Td>
                  <Td numeric><Yuan fen={x.arrears} /></Td>
                  <Td className="text-sm">{x.refund ? <><Yuan fen={x.refund.amount} /> · {t(`closures.refunds.channels.${x.refund.channel}`)} · {t(`closures.refunds.status.${x.refund.status}`)}</> : "—"}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
