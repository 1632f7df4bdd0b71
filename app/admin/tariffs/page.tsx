import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, THead } from "@/components/ui/table";
import { CustomerCategory } from "@/generated/prisma/enums";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { listTariffs, type TariffVersionDto } from "@/lib/data/tariffs";
import type { T } from "@/lib/i18n/core";
import { getT } from "@/lib/i18n/server";
import { definitionToFields } from "@/lib/validation/tariff";
import { VersionForm, type VersionFormLabels } from "./_components/version-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("tariffs.title") };
}

function describeTiers(v: TariffVersionDto, t: T): string[] {
  const d = v.definition;
  if (d.tiers.length === 1) return [`${t("tariffs.flat")} ${d.tiers[0].price}`];
  let from = 0;
  const rows = d.tiers.map((tier) => {
    const s = tier.upToKwh === null
      ? t("tariffs.tierOpen", { from })
      : t("tariffs.tierRange", { from: from + (from ? 1 : 0), to: tier.upToKwh });
    from = tier.upToKwh ?? from;
    return `${s}: ${tier.price}`;
  });
  rows.unshift(t(`tariffs.basis.${d.tierBasis}`));
  if (d.largeHouseholdExtraKwh) rows.push(t("tariffs.largeExtra", { n: d.largeHouseholdExtraKwh }));
  return rows;
}

function labels(t: T, mode: "add" | "edit" | "create"): VersionFormLabels {
  const f = (k: string) => t(`tariffs.form.${k}`);
  return {
    code: f("code"), codeHint: f("codeHint"), name: f("name"), category: f("category"),
    effectiveFrom: f("effectiveFrom"), tierBasis: f("tierBasis"), monthly: t("tariffs.basis.monthly"), annual: t("tariffs.basis.annual"),
    tiers: f("tiers"), upTo: f("upTo"), price: f("price"), largeHouseholdExtraKwh: f("largeHouseholdExtraKwh"),
    touEnabled: f("touEnabled"), touPeak: f("touPeak"), touValley: f("touValley"),
    twoPartEnabled: f("twoPartEnabled"), twoPartBasis: f("twoPartBasis"), basisCapacity: f("basisCapacity"), basisDemand: f("basisDemand"),
    capacityPrice: f("capacityPrice"), demandPrice: f("demandPrice"), powerFactorStandard: f("powerFactorStandard"),
    source: f("source"), saving: f("saving"),
    submit: f(mode === "add" ? "submitAdd" : mode === "edit" ? "submitEdit" : "submitCreate"),
  };
}

export default async function TariffsPage() {
  const actor = await requirePagePermission("tariffs.manage");
  const t = await getT();
  const { tariffs, lockedThrough } = await listTariffs(actor);
  return (
    <>
      <PageHeader title={t("tariffs.title")} description={t("tariffs.description")} />
      <p className="mb-4 text-slate-600" data-testid="locked-through">
        {lockedThrough ? t("tariffs.lockedThrough", { date: lockedThrough }) : t("tariffs.neverBilled")}
      </p>
      <div className="space-y-6">
        {tariffs.map((tariff) => (
          <Card key={tariff.id} data-testid={`tariff-${tariff.code}`}>
            <CardHeader
              title={<>{tariff.name} <span className="font-mono text-base text-slate-500">{tariff.code}</span></>}
              description={`${t(`tariffs.category.${tariff.category}`)} · ${tariff.shared ? t("tariffs.shared") : t("tariffs.own")} · ${t("tariffs.customers", { n: tariff.customers })}`}
            />
            <CardBody className="space-y-4">
              <Table>
                <THead>
                  <tr>
                    {["effectiveFrom", "tiers", "tou", "twoPart", "source", "state"].map((c) => (
                      <th key={c} className="px-3 py-2 text-sm font-medium text-slate-600">{t(`tariffs.col.${c}`)}</th>
                    ))}
                  </tr>
                </THead>
                <TBody>
                  {tariff.versions.map((v) => {
                    const d = v.definition;
                    return (
                      <tr key={v.id} data-testid={`version-${v.effectiveFrom}`} className="align-top">
                        <td className="px-3 py-2 font-mono">{v.effectiveFrom}</td>
                        <td className="px-3 py-2 text-sm">{describeTiers(v, t).map((s) => <div key={s}>{s}</div>)}</td>
                        <td className="px-3 py-2 text-sm">{d.timeOfUse ? t("tariffs.touPrices", d.timeOfUse) : t("tariffs.none")}</td>
                        <td className="px-3 py-2 text-sm">
                          {d.twoPart
                            ? t(d.twoPart.basis === "capacity" ? "tariffs.twoPartCapacity" : "tariffs.twoPartDemand", {
                              price: d.twoPart.basis === "capacity" ? d.twoPart.capacityPrice : d.twoPart.demandPrice,
                              pf: d.twoPart.powerFactorStandard,
                            })
                            : t("tariffs.none")}
                        </td>
                        <td className="max-w-xs px-3 py-2 text-sm break-words text-slate-600">{v.source}</td>
                        <td className="px-3 py-2">
                          <Badge tone={v.locked ? "neutral" : "info"}>{t(v.locked ? "tariffs.state.locked" : "tariffs.state.editable")}</Badge>
                          {!v.locked && (
                            <details className="mt-2">
                              <summary className="cursor-pointer text-sm text-brand-700">{t("tariffs.editVersion")}</summary>
                              <div className="mt-3 min-w-[28rem]">
                                <VersionForm mode="edit" versionId={v.id} idPrefix={`edit-${v.id}`} labels={labels(t, "edit")}
                                  initial={{ ...definitionToFields(v.definition), effectiveFrom: v.effectiveFrom, source: v.source ?? "" }} />
                              </div>
                            </details>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </TBody>
              </Table>
              <details>
                <summary className="cursor-pointer font-medium text-brand-700" data-testid={`add-version-${tariff.code}`}>{t("tariffs.addVersion")}</summary>
                <div className="mt-4 max-w-3xl">
                  <VersionForm mode="add" tariffId={tariff.id} idPrefix={`add-${tariff.id}`} labels={labels(t, "add")}
                    initial={tariff.versions[0] ? { ...definitionToFields(tariff.versions[0].definition), effectiveFrom: "", source: "" } : {}} />
                </div>
              </details>
            </CardBody>
          </Card>
        ))}
        <Card>
          <CardHeader title={t("tariffs.newTariff")} />
          <CardBody className="max-w-3xl">
            <VersionForm mode="create" idPrefix="create" labels={labels(t, "create")} initial={{ tierBasis: "monthly" }}
              categories={Object.values(CustomerCategory).map((c) => ({ value: c, label: t(`tariffs.category.${c}`) }))} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
