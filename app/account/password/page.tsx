import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import Link from "next/link";
import { requireSessionAt } from "@/lib/auth/page-guard";
import { needsMfa } from "@/lib/auth/session-rules";
import { getT } from "@/lib/i18n/server";
import { changeOwnPasswordAction } from "../actions";
import { ChangePasswordForm } from "../_components/account-forms";
import { HeldSignOut } from "../_components/held-sign-out";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.account.password.title") };
}

/** Everyone's own password; the only page a session with an initial or reset password reaches. */
export default async function OwnPasswordPage() {
  const s = await requireSessionAt(["CHANGE_PASSWORD"]);
  const t = await getT();
  const held = s.pending === "CHANGE_PASSWORD";
  return (
    <>
      <PageHeader
        title={t("auth.account.password.title")}
        description={t("auth.account.signedInAs", { name: s.actor.name, username: s.actor.username })}
        actions={held ? <HeldSignOut label={t("shell.signOut")} busy={t("shell.signingOut")} /> : undefined}
      />
      {held ? (
        <Alert tone="warning" className="mb-6" data-testid="must-change-password">{t("auth.account.password.mustChange")}</Alert>
      ) : (
        <p className="mb-6 text-base text-slate-600">{t("auth.account.password.intro")}</p>
      )}
      <Card>
        <CardBody>
          <ChangePasswordForm
            action={changeOwnPasswordAction}
            labels={{
              current: t("auth.account.password.current"),
              next: t("auth.account.password.next"),
              nextHint: t("auth.account.password.nextHint"),
              confirm: t("auth.account.password.confirm"),
              submit: t("auth.account.password.submit"),
              saving: t("auth.account.password.saving"),
            }}
          />
        </CardBody>
      </Card>
      {!held && needsMfa(s.actor.role) && (
        <p className="mt-6 text-base">
          <Link href="/account/two-factor" className="text-brand-700 underline" data-testid="two-factor-link">
            {t("auth.account.twoFactor.title")}
          </Link>
        </p>
      )}
    </>
  );
}
