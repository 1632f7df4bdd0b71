import type { Metadata } from "next";
import Link from "next/link";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { listRouteSchedules, stationContext } from "@/lib/data/routes";
import { addMonths, periodOf } from "@/lib/domain/calendar";
import { getLocale, getT } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { formatInstant } from "@/components/ui/format";
import { DecideForm, RequestForm } from "./_components/forms";

export const metadata: Metadata = { title: "抄表例日" };
const MONTHS = 6;

export default async function ReadingDaysPage() {
  const actor = await requirePagePermission("readingDay.request");
  const t = await getT();
  const locale = await getLocale();
  const ctx = await stationContext(actor.stationId);
  const current = periodOf(ctx.today);
  const all = await listRouteSchedules(actor.stationId, current, MONTHS);
  const mine = actor.role === "READER" ? all.filter((r) => r.readerId === actor.id) : all;
  const approver = can(actor.role, "readingDay.approve");
  const messages = catalogs[locale].readings;
  const tone = { PENDING: "info", APPROVED: "success", REJECTED: "danger", CANCELLED: "neutral" } as const;
  return (
    <>
      <PageHeader title={t("readings.days.title")} description={t("readings.days.description")}
        actions={can(actor.role, "meters.replace") ? <Link href="/reader/replace" className="text-brand-700 underline">{t("readings.replace.title")}</Link> : undefined} />
      <Card className="mb-6">
        <CardHeader title={t("readings.days.requestTitle")} />
        <CardBody>
          <RequestForm routes={mine.map((r) => ({ id: r.id, label: `${r.code} ${r.name}（${t("readings.days.day", { d: r.dayNow })}）` }))}
            messages={messages} nextPeriod={addMonths(current, 1)} />
        </CardBody>
      </Card>
      <Card>
        <Table data-testid="reading-days">
          <THead>
            <tr>
              <Th>{t("readings.days.route")}</Th><Th>{t("readings.days.reader")}</Th><Th className="text-right">{t("readings.days.customers")}</Th>
              <Th>{t("readings.days.dayNow")}</Th><Th>{t("readings.days.planned")}</Th><Th>{t("readings.days.requests")}</Th>
            </tr>
          </THead>
          <TBody>
            {mine.map((r) => (
              <Tr key={r.id} data-route={r.code}>
                <Td className="min-w-40">{r.code} <span className="text-slate-500">{r.name}</span>{r.remote && <Badge className="ml-2">{t("readings.days.remote")}</Badge>}</Td>
                <Td className="whitespace-nowrap">{r.readerName ?? "—"}</Td>
                <Td numeric>{r.customers}</Td>
                <Td className="whitespace-nowrap text-lg font-semibold">{t("readings.days.day", { d: r.dayNow })}</Td>
                <Td>
                  <div className="flex flex-wrap gap-x-3 gap-y-1 text-sm tabular">
                    {r.planned.map((p) => <span key={p.period} className={p.day !== r.dayNow ? "font-semibold text-amber-800" : "text-slate-600"}>{p.date}</span>)}
                  </div>
                </Td>
                <Td className="min-w-80">
                  {r.changes.length === 0 && <span className="text-sm text-slate-400">{t("readings.days.noRequests")}</span>}
                  {r.changes.map((c) => (
                    <div key={c.id} className="mb-2 rounded-md border border-slate-200 p-2 text-sm" data-testid={`change-${c.id}`}>
                      <div className="flex flex-wrap items-center gap-2">
                        <Badge tone={tone[c.status as keyof typeof tone]}>{t(`readings.days.status${c.status}`)}</Badge>
                        <span className="font-medium">{t("readings.days.change", { old: c.oldDay, new: c.newDay, from: c.fromPeriod })}</span>
                      </div>
                      <p className="mt-1 text-slate-700">{c.reason}</p>
                      <p className="text-slate-500">{t("readings.days.requested", { name: c.requestedBy, at: formatInstant(c.requestedAt, ctx.timezone, locale) })}
                        {c.decidedBy && ` · ${t("readings.days.decided", { name: c.decidedBy })}`}{c.decisionNote && `：${c.decisionNote}`}</p>
                      {c.status === "APPROVED" && (
                        <p className="text-slate-600">
                          {t("readings.days.notices", { n: c.notices })} · {t("readings.days.confirmations", { n: c.confirmations })}
                          {approver && <Link href={`/audit/reading-days/${c.id}`} className="ml-2 text-brand-700 underline">{t("readings.days.confirmTitle")}</Link>}
                        </p>
                      )}
                      {c.status === "PENDING" && approver && <DecideForm changeId={c.id} messages={messages} />}
                    </div>
                  ))}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
