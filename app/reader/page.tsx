import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { readerWorkload } from "@/lib/data/readings";
import { getLocale } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { ReaderApp } from "@/components/reader/reader-app";
import { ButtonLink } from "@/components/ui/button";
import { siteChecksFor } from "@/lib/data/closures";
import { stationToday } from "@/lib/data/ledger";
import { rereadsFor } from "@/lib/data/rereads";
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
  // closure site checks due today or overdue and open re-reads: a banner to their list (they
  // need a connection; offline the cached page keeps the last counts)
  const [checks, rereads] = await Promise.all([
    siteChecksFor(actor, await stationToday(actor.stationId)).catch(() => []),
    rereadsFor(actor).catch(() => []),
  ]);
  return (
    <>
      {checks.length + rereads.length > 0 && (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3" data-testid="visits-banner">
          <span className="space-x-3 text-amber-900">
            {checks.length > 0 && <span data-testid="site-check-banner">{translate(locale, "closures.visits.banner", { n: checks.length })}</span>}
            {rereads.length > 0 && <span data-testid="reread-banner">{translate(locale, "readings.reread.banner", { n: rereads.length })}</span>}
          </span>
          <ButtonLink href="/reader/visits" size="lg">{translate(locale, "closures.visits.open")}</ButtonLink>
        </div>
      )}
      <ReaderApp initial={work} messages={messages} />
    </>
  );
}
