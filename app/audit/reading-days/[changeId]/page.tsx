import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { changeCustomers } from "@/lib/data/routes";
import { prisma } from "@/lib/db";
import { getLocale, getT } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { ConfirmForm } from "../_components/forms";

export const metadata: Metadata = { title: "客户确认" };

export default async function ChangeConfirmationsPage({ params }: { params: Promise<{ changeId: string }> }) {
  const actor = await requirePagePermission("readingDay.approve");
  const t = await getT();
  const locale = await getLocale();
  const id = Number((await params).changeId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const change = await prisma.readingDayChange.findFirst({ where: { id, stationId: actor.stationId }, include: { route: true } });
  if (!change) notFound();
  const customers = await changeCustomers(actor.stationId, id);
  return (
    <>
      <PageHeader
        title={`${t("readings.days.confirmTitle")} · ${change.route.code} ${change.route.name}`}
        description={t("readings.days.change", { old: change.oldDay, new: change.newDay, from: change.fromPeriod })}
        actions={<Link href="/audit/reading-days" className="text-brand-700 underline">{t("readings.days.title")}</Link>}
      />
      <ConfirmForm changeId={id} messages={catalogs[locale].readings}
        customers={customers.map((c) => ({ id: c.id, customerNo: c.customer_no, name: c.name, channel: c.channel, confirmedAt: c.confirmed_at ? c.confirmed_at.toISOString() : null }))} />
    </>
  );
}
