import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { readerWorkload } from "@/lib/data/readings";
import { getLocale } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { ReaderApp } from "@/components/reader/reader-app";
import { ButtonLink } from "@/components/ui/button";
import { siteChecksFor } from "@/lib/data/closures";
import { stationToday } from "@/lib/data/ledger";
import { translate } from "@/lib/i18n/core";

export const metadata: Metadata = { title: "抄表" };
// always fresh when online; the service worker keeps the last copy for offline reloads
export const dynamic = "force-dynamic";

export default async function ReaderPage() {
  const actor = await requirePagePermission("readings.record");
  const locale = await getLocale();
  const work = await readerWorkload(actor);
  const c = catalogs[locale];
  const messages = {
    reader: c.reader,
    readings: {
      reason: c.readings.reason, confirm: c.readings.confirm, missed: c.readings.missed, observation: c.readings.observation,
      checks: { catchUp: c.readings.checks.catchUp, estimate: c.readings.checks.estimate, decidedCatchUp: c.readings.checks.decidedCatchUp, decidedEstimate: c.readings.checks.decidedEstimate },
    },
  };
  // closure site checks due today or overdue: a banner to their list (they need a connection)
  const checks = await siteChecksFor(actor, await stationToday(actor.stationId)).catch(() => []);
  return (
    <>
      {checks.length > 0 && (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3" data-testid="site-check-banner">
          <span className="text-amber-900">{translate(locale, "closures.visits.banner", { n: checks.length })}</span>
          <ButtonLink href="/reader/visits" size="lg">{translate(locale, "closures.visits.open")}</ButtonLink>
        </div>
      )}
      <ReaderApp initial={work} messages={messages} />
    </>
  );
}
