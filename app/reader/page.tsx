import { requirePagePermission } from "@/lib/auth/page-guard";
import { PageHeader } from "@/components/ui/page-header";
import { getT } from "@/lib/i18n/server";

// Placeholder from the platform shell: the owner of this area replaces the whole file.
export default async function Page() {
  await requirePagePermission("readings.record");
  const t = await getT();
  return (
    <>
      <PageHeader title={t("shell.placeholder.reader")} />
      <p className="text-slate-500">{t("shell.placeholder.building")}</p>
    </>
  );
}
