import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { readerWorkload } from "@/lib/data/readings";
import { getLocale } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { ReaderApp } from "@/components/reader/reader-app";

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
  return <ReaderApp initial={work} messages={messages} />;
}
