import { ButtonLink } from "@/components/ui/button";
import { currentActor } from "@/lib/auth/guard";
import { getT } from "@/lib/i18n/server";
import { homeFor } from "@/lib/nav";

// Rendered (with HTTP 403) when a page calls forbidden() through requirePagePermission.
export default async function Forbidden() {
  const t = await getT();
  const actor = await currentActor();
  const role = actor ? t(`shell.roles.${actor.role}`) : t("shell.forbidden.anonymous");
  return (
    <div className="mx-auto mt-10 max-w-xl rounded-lg border border-red-200 bg-white p-8 shadow-sm" data-testid="forbidden">
      <p className="text-sm font-medium text-red-700">{t("shell.forbidden.code")}</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">{t("shell.forbidden.title")}</h1>
      <p className="mt-4 text-base text-slate-700">{t("shell.forbidden.body", { role })}</p>
      <p className="mt-2 text-base text-slate-500">{t("shell.forbidden.hint")}</p>
      <ButtonLink href={actor ? homeFor(actor.role) : "/login"} className="mt-6">
        {t("shell.forbidden.backHome")}
      </ButtonLink>
    </div>
  );
}
