import Link from "next/link";
import type { Actor } from "@/lib/auth/guard";
import type { Locale, T } from "@/lib/i18n/core";
import { homeFor, navFor } from "@/lib/nav";
import { LocaleSwitch } from "./locale-switch";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/**
 * The header on every page: product name, the signed-in user with role, language switch,
 * sign-out; below it the role's own navigation. Signed out (login page): name and language only.
 */
export function AppHeader({ actor, locale, t }: { actor: Actor | null; locale: Locale; t: T }) {
  const items = actor ? navFor(actor.role).map((e) => ({ href: e.href, label: t(e.labelKey) })) : [];
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <div className="bg-brand-700 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-2">
          <Link href={actor ? homeFor(actor.role) : "/login"} className="flex min-h-11 items-center gap-2 text-lg font-semibold">
            <span aria-hidden className="grid size-8 place-items-center rounded-md bg-white/15 text-base">⚡</span>
            {t("common.appName")}
          </Link>
          <div className="flex flex-wrap items-center gap-3">
            {actor && (
              <span className="text-sm" data-testid="current-user">
                <span className="font-medium">{actor.name}</span>
                <span className="ml-2 rounded bg-white/15 px-2 py-0.5" data-testid="current-role">
                  {t(`shell.roles.${actor.role}`)}
                </span>
              </span>
            )}
            {actor && (
              <Link href="/account/password" className="text-sm underline-offset-2 hover:underline" data-testid="account-link">
                {t("auth.account.link")}
              </Link>
            )}
            <LocaleSwitch locale={locale} t={t} />
            {actor && <SignOutButton label={t("shell.signOut")} busyLabel={t("shell.signingOut")} />}
          </div>
        </div>
      </div>
      {items.length > 0 && (
        <div className="mx-auto max-w-7xl px-4">
          <NavLinks items={items} label={t("shell.nav.label")} />
        </div>
      )}
    </header>
  );
}
