import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { listImports } from "@/lib/data/imports";
import { getT, getLocale } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { formatInstant } from "@/components/ui/format";
import { ImportForm } from "./_components/import-form";

export const metadata: Metadata = { title: "采集数据导入" };

export default async function ImportsPage() {
  const actor = await requirePagePermission("readings.import");
  const t = await getT();
  const locale = await getLocale();
  const batches = await listImports(actor.stationId);
  const c = catalogs[locale].readings.imports;
  return (
    <>
      <PageHeader title={t("readings.imports.title")} description={t("readings.imports.description")} />
      <Card className="mb-6">
        <CardBody>
          <ImportForm messages={{ imports: c }} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={t("readings.imports.history")} />
        <Table>
          <THead>
            <tr>
              <Th>{t("readings.imports.when")}</Th>
              <Th>{t("readings.imports.fileName")}</Th>
              <Th className="text-right">{t("readings.imports.rows")}</Th>
              <Th className="text-right">{t("readings.imports.accepted")}</Th>
              <Th className="text-right">{t("readings.imports.rejected")}</Th>
              <Th>{t("readings.imports.result")}</Th>
            </tr>
          </THead>
          <TBody>
            {batches.map((b) => (
              <Tr key={b.id}>
                <Td className="whitespace-nowrap">{formatInstant(b.createdAt, "Asia/Shanghai", locale)}</Td>
                <Td>{b.fileName}<span className="ml-2 text-sm text-slate-500">{b.by}</span></Td>
                <Td numeric>{b.rows.toLocaleString()}</Td>
                <Td numeric>{b.accepted.toLocaleString()}</Td>
                <Td numeric>{b.rejected.toLocaleString()}</Td>
                <Td>
                  {b.accepted > 0 ? <Badge tone="success">{t("readings.imports.ok", { accepted: b.accepted.toLocaleString() })}</Badge>
                    : <Badge tone="danger">{b.report.message ? t(`errors.${b.report.message.code}`, b.report.message.params) : t("readings.imports.refused", { rejected: b.rejected })}</Badge>}
                  {b.report.seconds !== undefined && <span className="ml-2 text-sm text-slate-500">{t("readings.imports.seconds", { s: b.report.seconds })}</span>}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
