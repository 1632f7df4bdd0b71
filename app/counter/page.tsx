import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { SearchBox } from "@/components/counter/search-box";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { SEARCH_LIMIT, searchCustomers } from "@/lib/data/customers";
import { getT } from "@/lib/i18n/server";
import { searchSchema } from "@/lib/validation/customer";
import { counterLabels } from "@/components/counter/labels";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("counter.title") };
}

export default async function CounterPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const actor = await requirePagePermission("customers.search");
  const t = await getT();
  const raw = ((await searchParams).q ?? "").slice(0, 60);
  // the API's rule: a control character is refused with a message, never sent to the database
  const parsed = searchSchema.safeParse({ q: raw });
  const q = parsed.success ? raw : "";
  const r = parsed.success && q.trim() ? await searchCustomers(actor.stationId, q) : { hits: [], more: false };
  const L = await counterLabels();
  return (
    <>
      <PageHeader title={t("counter.title")} />
      <SearchBox labels={{ ...L.search, status: L.status }} initialQuery={q} initialHits={r.hits} initialMore={r.more} limit={SEARCH_LIMIT}
        initialError={parsed.success ? undefined : t(parsed.error.issues[0].message)} />
    </>
  );
}
