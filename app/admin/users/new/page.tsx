import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Role } from "@/generated/prisma/enums";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { manageableStations } from "@/lib/data/users";
import { getT } from "@/lib/i18n/server";
import { CreateUserForm } from "../_components/create-user-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("admin.users.newTitle") };
}

export default async function NewUserPage() {
  const actor = await requirePagePermission("users.manage");
  const t = await getT();
  const stations = await manageableStations(actor);
  return (
    <>
      <PageHeader
        title={t("admin.users.newTitle")}
        actions={<ButtonLink href="/admin/users" variant="secondary">{t("admin.users.back")}</ButtonLink>}
      />
      <Card className="max-w-3xl">
        <CardBody>
          <CreateUserForm
            roles={Object.values(Role).map((r) => ({ value: r, label: t(`shell.roles.${r}`) }))}
            stations={stations}
            labels={{
              username: t("admin.users.field.username"),
              usernameHint: t("admin.users.field.usernameHint"),
              name: t("admin.users.field.name"),
              role: t("admin.users.field.role"),
              station: t("admin.users.field.station"),
              password: t("admin.users.field.password"),
              passwordHint: t("admin.users.field.passwordHint"),
              submit: t("admin.users.create"),
              submitting: t("admin.users.creating"),
            }}
          />
        </CardBody>
      </Card>
    </>
  );
}
