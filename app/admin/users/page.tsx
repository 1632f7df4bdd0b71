import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { getStation } from "@/lib/data/station-summary";
import { listUsers } from "@/lib/data/users";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("admin.users.title") };
}

export default async function UsersPage() {
  const actor = await requirePagePermission("users.manage");
  const [t, locale] = [await getT(), await getLocale()];
  const [users, station] = await Promise.all([listUsers(actor.stationId), getStation(actor.stationId)]);
  return (
    <>
      <PageHeader
        title={t("admin.users.title")}
        description={t("admin.users.subtitle")}
        actions={<ButtonLink href="/admin/users/new" data-testid="new-user">{t("admin.users.new")}</ButtonLink>}
      />
      <Card>
        <div className="border-b border-slate-100 px-5 py-3 text-sm text-slate-500">
          {station.name} · {t("admin.users.count", { n: users.length })}
        </div>
        <Table data-testid="users-table">
          <THead>
            <tr>
              <Th>{t("admin.users.col.username")}</Th>
              <Th>{t("admin.users.col.name")}</Th>
              <Th>{t("admin.users.col.role")}</Th>
              <Th>{t("admin.users.col.status")}</Th>
              <Th>{t("admin.users.col.lastLogin")}</Th>
              <Th className="text-right">{t("admin.users.col.failed")}</Th>
              <Th><span className="sr-only">{t("admin.users.col.actions")}</span></Th>
            </tr>
          </THead>
          <TBody>
            {users.map((u) => (
              <Tr key={u.id} data-testid={`user-row-${u.username}`}>
                <Td className="font-mono text-sm">{u.username}</Td>
                <Td>
                  {u.name}
                  {u.id === actor.id && <span className="text-slate-500">{t("admin.users.you")}</span>}
                </Td>
                <Td>{t(`shell.roles.${u.role}`)}</Td>
                <Td>
                  <Badge tone={u.active ? "success" : "neutral"}>
                    {u.active ? t("admin.users.status.active") : t("admin.users.status.inactive")}
                  </Badge>
                </Td>
                <Td className="text-sm text-slate-600 tabular">
                  {u.lastLoginAt ? formatInstant(u.lastLoginAt, station.timezone, locale) : t("admin.users.never")}
                </Td>
                <Td numeric className={u.failedLogins > 0 ? "text-amber-700" : "text-slate-400"}>{u.failedLogins}</Td>
                <Td className="text-right">
                  <Link
                    href={`/admin/users/${u.id}`}
                    className="inline-flex min-h-11 items-center rounded-md px-3 font-medium text-brand-700 hover:bg-brand-50"
                  >
                    {t("admin.users.manage")}
                  </Link>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        {users.length === 0 && <p className="px-5 py-6 text-slate-500">{t("admin.users.empty")}</p>}
      </Card>
    </>
  );
}
