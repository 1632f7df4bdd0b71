import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SiteCheckForm } from "@/components/closures/site-check-form";
import { siteCheckLabels } from "@/components/closures/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { siteChecksFor } from "@/lib/data/closures";
import { stationToday } from "@/lib/data/ledger";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("closures.visits.title") };
}

export const dynamic = "force-dynamic";

/** The reader's closure site checks: today's and overdue ones, one card each, the form beside the
 *  meter's last register (online only: a site check is rare and decides a closure). */
export default async function ReaderVisitsPage() {
  const actor = await requirePagePermission("closures.siteCheck");
  const t = await getT();
  const today = await stationToday(actor.stationId);
  const visits = await siteChecksFor(actor, today);
  const labels = siteCheckLabels(t);
  return (
    <>
      <PageHeader title={t("closures.visits.title")} description={t("closures.visits.description")}
        actions={<ButtonLink href="/reader" variant="secondary">{t("closures.visits.back")}</ButtonLink>} />
      <div className="space-y-4" data-testid="site-check-visits">
        {visits.length === 0 && <Card><CardBody><p className="text-slate-500">{t("closures.visits.none")}</p></CardBody></Card>}
        {visits.map((v) => (
          <Card key={v.visitId} data-testid={`visit-${v.visitId}`}>
            <CardHeader title={<><span className="font-mono">{v.customerNo}</span> {v.name}</>} description={`${v.address} · ${v.routeCode}`}
              actions={<Badge tone={v.plannedOn < today ? "warning" : "info"}>{v.plannedOn < today ? t("closures.visits.overdue") : t("closures.visits.planned", { date: v.plannedOn })}</Badge>} />
            <CardBody>
              <SiteCheckForm visitId={v.visitId} labels={labels}
                lastReading={[v.meterNo ? t("closures.visits.meter", { meterNo: v.meterNo }) : null, v.lastReading ? t("closures.visits.lastReading", { value: v.lastReading }) : null].filter(Boolean).join(" · ") || null} />
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}
