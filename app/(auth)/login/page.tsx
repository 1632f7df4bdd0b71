import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/nav";
import { getT } from "@/lib/i18n/server";
import { LoginForm, type LoginMessages } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.login.title") };
}

const CODES = ["INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS", "USER_INACTIVE", "MISSING", "GENERIC"] as const;

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentActor();
  if (actor) redirect(homeFor(actor.role));
  const t = await getT();
  const sp = await searchParams;
  const expired = sp.expired === "1";
  // next-auth redirects here with ?error=CODE when the form was posted without JavaScript
  const error = typeof sp.error === "string" ? (CODES.includes(sp.error as never) ? sp.error : "GENERIC") : null;
  const messages: LoginMessages = {
    username: t("auth.login.username"),
    password: t("auth.login.password"),
    submit: t("auth.login.submit"),
    submitting: t("auth.login.submitting"),
    errors: Object.fromEntries(CODES.map((c) => [c, t(`auth.errors.${c}`)])),
  };
  return (
    <div className="mx-auto mt-8 max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold text-slate-900">{t("auth.login.title")}</h1>
        <p className="mt-1 text-base text-slate-500">{t("auth.login.subtitle")}</p>
        <LoginForm
          messages={messages}
          notice={expired ? t("auth.errors.EXPIRED") : null}
          initialError={error ? messages.errors[error] : null}
        />
      </div>
    </div>
  );
}
