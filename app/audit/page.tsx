import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, THead } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { exceptionSummary, listExceptions, type ExceptionFilter } from "@/lib/data/audit-exceptions";
import { pool, prisma } from "@/lib/db";
import { isPeriod } from "@/lib/domain/calendar";
import { AUDIT_CODES } from "@/lib/domain/audit/rules";
import { getLocale, getT } from "@/lib/i18n/server";
import { RESOLUTIONS } from "@/lib/validation/billing";
import { AcceptAllForm, ClearForm, type ClearLabels } from "./exceptions/_components/clear-form";
import { describeException } from "@/components/audit/describe";
import { RereadStatusLine } from "@/components/audit/reread-status";
import { RereadForm } from "@/components/rereads/reread-form";
import { rereadLabels } from "@/components/rereads/labels";
import { formatInstant } from "@/components/ui/format";
import { can } from "@/lib/auth/permissions";
import { stationInfo } from "@/lib/data/ledger";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("audit.title") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v || undefined;
}

const SUGGESTED: Record<string, string> = {
  RESIDENTIAL_BUSINESS_LEVEL: "CHANGE_TARIFF",
  ZERO_CLOSURE: "PROPOSE_CLOSURE",
  ZERO_SITE_CHECK: "REREAD",
  READING_LOWER: "CORRECT_READING",
  PEAK_EXCEEDS_TOTAL: "CORRECT_READING",
  ESTIMATED_READING: "REREAD",
};

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const actor = await requirePagePermission("audit.clear");
  const t = await getT();
  const sp = await searchParams;
  const code = one(sp.code);
  const route = Number(one(sp.route));
  const after = Number(one(sp.after));
  const summary0 = await exceptionSummary(actor, {});
  const periodParam = one(sp.period);
  const period = periodParam && isPeriod(periodParam) ? periodParam : summary0.periods[0];
  const filter: ExceptionFilter = {
    period,
    code: code && (AUDIT_CODES as readonly string[]).includes(code) ? code : undefined,
    routeId: Number.isSafeInteger(route) && route > 0 ? route : undefined,
    afterId: Number.isSafeInteger(after) && after > 0 ? after : undefined,
  };
  const [locale, st] = [await getLocale(), await stationInfo(pool, actor.stationId)];
  const canReread = can(actor.role, "readings.reread");
  const rrLabels = rereadLabels(t);
  const [summary, rows, tariffs] = await Promise.all([
    exceptionSummary(actor, { ...filter, afterId: undefined }),
    listExceptions(actor, filter),
    prisma.tariff.findMany({ where: { OR: [{ stationId: null }, { stationId: actor.stationId }] }, orderBy: { code: "asc" }, select: { id: true, code: true, name: true } }),
  ]);
  const href = (o: Partial<Record<"period" | "code" | "route" | "after", string | number | undefined>>) => {
    const q = new URLSearchParams();
    const m = { period: filter.period, code: filter.code, route: filter.routeId, ...o };
    for (const [k, v] of Object.entries(m)) if (v !== undefined && v !== "") q.set(k, String(v));
    return `/audit?${q.toString()}`;
  };
  const labels: ClearLabels = {
    resolution: t("audit.resolution"), note: t("audit.note"), notePlaceholder: t("audit.notePlaceholder"),
    total: t("audit.total"), peak: t("audit.peak"), usageType: t("audit.usageType"), tariff: t("audit.tariff"),
    submit: t("audit.submit"), submitting: t("audit.submitting"),
    resolutions: Object.fromEntries(RESOLUTIONS.map((r) => [r, t(`audit.resolutions.${r}`)])),
    usageTypes: Object.fromEntries(["RESIDENTIAL", "COMMERCIAL", "INDUSTRIAL", "AGRICULTURAL", "PUBLIC"].map((u) => [u, t(`audit.usageTypes.${u}`)])),
  };
  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.description")}
        actions={<ButtonLink href="/audit/runs" variant="secondary">{t("audit.runsLink")}</ButtonLink>} />
      <div className="space-y-6">
        <Card>
          <CardBody>
            <form method="get" action="/audit" className="flex flex-wrap items-end gap-3" data-testid="audit-filters">
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">{t("audit.filters.period")}</span>
                <Select name="period" defaultValue={filter.period ?? ""}>
                  {summary0.periods.map((p) => <option key={p} value={p}>{p}</option>)}
                </Select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">{t("audit.filters.code")}</span>
                <Select name="code" defaultValue={filter.code ?? ""}>
                  <option value="">{t("audit.filters.all")}</option>
                  {AUDIT_CODES.map((c) => <option key={c} value={c}>{t(`audit.codes.${c}`)}</option>)}
                </Select>
              </label>
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-700">{t("audit.filters.route")}</span>
                <Select name="route" defaultValue={filter.routeId ? String(filter.routeId) : ""}>
                  <option value="">{t("audit.filters.all")}</option>
                  {summary.byRoute.map((r) => <option key={r.routeId} value={r.routeId}>{r.routeCode}</option>)}
                </Select>
              </label>
              <button type="submit" className="min-h-11 rounded-md bg-brand-600 px-4 text-white">{t("audit.filters.apply")}</button>
              <Link href="/audit" className="min-h-11 px-2 py-2.5 text-brand-700">{t("audit.filters.clear")}</Link>
            </form>
          </CardBody>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader title={t("audit.summary.byCode")} description={t("audit.summary.total", { n: summary.total })} />
            <CardBody className="flex flex-wrap gap-2" data-testid="by-code">
              {summary.byCode.map((c) => (
                <Link key={c.code} href={href({ code: c.code, after: undefined })} data-testid={`code-${c.code}`}>
                  <Badge tone={filter.code === c.code ? "info" : "neutral"}>{t(`audit.codes.${c.code}`)} {c.n}</Badge>
                </Link>
              ))}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title={t("audit.summary.byRoute")} />
            <CardBody className="flex flex-wrap gap-2">
              {summary.byRoute.map((r) => (
                <Link key={r.routeId} href={href({ route: r.routeId, after: undefined })}>
                  <Badge tone={filter.routeId === r.routeId ? "info" : "neutral"}>{r.routeCode} {r.n}</Badge>
                </Link>
              ))}
            </CardBody>
          </Card>
        </div>
        <Card>
          <CardBody className="space-y-4">
            {rows.length === 0 ? <p className="text-slate-500" data-testid="no-exceptions">{t("audit.none")}</p> : (
              <>
                <AcceptAllForm ids={rows.filter((r) => !r.resolution).map((r) => r.id)} labels={{
                  acceptAll: t("audit.acceptAll"), note: t("audit.note"), notePlaceholder: t("audit.notePlaceholder"), submitting: t("audit.submitting"),
                }} />
                <Table>
                  <THead>
                    <tr>
                      {["customer", "route", "bill", "code", "details", "action"].map((c) => (
                        <th key={c} className="px-3 py-2 text-sm font-medium text-slate-600">{t(`audit.col.${c}`)}</th>
                      ))}
                    </tr>
                  </THead>
                  <TBody>
                    {rows.map((r) => (
                      <tr key={r.id} className="align-top" data-testid={`exception-${r.id}`} data-code={r.code} data-customer={r.customerNo}>
                        <td className="px-3 py-2">
                          <div className="font-mono">{r.customerNo}</div>
                          <div>{r.name}</div>
                          <div className="text-sm text-slate-500">{r.address}</div>
                        </td>
                        <td className="px-3 py-2 font-mono">{r.routeCode}</td>
                        <td className="px-3 py-2 text-sm">
                          <div>{r.kwh} kWh</div>
                          <div>{r.amount} 元</div>
                          <Link className="text-brand-700" href={`/bills/${r.billId}`}>{t("audit.viewBill")}</Link>
                        </td>
                        <td className="px-3 py-2">
                          <Badge tone="warning">{t(`audit.codes.${r.code}`)}</Badge>
                          {r.otherCodes.length > 0 && (
                            <div className="mt-1 text-xs text-slate-500">{t("audit.also", { codes: r.otherCodes.map((c) => t(`audit.codes.${c}`)).join("、") })}</div>
                          )}
                        </td>
                        <td className="px-3 py-2 text-sm">
                          {describeException(r, t)}
                          {r.resolution === "REREAD" && <div className="mt-1 text-amber-700">{t("audit.rereadPending", { note: r.note ?? "" })}</div>}
                          {r.reread && <RereadStatusLine status={r.reread} t={t} at={(iso) => formatInstant(iso, st.timezone, locale)} />}
                        </td>
                        <td className="px-3 py-2">
                          <details>
                            <summary className="cursor-pointer text-brand-700" data-testid={`handle-${r.id}`}>{t("audit.handle")}</summary>
                            <div className="mt-2 w-80">
                              <ClearForm exceptionId={r.id} suggested={r.resolution === "REREAD" ? (r.reread?.doneAt ? "ACCEPT" : "CORRECT_READING") : SUGGESTED[r.code] ?? "ACCEPT"}
                                labels={labels} usageType={r.usageType} tariffId={r.tariffId}
                                tariffs={tariffs.map((x) => ({ id: x.id, label: `${x.code} ${x.name}` }))} />
                            </div>
                          </details>
                          {canReread && r.reread && !r.reread.doneAt && (
                            <details className="mt-2">
                              <summary className="cursor-pointer text-brand-700" data-testid={`reread-handle-${r.id}`}>{t("audit.rereadRecord")}</summary>
                              <div className="mt-2 w-80"><RereadForm visitId={r.reread.visitId} labels={rrLabels} /></div>
                            </details>
                          )}
                        </td>
                      </tr>
                    ))}
                  </TBody>
                </Table>
                {rows.length === 50 && (
                  <Link className="text-brand-700" href={href({ after: rows[rows.length - 1].id })}>{t("audit.more")}</Link>
                )}
              </>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
