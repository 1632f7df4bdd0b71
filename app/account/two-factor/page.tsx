import type { Metadata } from "next";
import { renderSVG } from "uqr";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { twoFactorStatus } from "@/lib/auth/account";
import { requireSessionAt } from "@/lib/auth/page-guard";
import { groupSecret, otpauthUri } from "@/lib/auth/totp";
import { getStation } from "@/lib/data/station-summary";
import { getLocale, getT } from "@/lib/i18n/server";
import { enrolTotpAction, regenerateRecoveryCodesAction } from "../actions";
import { TotpCodeForm } from "../_components/account-forms";
import { HeldSignOut } from "../_components/held-sign-out";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("auth.account.twoFactor.title") };
}

/**
 * Two-step verification of one's own account: enrolment at the first sign-in of a manager or
 * administrator (the only page such a session reaches until it is done), afterwards its status
 * and new recovery codes. The secret is shown as a QR code (rendered here, nothing leaves the
 * server) and as text, only while enrolling.
 */
export default async function TwoFactorPage() {
  const s = await requireSessionAt(["ENROL_TOTP"]);
  const [t, locale] = [await getT(), await getLocale()];
  const status = await twoFactorStatus(s);
  const formLabels = {
    code: t("auth.account.twoFactor.code"),
    saving: t("auth.account.twoFactor.saving"),
    codesTitle: t("auth.account.twoFactor.codesTitle"),
    codesIntro: t("auth.account.twoFactor.codesIntro"),
    codesDone: t("auth.account.twoFactor.codesDone"),
  };
  const header = (
    <PageHeader
      title={t("auth.account.twoFactor.title")}
      description={t("auth.account.signedInAs", { name: s.actor.name, username: s.actor.username })}
      actions={s.pending ? <HeldSignOut label={t("shell.signOut")} busy={t("shell.signingOut")} /> : undefined}
    />
  );
  if (status.kind === "NOT_NEEDED") {
    return (
      <>
        {header}
        <p className="text-base text-slate-600">{t("auth.account.twoFactor.notNeeded")}</p>
      </>
    );
  }
  if (status.kind === "ENROLLED") {
    const station = await getStation(s.actor.stationId);
    return (
      <>
        {header}
        <Card>
          <CardBody className="space-y-4">
            <p className="text-base" data-testid="two-factor-enrolled">
              {t("auth.account.twoFactor.enrolled", { date: formatInstant(status.enrolledAt, station.timezone, locale) })}{" "}
              {t("auth.account.twoFactor.codesLeft", { n: status.recoveryCodesLeft })}
            </p>
            <p className="text-base text-slate-600">{t("auth.account.twoFactor.regenerateIntro")}</p>
            <TotpCodeForm action={regenerateRecoveryCodesAction} testId="regenerate-form" labels={{ ...formLabels, submit: t("auth.account.twoFactor.regenerate") }} />
            <p className="text-sm text-slate-500">{t("auth.account.twoFactor.lost")}</p>
          </CardBody>
        </Card>
      </>
    );
  }
  const issuer = t("common.appName");
  const uri = otpauthUri(status.secret, s.actor.username, issuer);
  return (
    <>
      {header}
      <p className="mb-4 max-w-3xl text-base text-slate-600">{t("auth.account.twoFactor.intro")}</p>
      <Alert tone="info" className="mb-6">{t("auth.account.twoFactor.enrolIntro")}</Alert>
      <Card>
        <CardBody>
          <ol className="list-decimal space-y-6 pl-6 text-base">
            <li>{t("auth.account.twoFactor.step1")}</li>
            <li className="space-y-3">
              <p>{t("auth.account.twoFactor.step2")}</p>
              <div
                role="img"
                aria-label={t("auth.account.twoFactor.qrAlt")}
                className="size-56 bg-white"
                data-testid="totp-qr"
                // an SVG string made here from the otpauth address: no user input in it but the
                // username, which uqr encodes as QR modules, not as markup
                dangerouslySetInnerHTML={{ __html: renderSVG(uri, { border: 2 }) }}
              />
              <dl className="grid max-w-lg grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                <dt className="text-slate-500">{t("auth.account.twoFactor.account")}</dt>
                <dd className="font-mono">{`${issuer}:${s.actor.username}`}</dd>
                <dt className="text-slate-500">{t("auth.account.twoFactor.secret")}</dt>
                <dd className="font-mono text-lg tracking-wider" data-testid="totp-secret">{groupSecret(status.secret)}</dd>
              </dl>
            </li>
            <li className="space-y-3">
              <p>{t("auth.account.twoFactor.step3")}</p>
              <TotpCodeForm action={enrolTotpAction} testId="enrol-form" labels={{ ...formLabels, submit: t("auth.account.twoFactor.submit") }} />
            </li>
          </ol>
        </CardBody>
      </Card>
    </>
  );
}
