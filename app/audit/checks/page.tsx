import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { checkScopes, runReadingChecks } from "@/lib/data/reading-checks";
import { stationContext } from "@/lib/data/routes";
import { periodOf } from "@/lib/domain/calendar";
import { checksQuerySchema } from "@/lib/validation/reading";
import { getLocale, getT } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { CheckRows } from "./_components/check-rows";

export const metadata: Metadata = { title: "例日抄表检查" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export default async function ChecksPage({ searchParams }: { searchParams: Search }) {
  const actor = await requirePagePermission("readings.checks");
  const t = await getT();
  const locale = await getLocale();
  const sp = await searchParams;
  const ctx = await stationContext(actor.stationId);
  const raw = {
    period: typeof sp.period === "string" && sp.period ? sp.period : periodOf(ctx.today),
    scope: typeof sp.scope === "string" && sp.scope ? sp.scope : "station",
    filter: typeof sp.filter === "string" && sp.filter ? sp.filter : "EXCEPTIONS",
  };
  const q = checksQuerySchema.safeParse(raw);
  const scopes = await checkScopes(actor.stationId);
  const data = q.success ? await runReadingChecks(actor.stationId, q.data.period, q.data.scope, { filter: q.data.filter }) : null;
  const readerName = (id: number | null, name: string | null) => (id === null ? t("readings.checks.remoteReader") : name ?? "");
  const exportHref = `/api/checks/export?${new URLSearchParams({ period: raw.period, scope: raw.scope })}`;
  return (
    <>
      <PageHeader title={t("readings.checks.title")} description={t("readings.checks.description")} />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <label className="text-sm font-medium text-slate-700">{t("readings.checks.period")}
          <input type="month" name="period" defaultValue={raw.period} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3" />
        </label>
        <label className="text-sm font-medium text-slate-700">{t("readings.checks.scope")}
          <select name="scope" defaultValue={raw.scope} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3">
            <option value="station">{t("readings.checks.scopeStation")}</option>
            <optgroup label={t("readings.checks.scopeRoute")}>
              {scopes.routes.map((r) => <option key={r.id} value={`route:${r.id}`}>{r.code} {r.name}</option>)}
            </optgroup>
            <optgroup label={t("readings.checks.scopeReader")}>
              {scopes.readers.map((r) => <option key={r.id} value={`reader:${r.id}`}>{r.name}</option>)}
            </optgroup>
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">{t("readings.checks.details")}
          <select name="filter" defaultValue={raw.filter} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3">
            <option value="EXCEPTIONS">{t("readings.checks.filterExceptions")}</option>
            <option value="ALL">{t("readings.checks.filterAll")}</option>
            {(["NOT_TAKEN", "ESTIMATED", "OFF_DAY", "ON_TIME"] as const).map((s) => <option key={s} value={s}>{t(`readings.status.${s}`)}</option>)}
          </select>
        </label>
        <Button type="submit">{t("readings.checks.run")}</Button>
        <a href={exportHref} className={buttonClass("secondary")} data-testid="checks-export">{t("readings.checks.export")}</a>
      </form>
      {!q.success && <Alert tone="error">{t("errors.INVALID_INPUT")}</Alert>}
      {data && (
        <>
          <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7" data-testid="checks-total">
            {([
              ["due", data.total.due], ["taken", data.total.taken], ["completionRate", pct(data.total.completionRate)],
              ["onTimeRate", pct(data.total.onTimeRate)], ["notTaken", data.total.notTaken], ["estimated", data.total.estimated],
              ["estimateExceptions", data.total.estimateExceptions],
            ] as const).map(([k, v]) => (
              <div key={k} className="rounded-lg border border-slate-200 bg-white p-3">
                <dt className="text-sm text-slate-500">{t(`readings.checks.${k}`)}</dt>
                <dd className="tabular text-2xl font-semibold" data-testid={`total-${k}`}>{typeof v === "number" ? v.toLocaleString() : v}</dd>
              </div>
            ))}
          </dl>
          <Card className="mb-6">
            <CardHeader title={t("readings.checks.routes")} description={t("readings.checks.elapsed", { ms: data.elapsedMs })} />
            <Table data-testid="checks-routes">
              <THead>
                <tr>
                  <Th>{t("readings.checks.scopeRoute")}</Th><Th>{t("readings.checks.scopeReader")}</Th><Th>{t("readings.checks.scheduled")}</Th>
                  <Th>{t("readings.checks.actualDay")}</Th>
                  {(["due", "taken", "onTime", "estimated", "notTaken", "estimateExceptions", "completionRate", "onTimeRate"] as const).map((k) => (
                    <Th key={k} className="text-right">{t(`readings.checks.${k}`)}</Th>
                  ))}
                  <Th>{t("readings.checks.window")}</Th>
                </tr>
              </THead>
              <TBody>
                {data.routes.map((r) => (
                  <Tr key={r.routeId} data-route={r.code}>
                    <Td className="min-w-48">{r.code} <span className="text-slate-500">{r.name}</span>
                      {r.offDayWithoutApproval && <Badge tone="danger" className="ml-2">{t("readings.checks.offDay")}</Badge>}
                      {r.pendingChange && <Badge tone="info" className="ml-2">{t("readings.checks.pending")}</Badge>}
                      {r.unconfirmed > 0 && <Badge tone="warning" className="ml-2">{t("readings.checks.unconfirmed", { n: r.unconfirmed })}</Badge>}
                    </Td>
                    <Td className="whitespace-nowrap">{readerName(r.readerId, r.readerName)}</Td>
                    <Td className="tabular whitespace-nowrap">{r.scheduledOn}</Td>
                    <Td className="tabular whitespace-nowrap">{r.actualDay ?? "—"}</Td>
                    <Td numeric>{r.due}</Td><Td numeric>{r.taken}</Td><Td numeric>{r.onTime}</Td><Td numeric>{r.estimated}</Td>
                    <Td numeric>{r.notTaken}</Td><Td numeric>{r.estimateExceptions}</Td>
                    <Td numeric>{pct(r.completionRate)}</Td><Td numeric>{pct(r.onTimeRate)}</Td>
                    <Td className="whitespace-nowrap">
                      {t("readings.checks.windowDays", { n: r.window.windowDays })}
                      {r.window.short && <Badge tone="warning" className="ml-2">{t("readings.checks.shortWindow")}</Badge>}
                      <div className="text-xs text-slate-500">{t("readings.checks.issueDue", { issue: r.window.issueDate, due: r.window.dueDate })}</div>
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </Card>
          <Card className="mb-6">
            <CardHeader title={t("readings.checks.readers")} />
            <Table data-testid="checks-readers">
              <THead>
                <tr>
                  <Th>{t("readings.checks.scopeReader")}</Th><Th className="text-right">{t("readings.checks.routeCount")}</Th>
                  {(["due", "taken", "onTime", "estimated", "notTaken", "completionRate", "onTimeRate"] as const).map((k) => (
                    <Th key={k} className="text-right">{t(`readings.checks.${k}`)}</Th>
                  ))}
                </tr>
              </THead>
              <TBody>
                {data.readers.map((r) => (
                  <Tr key={r.readerId ?? 0}>
                    <Td>{readerName(r.readerId, r.readerName)}</Td><Td numeric>{r.routes}</Td>
                    <Td numeric>{r.due}</Td><Td numeric>{r.taken}</Td><Td numeric>{r.onTime}</Td><Td numeric>{r.estimated}</Td>
                    <Td numeric>{r.notTaken}</Td><Td numeric>{pct(r.completionRate)}</Td><Td numeric>{pct(r.onTimeRate)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </Card>
          <Card>
            <CardHeader title={t("readings.checks.details")} />
            <CheckRows key={`${raw.period}|${raw.scope}|${raw.filter}`} rows={data.rows} next={data.next} query={raw}
              messages={catalogs[locale].readings} canDecide={can(actor.role, "readings.decideMissed")} timeZone={ctx.timezone} />
          </Card>
        </>
      )}
    </>
  );
}
