import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/guard";
import { landingFor } from "@/lib/auth/page-guard";
import { getT } from "@/lib/i18n/server";
import { loginErrorMessage } from "./error-message";
import { LoginForm, type LoginMessages } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.login.title") };
}

const CODES = [
  "INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS", "TOO_MANY_ATTEMPTS_WAIT", "USER_INACTIVE", "MISSING", "GENERIC",
  "MFA_MISSING", "MFA_INVALID", "MFA_REUSED", "MFA_UNAVAILABLE",
] as const;

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await currentSession();
  if (session) redirect(landingFor(session));
  const t = await getT();
  const sp = await searchParams;
  const expired = sp.expired === "1";
  const messages: LoginMessages = {
    username: t("auth.login.username"),
    password: t("auth.login.password"),
    submit: t("auth.login.submit"),
    submitting: t("auth.login.submitting"),
    code: t("auth.login.code"),
    codeHint: t("auth.login.codeHint"),
    codeIntro: t("auth.login.codeIntro"),
    codeSubmit: t("auth.login.codeSubmit"),
    back: t("auth.login.back"),
    errors: Object.fromEntries(CODES.map((c) => [c, t(`auth.errors.${c}`)])),
  };
  // next-auth redirects here with ?error=CODE when the form was posted without JavaScript
  const error = typeof sp.error === "string" ? loginErrorMessage(messages.errors, sp.error) : null;
  return (
    <div className="mx-auto mt-8 max-w-md">
      <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold text-slate-900">{t("auth.login.title")}</h1>
        <p className="mt-1 text-base text-slate-500">{t("auth.login.subtitle")}</p>
        <LoginForm messages={messages} notice={expired ? t("auth.errors.EXPIRED") : null} initialError={error} />
      </div>
    </div>
  );
}
