import { ButtonLink } from "@/components/ui/button";
import { getT } from "@/lib/i18n/server";

export default async function NotFound() {
  const t = await getT();
  return (
    <div className="mx-auto mt-10 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm font-medium text-slate-500">404</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">{t("shell.notFound.title")}</h1>
      <p className="mt-4 text-base text-slate-700">{t("shell.notFound.body")}</p>
      <ButtonLink href="/" className="mt-6">
        {t("shell.notFound.backHome")}
      </ButtonLink>
    </div>
  );
}
