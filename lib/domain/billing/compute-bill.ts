// One customer's bill for one period from its consumption and its tariff's versions (pure).
// priceEnergy (price-bill.ts) stays the one energy pricer; this module adds what a bill needs
// around it: the split across a tariff change, the two-part basic charge and 力调电费.
//
// Split across a tariff change (documented rule): consumption between the reading on
// `intervalStart` and the reading on `intervalEnd` is spread evenly over the days
// intervalStart … intervalEnd−1, and each day is priced by the version in force on it. kWh are
// shared out pro rata by days with the largest-remainder method (peak and valley separately),
// so the parts always add up to the whole. The tier position runs on across the segments: the
// second segment starts where the first ended (its kWh continue up the same month's or year's
// ladder), so a split never resets the tiers and more kWh never cost less.
// The basic charge and the power-factor standard come from the version in force at the end.
import { daysBetween, type IsoDate } from "../calendar";
import { parsePrice, priceTimes, sumFen, type Fen } from "../money";
import type { Consumption } from "./consumption";
import { bpToPercent, powerFactorAdjustment } from "./power-factor";
import { priceEnergy, type EnergyTariff, type EnergyUsage } from "./price-bill";
import { versionInForce, type TariffVersionDef } from "./tariff";

export type ComputedLine = {
  label: string; // tier-1 … | peak | valley | tier-k-increment | basic-capacity | basic-demand | power-factor
  kwh: number;
  price: string; // 元 per kWh (per kVA or kW for basic lines, the percentage for power-factor)
  amount: Fen;
  versionId?: number; // tariff version, when the period was split
  from?: IsoDate; // segment dates, when the period was split
  to?: IsoDate;
  quantity?: string; // kVA / kW for basic lines
  unit?: string;
  powerFactor?: string; // power-factor line: the month's PF, e.g. "0.87"
};

export type BillFlag = "TARIFF_MISSING" | "TOU_REGISTERS_MISSING" | "BASIC_BASIS_MISSING" | "REACTIVE_MISSING";

export type ComputedBill = {
  lines: ComputedLine[];
  total: Fen;
  kwh: number;
  tariffVersionId: number | null; // the version in force at the end of the interval
  flags: BillFlag[];
};

export type BillCustomer = {
  householdSize: number; // 一户多人口 raise when ≥ 5 and still approved (caller decides)
  timeOfUse: boolean; // the customer opted into 峰谷 prices
  priorKwhInYear: number; // annual tiers: kWh earlier in the same tariff year
  capacityKva: number | null; // 专变 transformer capacity
};

export type Segment = { version: TariffVersionDef; from: IsoDate; to: IsoDate; days: number };

// Customers of one tariff read on the same days share their segments: computed once per
// (versions list, start, end). Pure: the same inputs always give the same segments.
const segmentCache = new WeakMap<readonly TariffVersionDef[], Map<string, Segment[]>>();

/** The interval [start, end) cut at each version change. */
export function tariffSegments(versions: readonly TariffVersionDef[], start: IsoDate, end: IsoDate): Segment[] {
  let byDates = segmentCache.get(versions);
  if (!byDates) segmentCache.set(versions, (byDates = new Map()));
  const key = `${start}|${end}`;
  let segs = byDates.get(key);
  if (!segs) {
    if (byDates.size > 10_000) byDates.clear();
    byDates.set(key, (segs = cutSegments(versions, start, end)));
  }
  return segs;
}

function cutSegments(versions: readonly TariffVersionDef[], start: IsoDate, end: IsoDate): Segment[] {
  const atEnd = versionInForce(versions, end) ?? null;
  if (start >= end) return atEnd ? [{ version: atEnd, from: end, to: end, days: 0 }] : [];
  const changes = versions
    .filter((v) => v.effectiveFrom > start && v.effectiveFrom < end)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const out: Segment[] = [];
  let from = start;
  let current = versionInForce(versions, start);
  for (const v of changes) {
    if (current) out.push({ version: current, from, to: v.effectiveFrom, days: daysBetween(from, v.effectiveFrom) });
    from = v.effectiveFrom;
    current = v;
  }
  if (current) out.push({ version: current, from, to: end, days: daysBetween(from, end) });
  // days before the first version ever in force are priced by that first version
  if (out.length && out[0].from > start) out[0] = { ...out[0], from: start, days: daysBetween(start, out[0].to) };
  return out;
}

/** Shares `total` by weights with the largest-remainder method: the parts sum to `total`. */
export function shareOut(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

function energyTariffOf(def: TariffVersionDef["definition"], tou: boolean): EnergyTariff {
  return {
    tiers: def.tiers,
    tierBasis: def.tierBasis,
    largeHouseholdExtraKwh: def.largeHouseholdExtraKwh,
    timeOfUse: tou ? def.timeOfUse : null,
  };
}

export function computeBill(
  versions: readonly TariffVersionDef[],
  intervalStart: IsoDate,
  intervalEnd: IsoDate,
  consumption: Pick<Consumption, "kwh" | "peakKwh" | "valleyKwh" | "reactiveKvarh" | "demandKw">,
  customer: BillCustomer,
): ComputedBill {
  const flags: BillFlag[] = [];
  const segments = tariffSegments(versions, intervalStart, intervalEnd);
  if (segments.length === 0) {
    return { lines: [], total: 0, kwh: consumption.kwh, tariffVersionId: null, flags: ["TARIFF_MISSING"] };
  }
  const last = segments[segments.length - 1].version;
  let wantsTou = false;
  if (customer.timeOfUse) for (const sg of segments) if (sg.version.definition.timeOfUse) wantsTou = true;
  const tou = wantsTou && consumption.peakKwh !== null;
  if (wantsTou && !tou) flags.push("TOU_REGISTERS_MISSING");

  let lines: ComputedLine[];
  const baseUsage = { householdSize: customer.householdSize };
  if (segments.length === 1) {
    // the usual case, kept lean: it runs a million times a period
    const usage: EnergyUsage = {
      householdSize: customer.householdSize,
      kwh: consumption.kwh,
      priorKwhInYear: customer.priorKwhInYear,
      peakKwh: tou ? consumption.peakKwh : null,
      valleyKwh: tou ? consumption.valleyKwh : null,
    };
    const def = last.definition;
    lines = priceEnergy(tou || def.timeOfUse === null ? def : energyTariffOf(def, false), usage).lines;
  } else {
    lines = [];
    const days = segments.map((s) => s.days);
    const peak = tou ? shareOut(consumption.peakKwh!, days) : null;
    const valley = tou ? shareOut(consumption.valleyKwh!, days) : null;
    const kwh = tou ? peak!.map((p, i) => p + valley![i]) : shareOut(consumption.kwh, days);
    let offset = 0;
    segments.forEach((s, i) => {
      const def = s.version.definition;
      const t = energyTariffOf(def, tou && def.timeOfUse !== null);
      // continue up the ladder where the previous segment stopped
      const prior = (def.tierBasis === "annual" ? customer.priorKwhInYear : 0) + offset;
      const priced = priceEnergy({ ...t, tierBasis: "annual" }, {
        ...baseUsage,
        kwh: kwh[i],
        priorKwhInYear: prior,
        peakKwh: t.timeOfUse ? peak![i] : null,
        valleyKwh: t.timeOfUse ? valley![i] : null,
      });
      for (const l of priced.lines) lines.push({ ...l, versionId: s.version.id, from: s.from, to: s.to });
      offset += kwh[i];
    });
  }

  const twoPart = last.definition.twoPart;
  if (twoPart) {
    if (twoPart.basis === "capacity") {
      if (customer.capacityKva === null) flags.push("BASIC_BASIS_MISSING");
      else lines.push({
        label: "basic-capacity", kwh: 0, price: twoPart.capacityPrice, quantity: String(customer.capacityKva), unit: "kVA",
        amount: priceTimes(parsePrice(twoPart.capacityPrice), BigInt(customer.capacityKva)),
      });
    } else if (consumption.demandKw === null) flags.push("BASIC_BASIS_MISSING");
    else {
      const [w, f = ""] = consumption.demandKw.split(".");
      lines.push({
        label: "basic-demand", kwh: 0, price: twoPart.demandPrice, quantity: consumption.demandKw, unit: "kW",
        amount: priceTimes(parsePrice(twoPart.demandPrice), BigInt(w + f.padEnd(2, "0")), 100n),
      });
    }
    if (consumption.reactiveKvarh === null) flags.push("REACTIVE_MISSING");
    else {
      const base = sumFen(lines.map((l) => l.amount));
      const adj = powerFactorAdjustment(twoPart.powerFactorStandard, consumption.kwh, consumption.reactiveKvarh, base);
      if (adj && adj.bp !== 0) {
        lines.push({ label: "power-factor", kwh: 0, price: bpToPercent(adj.bp), powerFactor: adj.powerFactor, amount: adj.amount });
      }
    }
  }
  let total = 0;
  for (const l of lines) total += l.amount;
  return { lines, total, kwh: consumption.kwh, tariffVersionId: last.id, flags };
}
