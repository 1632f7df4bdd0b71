import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { settingRows } from "@/lib/data/settings";
import { getStation } from "@/lib/data/station-summary";
import { localDate } from "@/lib/domain/calendar";
import { explainSettings, type ExplainedSetting } from "@/lib/domain/settings-explain";
import { hasMessage } from "@/lib/i18n/core";
import { getLocale, getT } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("admin.settings.title") };
}

// Read-only this round: the settings in force today and where each value comes from.
// Editing (a new effective-dated row through a server action) is a later issue.
export default async function SettingsPage() {
  const actor = await requirePagePermission("settings.manage");
  const [t, locale] = [await getT(), await getLocale()];
  const station = await getStation(actor.stationId);
  const asOf = localDate(new Date(), station.timezone);
  const rows = await settingRows(actor.stationId);
  const { items } = explainSettings(rows, asOf);
  const groups = [...new Set(items.map((i) => i.group))];
  const source = (i: ExplainedSetting) =>
    i.source
      ? t("admin.settings.source.override", {
          from: i.source.effectiveFrom,
          scope: t(i.source.stationScoped ? "admin.settings.scope.station" : "admin.settings.scope.company"),
        })
      : t("admin.settings.source.default");
  return (
    <>
      <PageHeader title={t("admin.settings.title")} description={t("admin.settings.subtitle", { station: station.name, asOf })} />
      <Alert tone="info" className="mb-6" data-testid="settings-readonly">
        {t("admin.settings.readOnly")} {t("admin.settings.rows", { n: rows.length })}
      </Alert>
      <div className="space-y-6">
        {groups.map((g) => (
          <Card key={g} data-testid={`settings-${g}`}>
            <CardHeader title={t(`admin.settings.groups.${g}`)} />
            <Table className="table-fixed">
              <THead>
                <tr>
                  <Th className="w-[45%]">{t("admin.settings.col.key")}</Th>
                  <Th className="w-[20%]">{t("admin.settings.col.value")}</Th>
                  <Th>{t("admin.settings.col.source")}</Th>
                </tr>
              </THead>
              <TBody>
                {items
                  .filter((i) => i.group === g)
                  .map((i) => (
                    <Tr key={i.key}>
                      <Td>
                        {hasMessage(locale, `admin.settings.keys.${g}.${i.key}`) ? t(`admin.settings.keys.${g}.${i.key}`) : i.key}
                        <span className="ml-2 font-mono text-xs text-slate-400">{i.key}</span>
                      </Td>
                      <Td className="font-medium tabular">{i.value === null ? t("admin.settings.none") : String(i.value)}</Td>
                      <Td className="text-sm text-slate-500">{source(i)}</Td>
                    </Tr>
                  ))}
              </TBody>
            </Table>
          </Card>
        ))}
      </div>
    </>
  );
}
