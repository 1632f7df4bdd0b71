import type { Metadata } from "next";
import { requirePagePermission } from "@/lib/auth/page-guard";
import { meterInService } from "@/lib/data/meters";
import { stationContext } from "@/lib/data/routes";
import { getLocale, getT } from "@/lib/i18n/server";
import { catalogs } from "@/lib/i18n/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { ReplaceForm } from "./replace-form";
import { CONTROL_CHARS_MESSAGE, hasControlChars, normalizeNumeric } from "@/lib/validation/input";

export const metadata: Metadata = { title: "换表" };

export default async function ReplacePage({ searchParams }: { searchParams: Promise<{ customerNo?: string }> }) {
  const actor = await requirePagePermission("meters.replace");
  const t = await getT();
  const locale = await getLocale();
  const typed = normalizeNumeric((await searchParams).customerNo ?? "").slice(0, 20);
  // a control character never reaches the database (PostgreSQL refuses NUL: a 500)
  const refused = hasControlChars(typed);
  const customerNo = refused ? "" : typed;
  const ctx = await stationContext(actor.stationId);
  const found = customerNo ? await meterInService(actor.stationId, customerNo) : null;
  return (
    <>
      <PageHeader title={t("readings.replace.title")} description={t("readings.replace.description")} />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium text-slate-700">{t("readings.replace.customerNo")}
          <input name="customerNo" defaultValue={customerNo} className="mt-1 block min-h-11 rounded-md border border-slate-300 px-3 text-lg" />
        </label>
        <Button type="submit">{t("readings.replace.find")}</Button>
      </form>
      {refused && <Alert tone="error">{t(CONTROL_CHARS_MESSAGE)}</Alert>}
      {customerNo && !found && <Alert tone="error">{t("errors.NOT_FOUND")}</Alert>}
      {found && (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader title={`${found.customer.name}（${found.customer.customerNo}）`} description={found.customer.address} />
            <CardBody>
              {found.current ? (
                <dl className="grid grid-cols-2 gap-3 text-lg">
                  <div><dt className="text-sm text-slate-500">{t("readings.replace.current")}</dt><dd className="tabular">{found.current.meterNo}</dd></div>
                  <div><dt className="text-sm text-slate-500">{t("readings.replace.multiplier")}</dt><dd className="tabular">{found.current.multiplier}</dd></div>
                  <div><dt className="text-sm text-slate-500">{t("readings.replace.installedOn")}</dt><dd className="tabular">{found.current.installedOn}</dd></div>
                  <div><dt className="text-sm text-slate-500">{t("readings.replace.lastReading")}</dt><dd className="tabular">{found.last ? `${found.last.total}（${found.last.period}）` : "—"}</dd></div>
                </dl>
              ) : <Alert tone="warning">{t("errors.METER_NO_INSTALLATION")}</Alert>}
              <h3 className="mt-6 mb-2 font-semibold">{t("readings.replace.history")}</h3>
              <Table>
                <THead><tr><Th>{t("readings.replace.current")}</Th><Th>{t("readings.replace.installedOn")}</Th><Th className="text-right">{t("readings.replace.startReading")}</Th><Th className="text-right">{t("readings.replace.finalReading")}</Th><Th className="text-right">{t("readings.replace.multiplier")}</Th></tr></THead>
                <TBody>
                  {found.history.map((h) => (
                    <Tr key={`${h.meterNo}-${h.installedOn}`}><Td className="tabular">{h.meterNo}</Td><Td className="tabular whitespace-nowrap">{h.installedOn}{h.removedOn ? ` – ${h.removedOn}` : ""}</Td>
                      <Td numeric>{h.startReading}</Td><Td numeric>{h.finalReading ?? "—"}</Td><Td numeric>{h.multiplier}</Td></Tr>
                  ))}
                </TBody>
              </Table>
            </CardBody>
          </Card>
          {found.current && (
            <Card>
              <CardBody>
                <ReplaceForm key={found.current.meterNo} customerNo={found.customer.customerNo} oldMeterNo={found.current.meterNo} today={ctx.today} digits={found.current.digits} messages={catalogs[locale].readings} />
              </CardBody>
            </Card>
          )}
        </div>
      )}
    </>
  );
}
