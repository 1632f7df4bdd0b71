import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { SearchBox } from "@/components/counter/search-box";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { SEARCH_LIMIT, searchCustomers } from "@/lib/data/customers";
import { getT } from "@/lib/i18n/server";
import { counterLabels } from "@/components/counter/labels";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.title") };
}

export default async function CounterPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const actor = await requirePagePermission("customers.search");
  const t = await getT();
  const q = ((await searchParams).q ?? "").slice(0, 60);
  const r = q.trim() ? await searchCustomers(actor.stationId, q) : { hits: [], more: false };
  const L = await counterLabels();
  return (
    <>
      <PageHeader title={t("counter.title")} />
      <SearchBox labels={{ ...L.search, status: L.status }} initialQuery={q} initialHits={r.hits} initialMore={r.more} limit={SEARCH_LIMIT} />
    </>
  );
}
