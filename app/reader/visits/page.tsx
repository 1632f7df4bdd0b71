import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { SiteCheckForm } from "@/components/closures/site-check-form";
import { siteCheckLabels } from "@/components/closures/labels";
import { RereadCard } from "@/components/rereads/reread-card";
import { rereadLabels } from "@/components/rereads/labels";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/permissions";
import { siteChecksFor } from "@/lib/data/closures";
import { stationToday } from "@/lib/data/ledger";
import { rereadsFor } from "@/lib/data/rereads";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("closures.visits.title") };
}

export const dynamic = "force-dynamic";

/** The reader's field tasks beyond the route: closure site checks and audit-ordered re-reads
 *  (复抄), one card each with its form (online only: both decide something at once — a
 *  closure, a bill — so neither goes through the offline queue). */
export default async function ReaderVisitsPage() {
  const actor = await requirePagePermission("closures.siteCheck");
  const t = await getT();
  const today = await stationToday(actor.stationId);
  const [visits, rereads] = await Promise.all([
    siteChecksFor(actor, today),
    can(actor.role, "readings.reread") ? rereadsFor(actor) : Promise.resolve([]),
  ]);
  const labels = siteCheckLabels(t);
  const rrLabels = rereadLabels(t);
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
      <section className="mt-8 space-y-4" aria-labelledby="rereads-title" data-testid="reread-visits">
        <div>
          <h2 id="rereads-title" className="text-xl font-semibold text-slate-900">{t("readings.reread.title")}</h2>
          <p className="text-base text-slate-600">{t("readings.reread.description")}</p>
        </div>
        {rereads.length === 0 && <Card><CardBody><p className="text-slate-500">{t("readings.reread.none")}</p></CardBody></Card>}
        {rereads.map((r) => <RereadCard key={r.visitId} visit={r} today={today} t={t} labels={rrLabels} />)}
      </section>
    </>
  );
}
