// Prices one period's energy for a residential or non-residential customer: tiered
// (阶梯, monthly or annual basis, 一户多人口 raise), flat (one tier) and time-of-use (峰谷)
// with tier increments added after (先峰谷、后阶梯). docs/calculator.md §2.
import { formatYuan, parsePrice, priceMinus, priceTimes, sumFen, type Fen, type Price } from "../money";

// A run prices a million bills with a handful of published prices: parse each string once.
// (Prices are immutable strings, so a cache cannot change a result.)
const parsed = new Map<string, Price>();
const increments = new Map<string, string>();
function price(s: string): Price {
  let p = parsed.get(s);
  if (!p) parsed.set(s, (p = parsePrice(s)));
  return p;
}
function increment(a: string, b: string): string {
  const k = `${a}|${b}`;
  let d = increments.get(k);
  if (d === undefined) increments.set(k, (d = priceMinus(a, b)));
  return d;
}

export type Tier = { upToKwh: number | null; price: string };

export type EnergyTariff = {
  tiers: Tier[]; // ascending thresholds, the last null (no limit); one tier = flat
  tierBasis: "monthly" | "annual";
  largeHouseholdExtraKwh?: number; // added to every threshold when householdSize ≥ 5
  timeOfUse: null | { peak: string; valley: string };
};

export type EnergyUsage = {
  kwh: number;
  householdSize: number;
  priorKwhInYear: number; // annual basis: kWh used earlier in the same tariff year
  peakKwh: number | null;
  valleyKwh: number | null;
};

export type BillLine = { label: string; kwh: number; price: string; amount: Fen };
export type PricedEnergy = { lines: BillLine[]; total: Fen };

export const LARGE_HOUSEHOLD_SIZE = 5;

/** kWh of [from, from+kwh) falling in each tier. */
export function splitByTier(tiers: readonly Tier[], from: number, kwh: number, extra: number): number[] {
  const out: number[] = [];
  let lower = 0;
  for (const t of tiers) {
    const upper = t.upToKwh === null ? Infinity : t.upToKwh + extra;
    const a = Math.max(from, lower);
    const b = Math.min(from + kwh, upper);
    out.push(Math.max(0, b - a));
    lower = upper;
  }
  return out;
}

export function priceEnergy(tariff: EnergyTariff, usage: EnergyUsage): PricedEnergy {
  const extra = usage.householdSize >= LARGE_HOUSEHOLD_SIZE ? tariff.largeHouseholdExtraKwh ?? 0 : 0;
  const from = tariff.tierBasis === "annual" ? usage.priorKwhInYear : 0;
  const perTier = splitByTier(tariff.tiers, from, usage.kwh, extra);
  const lines: BillLine[] = [];
  const line = (label: string, kwh: number, p: string) => {
    if (kwh > 0) lines.push({ label, kwh, price: p, amount: priceTimes(price(p), BigInt(kwh)) });
  };
  if (tariff.timeOfUse) {
    line("peak", usage.peakKwh ?? 0, tariff.timeOfUse.peak);
    line("valley", usage.valleyKwh ?? 0, tariff.timeOfUse.valley);
    const base = tariff.tiers[0].price;
    perTier.forEach((k, i) => {
      if (i > 0) line(`tier-${i + 1}-increment`, k, increment(tariff.tiers[i].price, base));
    });
  } else {
    perTier.forEach((k, i) => line(`tier-${i + 1}`, k, tariff.tiers[i].price));
  }
  return { lines, total: sumFen(lines.map((l) => l.amount)) };
}

/** The contract's JSON shape: amounts as "0.00" strings. */
export function toContractOutput(p: PricedEnergy) {
  return {
    lines: p.lines.map((l) => ({ label: l.label, kwh: l.kwh, price: l.price, amount: formatYuan(l.amount) })),
    total: formatYuan(p.total),
  };
}
