import type { RereadStatus } from "@/lib/data/audit-exceptions";
import type { T } from "@/lib/i18n/core";

/** Where an ordered re-read stands on the worklist: planned (when, for whom) or back (who, when,
 *  what the meter showed, and whether that confirmed the reading). */
export function RereadStatusLine({ status: s, t, at }: { status: RereadStatus; t: T; at: (iso: string) => string }) {
  if (!s.doneAt) {
    return <div className="mt-1 text-slate-600" data-testid={`reread-planned-${s.visitId}`}>{t("audit.rereadPlanned", { date: s.plannedOn, staff: s.staff ?? t("audit.rereadUnassigned") })}</div>;
  }
  if (s.outcome === "CANCELLED") return null;
  const p = { who: s.recordedBy ?? "", at: at(s.doneAt), value: s.value ?? "", before: s.before ?? "" };
  return (
    <div className="mt-1 font-medium text-brand-800" data-testid={`reread-back-${s.visitId}`}>
      {s.outcome === "CONFIRMED" ? t("audit.rereadBackSame", p) : t("audit.rereadBack", p)}
      {s.note && <div className="font-normal text-slate-600">{s.note}</div>}
    </div>
  );
}
