import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { getStationSummary } from "@/lib/data/station-summary";
import { localDate } from "@/lib/domain/calendar";
import { getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("dashboard.title") };
}

// The manager's home: headline counts straight from the database. The full dashboard
// (recovery rate, arrears by district, grades, charts) comes with a later issue.
export default async function DashboardPage() {
  const actor = await requirePagePermission("dashboard.view");
  const t = await getT();
  const s = await getStationSummary(actor.stationId);
  const asOf = localDate(new Date(), s.timezone);
  const tiles: { key: keyof typeof s; unit: string; href?: string }[] = [
    { key: "customers", unit: "customers" },
    { key: "activeCustomers", unit: "customers" },
    { key: "openExceptions", unit: "items" },
    { key: "pendingApprovals", unit: "items", href: "/approvals" },
    { key: "pendingReadingDayChanges", unit: "items" },
    { key: "activeUsers", unit: "people" },
  ];
  return (
    <>
      <PageHeader title={t("dashboard.title")} description={t("dashboard.subtitle", { station: s.stationName, asOf })} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {tiles.map((tile) => {
          const body = (
            <Card className="h-full p-5" data-testid={`count-${tile.key}`}>
              <p className="text-base text-slate-500">{t(`dashboard.counts.${tile.key}`)}</p>
              <p className="mt-2 text-3xl font-semibold text-slate-900 tabular">
                {Number(s[tile.key]).toLocaleString("zh-CN")}
                <span className="ml-1 text-base font-normal text-slate-500">{t(`dashboard.unit.${tile.unit}`)}</span>
              </p>
            </Card>
          );
          return tile.href ? (
            <Link key={tile.key} href={tile.href} className="rounded-lg focus-visible:outline-2 focus-visible:outline-brand-600">
              {body}
            </Link>
          ) : (
            <div key={tile.key}>{body}</div>
          );
        })}
      </div>
      <p className="mt-6 text-base text-slate-500">{t("dashboard.later")}</p>
    </>
  );
}
