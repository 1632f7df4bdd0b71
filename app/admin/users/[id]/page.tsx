import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Role } from "@/generated/prisma/enums";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { getStation } from "@/lib/data/station-summary";
import { getUser, recentUserAudit } from "@/lib/data/users";
import { hasMessage } from "@/lib/i18n/core";
import { getLocale, getT } from "@/lib/i18n/server";
import { ActiveForm, PasswordForm, RoleForm, TwoFactorForm } from "../_components/manage-user-forms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("admin.users.title") };
}

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> };

export default async function UserPage({ params, searchParams }: Props) {
  const actor = await requirePagePermission("users.manage");
  const { id } = await params;
  const userId = /^\d{1,9}$/.test(id) ? Number(id) : NaN;
  if (!Number.isFinite(userId)) notFound();
  const [t, locale] = [await getT(), await getLocale()];
  const [user, station] = await Promise.all([getUser(actor.stationId, userId), getStation(actor.stationId)]);
  if (!user) notFound();
  const audit = await recentUserAudit(actor.stationId, user.id);
  const self = user.id === actor.id;
  const created = (await searchParams).created === "1";
  const roles = Object.values(Role).map((r) => ({ value: r, label: t(`shell.roles.${r}`) }));
  const saving = t("common.saving");
  return (
    <>
      <PageHeader
        title={t("admin.users.editTitle", { name: user.name })}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{user.username}</span>·<span>{t(`shell.roles.${user.role}`)}</span>·
            <span>{user.stationName}</span>
            <Badge tone={user.active ? "success" : "neutral"} data-testid="user-status">
              {user.active ? t("admin.users.status.active") : t("admin.users.status.inactive")}
            </Badge>
            {user.mustChangePassword && (
              <Badge tone="warning" data-testid="user-must-change">{t("admin.users.status.mustChangePassword")}</Badge>
            )}
          </span>
        }
        actions={<ButtonLink href="/admin/users" variant="secondary">{t("admin.users.back")}</ButtonLink>}
      />
      {created && (
        <Alert tone="success" className="mb-6" data-testid="created">
          {t("admin.users.done.created", { username: user.username })}
        </Alert>
      )}
      <p className="mb-4 text-base text-slate-600">{t("admin.users.roleNote")}</p>
      {self && <Alert tone="info" className="mb-4">{t("admin.users.selfNote")}</Alert>}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader title={t("admin.users.sections.role")} />
          <CardBody>
            <RoleForm
              userId={user.id}
              role={user.role}
              roles={roles}
              disabled={self}
              labels={{ role: t("admin.users.field.role"), submit: t("admin.users.changeRole"), saving }}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title={t("admin.users.sections.password")} />
          <CardBody>
            <PasswordForm
              userId={user.id}
              labels={{
                password: t("admin.users.field.newPassword"),
                hint: t("admin.users.field.passwordHint"),
                submit: t("admin.users.resetPassword"),
                saving,
              }}
            />
          </CardBody>
        </Card>
        {user.twoFactor !== "NOT_NEEDED" && (
          <Card>
            <CardHeader title={t("admin.users.sections.twoFactor")} description={t("admin.users.twoFactorNote")} />
            <CardBody>
              <p className="mb-4 text-base" data-testid="user-two-factor">{t(`admin.users.twoFactor.${user.twoFactor}`)}</p>
              <TwoFactorForm
                userId={user.id}
                disabled={self || user.twoFactor !== "ENROLLED"}
                labels={{ submit: t("admin.users.resetTwoFactor"), saving }}
              />
            </CardBody>
          </Card>
        )}
        <Card>
          <CardHeader title={t("admin.users.sections.status")} description={t("admin.users.deactivateNote")} />
          <CardBody>
            <ActiveForm
              userId={user.id}
              active={user.active}
              disabled={self}
              labels={{ deactivate: t("admin.users.deactivate"), reactivate: t("admin.users.reactivate"), saving }}
            />
          </CardBody>
        </Card>
      </div>
      <Card className="mt-6">
        <CardHeader title={t("admin.users.sections.audit")} />
        <CardBody>
          {audit.length === 0 ? (
            <p className="text-slate-500">{t("common.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="user-audit">
              {audit.map((a) => {
                const key = `admin.users.auditActions.${a.action.replaceAll(".", "_")}`;
                return (
                  <li key={a.id} className="flex flex-wrap gap-x-4 gap-y-1 py-2 text-base">
                    <span className="tabular text-slate-500">{formatInstant(a.at, station.timezone, locale)}</span>
                    <span className="font-medium">{hasMessage(locale, key) ? t(key) : a.action}</span>
                    {a.actorName && <span className="text-slate-600">{a.actorName}</span>}
                    <span className="text-sm text-slate-500">{describe(a.before, a.after, t)}</span>
                  </li>
                );
              })}
            </ul>
          )}
        </CardBody>
      </Card>
    </>
  );
}

/** A short, non-sensitive summary of an audit row (roles are translated; no hashes are stored). */
function describe(before: unknown, after: unknown, t: (k: string) => string): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  if (typeof b.role === "string" && typeof a.role === "string") return `${t(`shell.roles.${b.role}`)} → ${t(`shell.roles.${a.role}`)}`;
  if (typeof a.reason === "string") return t(`admin.users.loginReasons.${a.reason}`);
  return "";
}
