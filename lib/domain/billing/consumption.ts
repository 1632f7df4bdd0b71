// kWh for one customer and one period from meter readings (pure). Used by the billing run and
// by the readings helper's plausibility checks, so there is one way to turn registers into kWh.
//
// Rules (each has a unit test):
//  * Registers are numeric(12,2) strings; they are handled in exact hundredths.
//  * 倍率: kWh = register advance × multiplier. Rounding: each register POSITION × multiplier is
//    rounded half-up to whole kWh and positions are subtracted, so consecutive periods add up to
//    the meter's whole advance (no half-kWh lost or gained month after month).
//  * Rollover: a register with `digits` digits before the point wraps at 10^digits. A reading
//    lower than the previous one is a rollover when the reader confirmed it (reason ROLLOVER) or
//    when the wrapped advance is the smaller of the two readings of the change; otherwise it is a
//    READING_LOWER finding and contributes 0 kWh (the audit holds the bill).
//  * 换表 / 倍率变更: every installation active in the reading interval contributes one span:
//    old meter (previous reading → final reading) + new meter (start reading → this reading).
//  * 估抄 then actual: an estimated reading stores the estimated register position, so the next
//    actual reading minus it settles the difference by itself. If the actual reading is below
//    the estimate (over-estimated), the span gives 0 kWh and `creditKwh` says how many kWh were
//    billed too many: the audit holds the bill (ESTIMATE_SETTLEMENT_CREDIT) for the auditor.
//  * 峰谷: peak is taken from the peak register in whole kWh; valley = total − peak, so the parts
//    always add up (docs/calculator.md §2). A peak above the total is capped and flagged.
import type { IsoDate } from "../calendar";

export type Registers = { total: string; peak?: string | null; reactive?: string | null };

export type MeterSpan = {
  multiplier: number; // 倍率 (CT × PT ratio)
  digits: number; // register digits before the point: wraps at 10^digits
  from: Registers; // previous reading, or the installation's start reading
  to: Registers; // this period's reading, or the removed meter's final reading
  fromEstimated?: boolean; // `from` was an estimated reading (估抄)
  rolloverConfirmed?: boolean; // the reader confirmed a rollover at `to`
  demandKw?: string | null; // maximum-demand register read at `to` (before multiplier)
};

export type ConsumptionFlag = "ROLLOVER" | "READING_LOWER" | "ESTIMATE_SETTLEMENT_CREDIT" | "PEAK_EXCEEDS_TOTAL";

export type Consumption = {
  kwh: number;
  peakKwh: number | null; // null when a span has no peak register
  valleyKwh: number | null;
  reactiveKvarh: number | null; // null when a span has no reactive register
  demandKw: string | null; // maximum demand × multiplier, kW with two decimals
  creditKwh: number; // over-estimate to settle; 0 normally
  flags: ConsumptionFlag[];
};

const REGISTER_RE = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** "12345.6" → 1234560 hundredths. Throws on anything else. */
export function parseRegister(s: string): number {
  const m = REGISTER_RE.exec(String(s).trim());
  if (!m) throw new RangeError(`not a register reading: ${JSON.stringify(s)}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function isRegister(s: string): boolean {
  return REGISTER_RE.test(String(s).trim());
}

/** A position in hundredths × multiplier, as whole kWh rounded half-up. */
function wholeKwh(hundredths: number, multiplier: number): number {
  return Math.floor((hundredths * multiplier + 50) / 100);
}

type Advance = { kwh: number; rollover: boolean; lower: boolean };

/** The advance of one register over a span, in whole kWh (negative only when `lower`). */
export function registerAdvance(from: string, to: string, digits: number, multiplier: number, rolloverConfirmed = false): Advance {
  const a = parseRegister(from);
  const b = parseRegister(to);
  if (b >= a) return { kwh: wholeKwh(b, multiplier) - wholeKwh(a, multiplier), rollover: false, lower: false };
  const span = 10 ** digits * 100;
  const wrapped = span - a + b;
  if (rolloverConfirmed || wrapped < a - b) {
    return { kwh: wholeKwh(b + span, multiplier) - wholeKwh(a, multiplier), rollover: true, lower: false };
  }
  return { kwh: wholeKwh(b, multiplier) - wholeKwh(a, multiplier), rollover: false, lower: true };
}

function present(s: string | null | undefined): s is string {
  return s !== null && s !== undefined && s !== "";
}

export function computeConsumption(spans: readonly MeterSpan[]): Consumption {
  const flags = new Set<ConsumptionFlag>();
  let kwh = 0;
  let peak: number | null = 0;
  let reactive: number | null = 0;
  let demand: number | null = null; // hundredths of kW
  let credit = 0;
  for (const s of spans) {
    const t = registerAdvance(s.from.total, s.to.total, s.digits, s.multiplier, s.rolloverConfirmed);
    if (t.rollover) flags.add("ROLLOVER");
    if (t.lower && s.fromEstimated) {
      flags.add("ESTIMATE_SETTLEMENT_CREDIT");
      credit += -t.kwh;
    } else if (t.lower) flags.add("READING_LOWER");
    const spanKwh = t.lower ? 0 : t.kwh;
    kwh += spanKwh;

    if (peak !== null && present(s.from.peak) && present(s.to.peak)) {
      const p = registerAdvance(s.from.peak, s.to.peak, s.digits, s.multiplier, s.rolloverConfirmed);
      if (p.lower && !s.fromEstimated) flags.add("READING_LOWER");
      let pk = p.lower ? 0 : p.kwh;
      if (pk > spanKwh) {
        flags.add("PEAK_EXCEEDS_TOTAL");
        pk = spanKwh;
      }
      peak += pk;
    } else peak = null;

    if (reactive !== null && present(s.from.reactive) && present(s.to.reactive)) {
      const q = registerAdvance(s.from.reactive, s.to.reactive, s.digits, s.multiplier, s.rolloverConfirmed);
      if (q.lower && !s.fromEstimated) flags.add("READING_LOWER");
      reactive += q.lower ? 0 : q.kwh;
    } else reactive = null;

    if (present(s.demandKw)) {
      const d = parseRegister(s.demandKw) * s.multiplier;
      demand = demand === null ? d : Math.max(demand, d);
    }
  }
  return {
    kwh,
    peakKwh: peak,
    valleyKwh: peak === null ? null : kwh - peak,
    reactiveKvarh: reactive,
    demandKw: demand === null ? null : `${Math.trunc(demand / 100)}.${String(demand % 100).padStart(2, "0")}`,
    creditKwh: credit,
    flags: [...flags],
  };
}

// ─── assembling the spans of a period from installations and readings ───

export type InstallationRecord = {
  id: number;
  meterId: number;
  multiplier: number;
  digits: number;
  installedOn: IsoDate;
  removedOn: IsoDate | null;
  start: Registers; // register positions when installed
  final: Registers | null; // positions when removed
};

export type ReadingRecord = {
  installationId: number;
  readOn: IsoDate; // local date the reading was taken (or scheduled, for an estimate)
  registers: Registers;
  demandKw?: string | null;
  estimated: boolean;
  rolloverConfirmed?: boolean;
};

export type PeriodSpans = {
  spans: MeterSpan[];
  intervalStart: IsoDate; // previous reading's date, or the first installation date
  intervalEnd: IsoDate; // this period's reading date
  newConnection: boolean; // no earlier reading at all: the first bill of the account
  meterReplaced: boolean; // a meter was removed within the interval
  multiplierChanged: boolean; // the same meter was re-installed with another multiplier
  estimated: boolean; // a reading of this period is an estimate
};

/**
 * The spans of one period.
 * `current`: this period's readings (one per installation read); `previous`: for each
 * installation, its latest reading before this period. A removed meter contributes its final
 * reading once: in the interval after the customer's previous reading in which it was removed.
 * Returns null when nothing was read this period (no bill).
 */
export function assembleSpans(
  installations: readonly InstallationRecord[],
  current: readonly ReadingRecord[],
  previous: readonly ReadingRecord[],
): PeriodSpans | null {
  if (current.length === 0) return null;
  const prevBy = new Map(previous.map((r) => [r.installationId, r]));
  const curBy = new Map(current.map((r) => [r.installationId, r]));
  const intervalEnd = current.reduce((m, r) => (r.readOn > m ? r.readOn : m), current[0].readOn);
  const lastPrev = previous.reduce<IsoDate | null>((m, r) => (m === null || r.readOn > m ? r.readOn : m), null);
  const spans: MeterSpan[] = [];
  let meterReplaced = false;
  let firstInstalled: IsoDate | null = null;
  const removedInInterval: InstallationRecord[] = [];
  for (const inst of installations) {
    const prev = prevBy.get(inst.id);
    const cur = curBy.get(inst.id);
    if (cur) {
      spans.push({
        multiplier: inst.multiplier,
        digits: inst.digits,
        from: prev ? prev.registers : inst.start,
        to: cur.registers,
        fromEstimated: prev?.estimated ?? false,
        rolloverConfirmed: cur.rolloverConfirmed ?? false,
        demandKw: cur.demandKw ?? null,
      });
      if (!prev && (firstInstalled === null || inst.installedOn < firstInstalled)) firstInstalled = inst.installedOn;
    } else if (
      inst.removedOn !== null && inst.final !== null && inst.removedOn <= intervalEnd &&
      (lastPrev === null || inst.removedOn > lastPrev) && (!prev || prev.readOn < inst.removedOn)
    ) {
      spans.push({
        multiplier: inst.multiplier,
        digits: inst.digits,
        from: prev ? prev.registers : inst.start,
        to: inst.final,
        fromEstimated: prev?.estimated ?? false,
        rolloverConfirmed: false,
      });
      meterReplaced = true;
      removedInInterval.push(inst);
    }
  }
  const multiplierChanged = removedInInterval.some((old) =>
    installations.some((n) => n.meterId === old.meterId && n.id !== old.id && curBy.has(n.id) && n.multiplier !== old.multiplier));
  return {
    spans,
    intervalStart: lastPrev ?? firstInstalled ?? intervalEnd,
    intervalEnd,
    newConnection: previous.length === 0,
    meterReplaced: meterReplaced && !multiplierChanged,
    multiplierChanged,
    estimated: current.some((r) => r.estimated),
  };
}
