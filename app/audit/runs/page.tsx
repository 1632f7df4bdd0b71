import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, THead } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { listRuns, stationToday } from "@/lib/data/billing";
import { prisma } from "@/lib/db";
import { addMonths, periodOf } from "@/lib/domain/calendar";
import { getT } from "@/lib/i18n/server";
import { RunActions, RunProgress } from "./_components/run-controls";
import { StartRunForm } from "./_components/start-run-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("billing.runs.title") };
}

export default async function RunsPage() {
  const actor = await requirePagePermission("billing.run");
  const t = await getT();
  const [runs, routes, { today }] = await Promise.all([
    listRuns(actor),
    prisma.route.findMany({ where: { stationId: actor.stationId }, orderBy: { code: "asc" }, select: { id: true, code: true, name: true, readingDay: true } }),
    stationToday(actor.stationId),
  ]);
  // bills are computed the day after reading: before the 15th the usual period is last month's
  const defaultPeriod = Number(today.slice(8, 10)) >= 15 ? periodOf(today) : addMonths(periodOf(today), -1);
  const statuses = Object.fromEntries(["QUEUED", "RUNNING", "CANCELLING", "CANCELLED", "COMPLETED", "FAILED"].map((s) => [s, t(`billing.runs.status.${s}`)]));
  return (
    <>
      <PageHeader title={t("billing.runs.title")} description={t("billing.runs.description")} />
      <div className="space-y-6">
        <Card>
          <CardHeader title={t("billing.runs.start")} />
          <CardBody>
            <StartRunForm
              defaultPeriod={defaultPeriod}
              routes={routes.map((r) => ({ id: r.id, label: t("billing.runs.routeLabel", { code: r.code, name: r.name, day: r.readingDay }) }))}
              labels={{
                period: t("billing.runs.period"), routes: t("billing.runs.routes"), routesHint: t("billing.runs.routesHint"),
                submit: t("billing.runs.submit"), submitting: t("billing.runs.submitting"),
              }}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title={t("billing.runs.list")} />
          <CardBody>
            {runs.length === 0 ? <p className="text-slate-500">{t("billing.runs.none")}</p> : (
              <Table>
                <THead>
                  <tr>
                    {["id", "period", "scope", "progress", "bills", "actions"].map((c) => (
                      <th key={c} className="px-3 py-2 text-sm font-medium text-slate-600">{t(`billing.runs.col.${c}`)}</th>
                    ))}
                  </tr>
                </THead>
                <TBody>
                  {runs.map((r) => (
                    <tr key={r.id} data-testid={`run-${r.id}`} className="align-top">
                      <td className="px-3 py-2 font-mono">#{r.id}</td>
                      <td className="px-3 py-2 font-mono">{r.period}</td>
                      <td className="px-3 py-2 text-sm">{r.routeCodes.length ? r.routeCodes.join("、") : t("billing.runs.wholeStation")}</td>
                      <td className="px-3 py-2">
                        <RunProgress runId={r.id} initial={{ status: r.status, total: r.total, done: r.done, billed: r.billed, held: r.held }}
                          labels={{ progress: t("billing.runs.progress"), statuses }} />
                        {r.error && <Alert tone="error" className="mt-2 text-sm">{t(`errors.${r.error}`) === `errors.${r.error}` ? t("billing.runs.failed") : t(`errors.${r.error}`)}</Alert>}
                      </td>
                      <td className="px-3 py-2 text-sm">
                        <div>{t("billing.runs.billed", { n: r.billed })}</div>
                        <div>{t("billing.runs.held", { n: r.held })}</div>
                        <div>{t("billing.runs.released", { n: r.released })}</div>
                      </td>
                      <td className="px-3 py-2">
                        <RunActions runId={r.id} status={r.status} releasable={r.releasable} labels={{
                          stop: t("billing.runs.stop"), rerun: t("billing.runs.rerun"),
                          release: t("billing.runs.release"), confirmRelease: t("billing.runs.confirmRelease"),
                        }} />
                      </td>
                    </tr>
                  ))}
                </TBody>
              </Table>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
