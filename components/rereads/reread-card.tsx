import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { describeException } from "@/components/audit/describe";
import type { RereadVisit } from "@/lib/data/rereads";
import type { T } from "@/lib/i18n/core";
import { RereadForm, type RereadLabels } from "./reread-form";

/** One re-read on the reader's tablet: who and where, the reading under doubt beside the previous
 *  one and the expected range, why the auditor doubts it, and the form. */
export function RereadCard({ visit: v, today, t, labels }: { visit: RereadVisit; today: string; t: T; labels: RereadLabels }) {
  const overdue = v.plannedOn < today;
  return (
    <Card data-testid={`reread-${v.visitId}`}>
      <CardHeader title={<><span className="font-mono">{v.customerNo}</span> {v.name}</>} description={`${v.address} · ${v.routeCode}`}
        actions={<Badge tone={overdue ? "warning" : "info"}>{overdue ? t("readings.reread.overdue") : t("readings.reread.planned", { date: v.plannedOn })}</Badge>} />
      <CardBody className="space-y-4">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-lg">
          <div>
            <dt className="text-sm text-slate-500">{t("readings.reread.doubted")}</dt>
            <dd className="tabular text-3xl font-semibold text-amber-800" data-testid={`reread-doubted-${v.visitId}`}>{v.value}</dd>
            <dd className="text-sm text-slate-600">{t("readings.reread.doubtedOn", { period: v.period, date: v.readOn ?? "—", kwh: v.kwh })}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-500">{t("readings.reread.meter", { meterNo: v.meterNo })}</dt>
            <dd className="text-base text-slate-700">{t("readings.reread.previous")} <span className="tabular text-2xl font-semibold text-slate-900">{v.previous ?? "—"}</span></dd>
            {v.expected && <dd className="text-base text-slate-700">{t("readings.reread.expected")} <span className="tabular font-semibold text-brand-700">{v.expected.low} – {v.expected.high}</span></dd>}
          </div>
        </dl>
        <div className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3">
          <p className="text-sm font-medium text-amber-900">{t("readings.reread.why")}</p>
          <ul className="mt-1 space-y-1 text-base text-amber-900" data-testid={`reread-why-${v.visitId}`}>
            {v.findings.map((f) => (
              <li key={f.code}>
                <span className="font-semibold">{t(`audit.codes.${f.code}`)}</span>：{describeException({ code: f.code, details: f.details, kwh: v.kwh }, t)}
                {f.resolution === "REREAD" && f.note && <div className="text-slate-700">{t("readings.reread.ordered", { note: f.note })}</div>}
              </li>
            ))}
          </ul>
        </div>
        <RereadForm visitId={v.visitId} labels={labels} peak={v.registers.includes("PEAK")} />
      </CardBody>
    </Card>
  );
}
