// 电费审核: the audit rules run on every computed bill (pure). Each rule is a coded exception
// whose thresholds come from settings (`audit` group, reading-day tolerance from `readings`);
// any finding holds that customer's bill until an auditor clears it.
// Sources: docs/domain/billing-and-audit.md §3 (article 002 §2; the 国网 rules of docs/sources.md §2.3)
// (±30 % fluctuation, 当月电量比上月增长50%, 连续三个月为零 → site check, six months of zero →
// 销户 proposal, first bill after 新装/换表/倍率 change reviewed customer by customer).
import { daysBetween, type IsoDate } from "../calendar";
import type { Settings } from "../settings";
import type { BillFlag } from "../billing/compute-bill";
import type { ConsumptionFlag } from "../billing/consumption";

export const AUDIT_CODES = [
  "HISTORY_HIGH", // far above own 12-month average
  "HISTORY_LOW", // far below own 12-month average
  "MONTH_ON_MONTH_INCREASE", // 当月比上月增长 ≥ threshold
  "RESIDENTIAL_BUSINESS_LEVEL", // a home using a shop's kWh: change usage type and tariff?
  "ZERO_SITE_CHECK", // zero for N periods: 现场核查
  "ZERO_CLOSURE", // zero for M periods: propose 销户
  "READING_LOWER", // reading below the last without a meter change
  "ESTIMATED_READING", // 估抄
  "ESTIMATE_SETTLEMENT_CREDIT", // actual reading below last estimate: kWh billed too many
  "FIRST_BILL_NEW_CONNECTION", // 新装
  "FIRST_BILL_METER_REPLACED", // 换表
  "FIRST_BILL_MULTIPLIER_CHANGE", // 倍率变更
  "OFF_READING_DAY", // not read on the 抄表例日
  "PEAK_EXCEEDS_TOTAL", // TOU registers disagree with the total
  "TOU_REGISTERS_MISSING", // TOU customer without peak register values
  "TARIFF_MISSING", // no tariff version in force
  "BASIC_BASIS_MISSING", // two-part: no capacity / no demand reading
  "REACTIVE_MISSING", // two-part: no reactive register for 力调
] as const;

export type AuditCode = (typeof AUDIT_CODES)[number];

export type AuditInput = {
  category: "RESIDENTIAL" | "NON_RESIDENTIAL" | "LARGE" | "TEMPORARY";
  kwh: number;
  /** kWh of up to 12 periods before this one, most recent first; null = no bill that period */
  history: readonly (number | null)[];
  consumptionFlags: readonly ConsumptionFlag[];
  billFlags: readonly BillFlag[];
  creditKwh: number;
  estimated: boolean;
  newConnection: boolean;
  meterReplaced: boolean;
  multiplierChanged: boolean;
  readOn: IsoDate | null; // local date of the reading
  scheduledOn: IsoDate | null; // the route's reading day for this period
};

export type Details = Record<string, string | number | boolean | null>;
export type AuditFinding = { code: AuditCode; details: Details };
type Rule = { code: AuditCode; check: (i: AuditInput, s: Settings) => Details | null };

// most readings of a run share a handful of (reading day, read day) pairs
const deviations = new Map<string, number>();
function deviation(scheduled: IsoDate, read: IsoDate): number {
  const k = `${scheduled}|${read}`;
  let d = deviations.get(k);
  if (d === undefined) {
    if (deviations.size > 10_000) deviations.clear();
    deviations.set(k, (d = daysBetween(scheduled, read)));
  }
  return d;
}

function average(history: readonly (number | null)[]): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (const h of history) if (h !== null) { sum += h; n += 1; }
  return { sum, n };
}

/** consecutive zero periods ending with this one */
function zeroStreak(i: AuditInput): number {
  if (i.kwh !== 0) return 0;
  let n = 1;
  for (const h of i.history) {
    if (h !== 0) break;
    n += 1;
  }
  return n;
}

const flagRule = (code: AuditCode & (ConsumptionFlag | BillFlag)): Rule => ({
  code,
  check: (i) => ((i.consumptionFlags as readonly string[]).includes(code) || (i.billFlags as readonly string[]).includes(code) ? {} : null),
});

// Integer comparisons only: kWh × 100 against average × (100 ± pct), no floating point.
export const AUDIT_RULES: readonly Rule[] = [
  {
    code: "HISTORY_HIGH",
    check: (i, s) => {
      const { sum, n } = average(i.history);
      if (n === 0 || sum === 0) return null;
      return i.kwh * 100 * n > sum * (100 + s.audit.historyDeviationPct)
        ? { kwh: i.kwh, averageKwh: Math.round(sum / n), periods: n, thresholdPct: s.audit.historyDeviationPct }
        : null;
    },
  },
  {
    code: "HISTORY_LOW",
    check: (i, s) => {
      const { sum, n } = average(i.history);
      if (n === 0 || sum === 0) return null;
      return i.kwh * 100 * n < sum * (100 - Math.min(100, s.audit.historyDeviationPct))
        ? { kwh: i.kwh, averageKwh: Math.round(sum / n), periods: n, thresholdPct: s.audit.historyDeviationPct }
        : null;
    },
  },
  {
    code: "MONTH_ON_MONTH_INCREASE",
    check: (i, s) => {
      const last = i.history[0];
      if (last === null || last === undefined || last === 0) return null;
      return i.kwh * 100 >= last * (100 + s.audit.monthOnMonthIncreasePct)
        ? { kwh: i.kwh, lastKwh: last, thresholdPct: s.audit.monthOnMonthIncreasePct }
        : null;
    },
  },
  {
    code: "RESIDENTIAL_BUSINESS_LEVEL",
    check: (i, s) =>
      i.category === "RESIDENTIAL" && i.kwh >= s.audit.residentialBusinessKwh
        ? { kwh: i.kwh, thresholdKwh: s.audit.residentialBusinessKwh }
        : null,
  },
  {
    code: "ZERO_SITE_CHECK",
    check: (i, s) => {
      const z = zeroStreak(i);
      return z >= s.audit.zeroPeriodsSiteCheck && z < s.audit.zeroPeriodsClosure ? { zeroPeriods: z } : null;
    },
  },
  {
    code: "ZERO_CLOSURE",
    check: (i, s) => {
      const z = zeroStreak(i);
      return z >= s.audit.zeroPeriodsClosure ? { zeroPeriods: z } : null;
    },
  },
  flagRule("READING_LOWER"),
  { code: "ESTIMATED_READING", check: (i) => (i.estimated ? {} : null) },
  {
    code: "ESTIMATE_SETTLEMENT_CREDIT",
    check: (i) => (i.consumptionFlags.includes("ESTIMATE_SETTLEMENT_CREDIT") ? { creditKwh: i.creditKwh } : null),
  },
  { code: "FIRST_BILL_NEW_CONNECTION", check: (i) => (i.newConnection ? {} : null) },
  { code: "FIRST_BILL_METER_REPLACED", check: (i) => (i.meterReplaced ? {} : null) },
  { code: "FIRST_BILL_MULTIPLIER_CHANGE", check: (i) => (i.multiplierChanged ? {} : null) },
  {
    code: "OFF_READING_DAY",
    check: (i, s) => {
      if (i.estimated || !i.readOn || !i.scheduledOn) return null;
      const dev = deviation(i.scheduledOn, i.readOn);
      // on time when |deviation| < tolerance (docs/domain/readings.md §4: less than 2 days)
      return Math.abs(dev) >= s.readings.onTimeToleranceDays
        ? { scheduledOn: i.scheduledOn, readOn: i.readOn, deviationDays: dev }
        : null;
    },
  },
  flagRule("PEAK_EXCEEDS_TOTAL"),
  flagRule("TOU_REGISTERS_MISSING"),
  flagRule("TARIFF_MISSING"),
  flagRule("BASIC_BASIS_MISSING"),
  flagRule("REACTIVE_MISSING"),
];

export function auditBill(input: AuditInput, settings: Settings): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const r of AUDIT_RULES) {
    const d = r.check(input, settings);
    if (d) out.push({ code: r.code, details: d });
  }
  return out;
}
