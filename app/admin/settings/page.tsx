import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatInstant } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { settingHistory, type SettingVersionDto } from "@/lib/data/settings";
import { getStation } from "@/lib/data/station-summary";
import { addDays, localDate } from "@/lib/domain/calendar";
import { resolveSettings, type SettingsGroup } from "@/lib/domain/settings";
import { explainSettings, type ExplainedSetting, type VersionState } from "@/lib/domain/settings-explain";
import type { Locale, T } from "@/lib/i18n/core";
import { getLocale, getT } from "@/lib/i18n/server";
import { isEditableGroup, settingToFields } from "@/lib/validation/setting";
import { SettingForm } from "./_components/setting-form";
import { settingText } from "./_components/setting-text";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("admin.settings.title") };
}

const STATE_TONE: Record<VersionState, BadgeTone> = { scheduled: "info", inForce: "success", superseded: "neutral" };

// Per group: the values in force today (and where each comes from), every version with who wrote
// it, and a form that schedules a new version for this station from tomorrow or later.
export default async function SettingsPage() {
  const actor = await requirePagePermission("settings.manage");
  const [t, locale] = [await getT(), await getLocale()];
  const station = await getStation(actor.stationId);
  const today = localDate(new Date(), station.timezone);
  const { rows, versions } = await settingHistory(actor.stationId, today);
  const { items } = explainSettings(rows, today);
  const text = settingText(t, locale);
  const groups = [...new Set(items.map((i) => i.group))];
  const source = (i: ExplainedSetting) =>
    i.source
      ? t("admin.settings.source.override", { from: i.source.effectiveFrom, scope: t(`admin.settings.scope.${i.source.stationScoped ? "station" : "company"}`) })
      : t("admin.settings.source.default");
  const formLabels = (edit: boolean) => ({
    effectiveFrom: t("admin.settings.form.effectiveFrom"),
    effectiveFromHint: t(edit ? "admin.settings.form.fixedDateHint" : "admin.settings.form.effectiveFromHint", { today }),
    submit: t(edit ? "admin.settings.form.submitReplace" : "admin.settings.form.submit"),
    saving: t("admin.settings.form.saving"),
  });
  return (
    <>
      <PageHeader title={t("admin.settings.title")} description={t("admin.settings.subtitle", { station: station.name, asOf: today })} />
      <p className="mb-6 max-w-4xl text-slate-600" data-testid="settings-intro">{t("admin.settings.intro")}</p>
      <div className="space-y-6">
        {groups.map((g) => {
          const editable = isEditableGroup(g);
          const history = versions.filter((v) => v.group === g);
          return (
            <Card key={g} data-testid={`settings-${g}`}>
              <CardHeader title={t(`admin.settings.groups.${g}`)} description={editable ? undefined : t(`admin.settings.readOnlyGroup.${g}`)} />
              <Table className="table-fixed">
                <THead>
                  <tr>
                    <Th className="w-[45%]">{t("admin.settings.col.key")}</Th>
                    <Th className="w-[25%]">{t("admin.settings.col.value")}</Th>
                    <Th>{t("admin.settings.col.source")}</Th>
                  </tr>
                </THead>
                <TBody>
                  {items.filter((i) => i.group === g).map((i) => (
                    <Tr key={i.key} data-testid={`value-${g}-${i.key}`}>
                      <Td>
                        <div>{text.label(g, i.key)}</div>
                        {text.hint(g, i.key) && <div className="mt-0.5 text-sm whitespace-normal text-slate-500">{text.hint(g, i.key)}</div>}
                      </Td>
                      <Td className="font-medium tabular">{text.value(g, i.key, i.value)}</Td>
                      <Td className="text-sm text-slate-500">{source(i)}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
              <CardBody className="space-y-4 border-t border-slate-100">
                <h3 className="font-semibold text-slate-800">{t("admin.settings.history.title")}</h3>
                {history.length === 0 ? (
                  <p className="text-slate-500">{t("admin.settings.history.empty")}</p>
                ) : (
                  <Table data-testid={`history-${g}`}>
                    <THead>
                      <tr>
                        {["effectiveFrom", "scope", "values", "createdBy", "state"].map((c) => <Th key={c}>{t(`admin.settings.history.col.${c}`)}</Th>)}
                      </tr>
                    </THead>
                    <TBody>
                      {history.map((v) => (
                        <VersionRow key={v.id} v={v} g={g} text={text} t={t} tz={station.timezone} locale={locale}>
                          {editable && v.stationScoped && v.state === "scheduled" && (
                            <details className="mt-2">
                              <summary className="cursor-pointer text-sm text-brand-700">{t("admin.settings.history.edit")}</summary>
                              <div className="mt-3 min-w-[28rem]">
                                <SettingForm group={g} idPrefix={`edit-${v.id}`} fields={text.formFields(g)} minDate={today} fixedDate labels={formLabels(true)}
                                  initial={{ ...settingToFields(g, resolveSettings(rows, v.effectiveFrom)[g]), effectiveFrom: v.effectiveFrom }} />
                              </div>
                            </details>
                          )}
                        </VersionRow>
                      ))}
                    </TBody>
                  </Table>
                )}
                {editable && (
                  <details>
                    <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-700" data-testid={`schedule-${g}`}>
                      {t("admin.settings.form.open")}
                    </summary>
                    <div className="mt-4 max-w-3xl">
                      <SettingForm group={g} idPrefix={`new-${g}`} fields={text.formFields(g)} minDate={today} labels={formLabels(false)}
                        initial={{ ...settingToFields(g, resolveSettings(rows, today)[g]), effectiveFrom: addDays(today, 1) }} />
                    </div>
                  </details>
                )}
              </CardBody>
            </Card>
          );
        })}
      </div>
    </>
  );
}

function VersionRow({ v, g, text, t, tz, locale, children }: {
  v: SettingVersionDto; g: SettingsGroup; text: ReturnType<typeof settingText>; t: T; tz: string; locale: Locale; children?: ReactNode;
}) {
  return (
    <Tr className="align-top" data-testid={`version-${g}-${v.effectiveFrom}-${v.stationScoped ? "station" : "company"}`}>
      <Td className="font-mono whitespace-nowrap">{v.effectiveFrom}</Td>
      <Td className="whitespace-nowrap">{t(`admin.settings.scope.${v.stationScoped ? "station" : "company"}`)}</Td>
      <Td className="text-sm">
        <ul className="space-y-0.5">
          {Object.entries(v.value).map(([k, val]) => (
            <li key={k} className={v.changedKeys.includes(k) ? "font-semibold text-slate-900" : "text-slate-500"}>
              {t("admin.settings.history.pair", { label: text.label(g, k), value: text.value(g, k, val) })}
            </li>
          ))}
        </ul>
      </Td>
      <Td className="text-sm whitespace-nowrap">
        <div>{v.createdBy ?? t("admin.settings.history.system")}</div>
        <div className="text-slate-500 tabular">{formatInstant(v.createdAt, tz, locale)}</div>
      </Td>
      <Td>
        <Badge tone={STATE_TONE[v.state]}>{t(`admin.settings.history.state.${v.state}`)}</Badge>
        {children}
      </Td>
    </Tr>
  );
}
