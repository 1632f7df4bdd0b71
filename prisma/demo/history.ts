// A customer's meters, readings and bills over the history. Consumption is a true cumulative
// kWh curve T(day) (monthly base × season × noise); every register is derived from it, so
// readings are monotonic and consistent: late readings include the extra days, an estimate
// never exceeds the true register (the next actual reading settles the difference), a missed
// reading makes the next bill cover two months, and a meter replacement or multiplier change
// splits one interval over two installations, exactly as lib/domain/billing/consumption.ts
// turns registers into kWh (integer registers, kWh = advance × multiplier).
import { priceEnergy, type BillLine } from "../../lib/domain/billing/price-bill";
import { formatYuan, parsePrice, priceTimes } from "../../lib/domain/money";
import { dayNum, iso } from "./days";
import { auditDraft } from "./audit";
import type { AuditFinding } from "../../lib/domain/audit/rules";
import type { Rng } from "./rng";
import type { BillPlan, Ctx, CustomerPlan, Installation } from "./model";
import type { SeededTariff } from "../seed/base";

// Monthly consumption relative to the year's average (heating in winter, air conditioning in summer).
const NO_OBS: readonly string[] = [];
const OBS_NO_ACCESS = ["NO_ACCESS"];
const OBS_USAGE_CHANGED = ["USAGE_CHANGED"];
const OBS_VACANT = ["VACANT"];

// Kept within about ±13% of the year's average, and the monthly noise within ±14%: the audit
// compares each bill with the customer's own 12-month average (±30% by default), and a demo
// whose ordinary households swing past it every summer would hold half the station; what the
// audit holds is the behaviours it is meant to catch (vacant, a shop in a home, a two-month
// bill after a missed reading, a late or estimated reading, a meter change...).
const SEASON_RES = [1.1, 1.05, 0.97, 0.92, 0.92, 1.0, 1.12, 1.15, 1.03, 0.92, 0.94, 1.04];
const SEASON_BIZ = [1.05, 0.85, 1.0, 0.98, 1.0, 1.05, 1.12, 1.12, 1.02, 0.96, 0.98, 1.03];

export type BillDraft = BillPlan & {
  kwh: number; linesJson: string; readingId: number; versionId: number; estimated: boolean;
  /** audit findings (audited periods only); `held`: the latest period's bill stays HELD for them */
  findings: AuditFinding[] | null; held: boolean;
};

export type History = {
  bills: BillDraft[];
  installations: Installation[];
  meters: { id: number; no: string; model: string; digits: number; registers: string; remote: boolean }[];
  openingKwh: { year: number; kwh: number } | null;
  lastReadK: number;
};

type Prev = { inst: number; reg: number; day: number; estimated: boolean; kwh: number };

function lineJson(l: BillLine, extra = ""): string {
  return `{"label":"${l.label}","kwh":${l.kwh},"price":"${l.price}","amount":"${formatYuan(l.amount)}"${extra}}`;
}

function versionAt(t: SeededTariff, day: string) {
  let v = t.versions[0];
  for (const x of t.versions) if (x.effectiveFrom <= day) v = x;
  return v;
}

export function simulateHistory(ctx: Ctx, c: CustomerPlan, sched: readonly number[], r: Rng): History {
  const M = ctx.months;
  const season = c.category === "RESIDENTIAL" ? SEASON_RES : SEASON_BIZ;
  const steady = c.behaviour === "GROUP";
  const m0 = c.multiplier;

  // Vacant homes: no consumption over the intervals of the last six bills (the newest period
  // counts only when its bills are out by asOf), and no missed or estimated readings from the
  // reading before the vacancy on, so those six bills are exactly zero.
  if (c.vacantFrom <= M) c.vacantFrom = sched[M] + ctx.settings.billing.issueDaysAfterReading <= ctx.asOf ? M - 5 : M - 6;
  // true cumulative kWh at each scheduled reading day
  const T = new Float64Array(M + 1);
  const regAtStart = c.rolloverStart
    ? 10 ** c.digits - Math.round(c.baseKwh * r.int(2, Math.max(2, M - 1)))
    : c.category === "LARGE" ? r.int(2000, 900000) : r.int(800, 60000);
  const newCustomer = c.openedDay > sched[0];
  T[0] = newCustomer ? 0 : regAtStart * m0 + r.next() * m0;
  for (let k = 1; k <= M; k++) {
    const month = Number(ctx.periods[k].slice(5, 7)) - 1;
    const days = sched[k] - sched[k - 1];
    let kwh = c.baseKwh * (steady ? 1 + 0.03 * r.normal() : season[month] * (1 + 0.07 * r.normal())) * (days / 30.4);
    if (k >= c.vacantFrom) kwh = 0;
    if (c.usageChanged && k >= M - 3) kwh *= 14;
    if (c.behaviour === "BANKRUPT" && k >= M - 6) kwh *= Math.max(0.08, 0.5 - 0.07 * (k - (M - 6)));
    if (newCustomer && sched[k] <= c.openedDay) kwh = 0;
    else if (newCustomer && sched[k - 1] < c.openedDay) kwh *= (sched[k] - c.openedDay) / days;
    T[k] = T[k - 1] + Math.max(0, kwh);
  }
  const Tat = (day: number): number => {
    if (day <= sched[0]) return T[0] - (M > 0 ? ((T[1] - T[0]) / (sched[1] - sched[0])) * (sched[0] - day) : 0);
    for (let k = 1; k <= M; k++) {
      if (day <= sched[k]) return T[k - 1] + ((T[k] - T[k - 1]) * (day - sched[k - 1])) / (sched[k] - sched[k - 1]);
    }
    return T[M] + ((T[M] - T[M - 1]) / (sched[M] - sched[M - 1])) * (day - sched[M]);
  };

  // meters and installations
  const meters: History["meters"] = [];
  const regs = c.category === "LARGE"
    ? (c.tou ? "{TOTAL,PEAK,VALLEY,REACTIVE,DEMAND}" : "{TOTAL,REACTIVE,DEMAND}")
    : c.tou ? "{TOTAL,PEAK,VALLEY}" : "{TOTAL}";
  const model = c.category === "RESIDENTIAL" ? "DDZY102-Z 单相费控智能电能表" : c.category === "LARGE" ? "DTZY341 三相四线智能电能表 0.5S" : "DTZY341 三相四线费控智能电能表";
  const newMeter = () => {
    const id = ctx.ids.next("meter");
    meters.push({ id, no: `3330${c.stationId}${String(id).padStart(10, "0")}`, model, digits: c.digits, registers: regs, remote: c.route.remote });
    return id;
  };
  const insts: Installation[] = [{
    id: ctx.ids.next("meter_installation"), meterId: newMeter(), multiplier: m0,
    installedDay: newCustomer ? c.openedDay : Math.max(c.openedDay, sched[0] - r.int(60, 3000)),
    startReg: 0, tStart: 0, removedDay: null, finalReg: null, reason: newCustomer ? "新装" : null,
  }];
  const regOf = (inst: Installation, day: number) => inst.startReg + Math.floor((Tat(day) - inst.tStart) / inst.multiplier);
  const change = (k: number, kind: "METER" | "MULTIPLIER") => {
    const old = insts[insts.length - 1];
    const day = sched[k - 1] + r.int(4, Math.max(4, sched[k] - sched[k - 1] - 4));
    old.removedDay = day;
    old.finalReg = regOf(old, day);
    const mult = kind === "MULTIPLIER" ? r.pick([20, 30, 40, 60, 80, 100, 150, 200].filter((x) => x !== old.multiplier)) : old.multiplier;
    insts.push({
      id: ctx.ids.next("meter_installation"), meterId: kind === "METER" ? newMeter() : old.meterId, multiplier: mult,
      installedDay: day, startReg: kind === "METER" ? 0 : old.finalReg, tStart: Tat(day), removedDay: null, finalReg: null,
      reason: kind === "METER" ? r.pick(["换表: 电能表故障", "换表: 周期轮换"]) : "倍率变更: 更换电流互感器",
    });
  };

  const wrap = 10 ** c.digits;
  const peakOf = (reg: number) => Math.floor(reg * c.peakShare);
  const settings = ctx.settings.billing;
  const bills: BillDraft[] = [];
  const yearKwh = new Map<number, number>();
  let openingKwh: History["openingKwh"] = null;
  const annual = c.tariff.versions[0].definition.tierBasis === "annual";
  if (annual && !newCustomer && ctx.periods[1].slice(5, 7) !== "01") {
    // kWh used earlier in the first history year, imported as opening usage (opening_usage)
    const year = Number(ctx.periods[1].slice(0, 4));
    const months = Number(ctx.periods[1].slice(5, 7)) - 1;
    let kwh = 0;
    for (let mth = 0; mth < months; mth++) kwh += c.baseKwh * season[mth];
    openingKwh = { year, kwh: Math.round(kwh) };
    yearKwh.set(year, openingKwh.kwh);
  }

  let prev: Prev | null = null;
  let lastReadK = -1;
  const latestK = ctx.latestK[c.station.index];
  const auditFrom = latestK - ctx.auditedPeriods + 1;
  const instAt = (day: number) => {
    let j = 0;
    while (j + 1 < insts.length && insts[j + 1].installedDay <= day) j++;
    return j;
  };
  let closeK = M;
  if (c.closedDay !== null) {
    closeK = 0;
    for (let k = 0; k <= M; k++) if (sched[k] <= c.closedDay) closeK = k;
    c.closedDay = sched[closeK] + 3;
  }
  for (let k = 0; k <= closeK; k++) {
    if (sched[k] <= c.openedDay + 3) continue;
    if (k > 0 && c.meterChangeAt === k) change(k, "METER");
    if (k > 0 && c.multiplierChangeAt === k && c.meterChangeAt !== k) change(k, "MULTIPLIER");
    // how this period's reading goes
    let day = sched[k];
    let source = c.route.remote ? "REMOTE" : "MANUAL";
    let minute = c.route.remote ? r.int(60, 299) : r.int(540, 1020);
    let reason: string | null = null;
    let obs: readonly string[] = NO_OBS;
    let estimated = false;
    const x = r.next();
    if (prev !== null && k >= 1 && (c.vacantFrom > M || k < c.vacantFrom - 1)) {
      if (c.route.remote) {
        if (x < 0.015) { source = "CATCH_UP"; day += r.int(1, 4); minute = r.int(540, 1020); reason = "REMOTE_FAILED"; }
      } else if (x < 0.08) day += r.chance(0.5) ? 1 : -1;
      else if (x < 0.1) day += r.int(2, 4);
      else if (x < 0.125 && !prev.estimated && prev.kwh > 0 && k < c.vacantFrom) {
        estimated = true; source = "ESTIMATED"; reason = r.chance(0.4) ? "CUSTOMER_REFUSED" : "NO_ACCESS";
        if (reason === "NO_ACCESS") obs = OBS_NO_ACCESS;
      } else if (x < 0.14 && k < M) {
        continue; // missed (漏抄): no reading; the next bill covers both months
      }
      if (!c.route.remote && c.usageChanged && k >= M - 3) obs = OBS_USAGE_CHANGED;
    }
    if (!c.route.remote && k >= c.vacantFrom) obs = OBS_VACANT;
    if (day > ctx.asOf) break;
    const j = instAt(day);
    const inst = insts[j];
    let reg = regOf(inst, day);
    if (estimated && prev) {
      const est = prev.inst === j ? prev.reg + Math.round(prev.kwh / inst.multiplier) : reg;
      reg = Math.min(reg, est);
    }
    const peak = c.tou ? peakOf(reg) : -1;
    let demand: number | null = null; // register reading in hundredths of kW (before the multiplier)
    let reactive: number | null = null;
    if (c.category === "LARGE") {
      reactive = Math.floor(reg * c.tanPhi) % wrap;
      const interval = prev ? Math.max(1, day - prev.day) : 30;
      const kw = ((Tat(day) - Tat(day - interval)) / (interval * 24 * (0.4 + r.next() * 0.2))) / inst.multiplier;
      demand = Math.round(kw * 100);
    }
    const readingId = ctx.ids.next("reading");
    const w = ctx.bin.reading;
    w.row(16);
    w.int(readingId); w.int(c.stationId); w.int(c.id); w.int(inst.id); w.text(ctx.periods[k]); w.date(sched[k]);
    w.ts(day, estimated ? 1080 : minute);
    w.cents((reg % wrap) * 100);
    if (peak >= 0) { w.cents((peak % wrap) * 100); w.cents(((reg - peak) % wrap) * 100); } else { w.nul(); w.nul(); }
    w.centsOrNull(reactive === null ? null : reactive * 100);
    w.centsOrNull(demand);
    w.text(source); w.textOrNull(reason); w.textArray(obs);
    w.intOrNull(source === "REMOTE" ? null : c.route.readerId);
    lastReadK = k;

    // the bill for this period, from the previous reading (or the installation's start)
    let kwh = 0;
    let peakKwh = 0;
    const from = prev ?? { inst: 0, reg: insts[0].startReg, day: insts[0].installedDay, estimated: false, kwh: 0 };
    for (let q = from.inst; q <= j; q++) {
      const a = q === from.inst ? from.reg : insts[q].startReg;
      const b = q === j ? reg : insts[q].finalReg!;
      kwh += (b - a) * insts[q].multiplier;
      if (c.tou) peakKwh += (peakOf(b) - peakOf(a)) * insts[q].multiplier;
    }
    const fromDay = from.day;
    const newConnection = prev === null;
    prev = { inst: j, reg, day, estimated, kwh };
    if (k === 0 && !newCustomer) continue; // the opening reading: its bill is before the history
    const readDay = Math.max(day, sched[k]);
    const issue = readDay + settings.issueDaysAfterReading;
    if (issue > ctx.asOf) continue; // read, not billed yet: the billing run's work
    const period = ctx.periods[k];
    const year = Number(period.slice(0, 4));
    const def0 = c.tariff.versions;
    const prior = yearKwh.get(year) ?? 0;
    yearKwh.set(year, prior + kwh);
    const usage = (k2: number, pk: number) => ({
      kwh: k2, householdSize: c.householdSize, priorKwhInYear: annual ? prior : 0,
      peakKwh: c.tou ? pk : null, valleyKwh: c.tou ? k2 - pk : null,
    });
    let lines: string[] = [];
    let total = 0;
    let version = versionAt(c.tariff, iso(day));
    const tariffChange = def0.length > 1 ? def0.find((v) => v.effectiveFrom > iso(fromDay) && v.effectiveFrom <= iso(day)) : undefined;
    if (tariffChange && kwh > 0) {
      // a bill spanning a tariff change is split by days (each part priced by its own version)
      const older = versionAt(c.tariff, iso(fromDay));
      const share = (dayNum(tariffChange.effectiveFrom) - fromDay) / Math.max(1, day - fromDay);
      const k1 = Math.round(kwh * share);
      const p1 = Math.round(peakKwh * share);
      const a = priceEnergy(older.definition, usage(k1, p1));
      const b = priceEnergy(tariffChange.definition, usage(kwh - k1, peakKwh - p1));
      lines = [
        ...a.lines.map((l) => lineJson(l, `,"effectiveFrom":"${older.effectiveFrom}"`)),
        ...b.lines.map((l) => lineJson(l, `,"effectiveFrom":"${tariffChange.effectiveFrom}"`)),
      ];
      total = a.total + b.total;
      version = tariffChange;
    } else {
      const p = priceEnergy(version.definition, usage(kwh, peakKwh));
      lines = p.lines.map((l) => lineJson(l));
      total = p.total;
    }
    const twoPart = version.definition.twoPart;
    if (twoPart) {
      // Simple basic charge (容量 or 需量 × monthly price); the billing helper's full two-part
      // pricing (with the power-factor adjustment) replaces this for bills it computes.
      let amount: number;
      let qty: string;
      if (twoPart.basis === "capacity") {
        amount = priceTimes(parsePrice(twoPart.capacityPrice), BigInt(c.capacityKva ?? 0));
        qty = String(c.capacityKva ?? 0);
      } else {
        const kwHundredths = (demand ?? 0) * inst.multiplier;
        amount = priceTimes(parsePrice(twoPart.demandPrice), BigInt(kwHundredths), 100n);
        qty = (kwHundredths / 100).toFixed(2);
      }
      lines.push(`{"label":"basic-${twoPart.basis}","kwh":0,"price":"${twoPart.basis === "capacity" ? twoPart.capacityPrice : twoPart.demandPrice}","amount":"${formatYuan(amount)}","quantity":"${qty}"}`);
      total += amount;
    }
    let findings: AuditFinding[] | null = null;
    if (k >= auditFrom) {
      // installations removed since the previous reading, as assembleSpans sees them: the same
      // meter read now with another multiplier is a multiplier change, anything else a 换表
      let multiplierChanged = false;
      for (let q = from.inst; q < j; q++) if (insts[q].meterId === inst.meterId && insts[q].multiplier !== inst.multiplier) multiplierChanged = true;
      findings = auditDraft(ctx, c, bills, {
        k, kwh, readDay: day, scheduledDay: sched[k], estimated, newConnection,
        meterReplaced: from.inst < j && !multiplierChanged, multiplierChanged, twoPartFromInstallation: !!twoPart && (newConnection || from.inst < j),
      });
    }
    bills.push({
      id: ctx.ids.next("bill"), customerId: c.id, k, period, issue, due: issue + settings.dueDaysAfterIssue,
      amount: total, paid: 0, settled: null, lateFeeThrough: null, residential: c.category === "RESIDENTIAL",
      kwh, linesJson: `[${lines.join(",")}]`, readingId, versionId: version.id, estimated,
      // a closed account's final bill was cleared and issued at the closure
      findings, held: k === latestK && c.closedDay === null && findings !== null && findings.length > 0,
    });
  }
  if (c.closedDay !== null) {
    const last = insts[insts.length - 1];
    last.removedDay = c.closedDay;
    last.finalReg = prev ? prev.reg : last.startReg;
  }
  return { bills, installations: insts, meters, openingKwh, lastReadK };
}
