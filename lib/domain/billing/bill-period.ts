// One customer, one period: readings → consumption → priced bill → audit findings (pure).
// The billing run calls this for every customer of a chunk; the audit worklist calls it again
// when a reading is corrected, so a recomputed bill is computed exactly like the first one.
import { addDays, type IsoDate } from "../calendar";
import type { Fen } from "../money";
import type { Settings } from "../settings";
import { auditBill, type AuditFinding, type AuditInput } from "../audit/rules";
import { computeBill, type ComputedLine } from "./compute-bill";
import { assembleSpans, computeConsumption, type InstallationRecord, type ReadingRecord } from "./consumption";
import { LARGE_HOUSEHOLD_SIZE } from "./price-bill";
import type { TariffVersionDef } from "./tariff";

export type PeriodCustomer = {
  category: AuditInput["category"];
  householdSize: number;
  largeHouseholdUntil: IsoDate | null; // 一户多人口 approval valid through this day; null = no expiry recorded
  timeOfUse: boolean;
  capacityKva: number | null;
};

export type CurrentReading = ReadingRecord & { id: number; scheduledOn: IsoDate };

export type PeriodInput = {
  customer: PeriodCustomer;
  versions: readonly TariffVersionDef[];
  installations: readonly InstallationRecord[];
  current: readonly CurrentReading[]; // this period's readings with a register value
  previous: readonly ReadingRecord[]; // per installation, its latest earlier reading
  history: readonly (number | null)[]; // kWh of the 12 previous periods, most recent first
  priorKwhInYear: number; // annual tiers: kWh billed earlier in the tariff year (+ opening usage)
};

export type PeriodBill = {
  kwh: number;
  peakKwh: number | null;
  total: Fen;
  lines: ComputedLine[];
  tariffVersionId: number | null;
  readingId: number;
  estimated: boolean;
  readOn: IsoDate;
  dueDate: IsoDate;
  findings: AuditFinding[];
};

const dateCache = new Map<string, { issueDate: IsoDate; dueDate: IsoDate }>();

/** Planned issue day and due date from the reading day (settings `billing`). */
export function plannedDates(readOn: IsoDate, s: Settings["billing"]): { issueDate: IsoDate; dueDate: IsoDate } {
  const key = `${readOn}|${s.issueDaysAfterReading}|${s.dueDaysAfterIssue}`;
  let d = dateCache.get(key);
  if (!d) {
    if (dateCache.size > 10_000) dateCache.clear();
    const issueDate = addDays(readOn, s.issueDaysAfterReading);
    dateCache.set(key, (d = { issueDate, dueDate: addDays(issueDate, s.dueDaysAfterIssue) }));
  }
  return d;
}

export function billPeriod(input: PeriodInput, settings: Settings): PeriodBill | null {
  const p = assembleSpans(input.installations, input.current, input.previous);
  if (!p) return null; // not read this period: no bill (the reading checks report the miss)
  const c = computeConsumption(p.spans);
  const cust = input.customer;
  const raiseValid = cust.largeHouseholdUntil === null || cust.largeHouseholdUntil >= p.intervalEnd;
  const householdSize = raiseValid ? cust.householdSize : Math.min(cust.householdSize, LARGE_HOUSEHOLD_SIZE - 1);
  const bill = computeBill(input.versions, p.intervalStart, p.intervalEnd, c, {
    householdSize,
    timeOfUse: cust.timeOfUse,
    priorKwhInYear: input.priorKwhInYear,
    capacityKva: cust.capacityKva,
  });
  const main = input.current.reduce((a, b) => (b.readOn > a.readOn ? b : a));
  const findings = auditBill({
    category: cust.category,
    kwh: c.kwh,
    history: input.history,
    consumptionFlags: c.flags,
    billFlags: bill.flags,
    creditKwh: c.creditKwh,
    estimated: p.estimated,
    newConnection: p.newConnection,
    meterReplaced: p.meterReplaced,
    multiplierChanged: p.multiplierChanged,
    readOn: main.readOn,
    scheduledOn: main.scheduledOn,
  }, settings);
  return {
    kwh: c.kwh,
    peakKwh: c.peakKwh,
    total: bill.total,
    lines: bill.lines,
    tariffVersionId: bill.tariffVersionId,
    readingId: main.id,
    estimated: p.estimated,
    readOn: main.readOn,
    dueDate: plannedDates(main.readOn, settings.billing).dueDate,
    findings,
  };
}
