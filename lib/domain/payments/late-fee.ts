// 电费违约金: late-payment charges on overdue bills, docs/calculator.md §4.
// Rule (供电营业规则 1996 §98, rates are settings, docs/domain/collection.md §2): counted per day from the day
// after the due date (or after `accruedThrough`, when the charge to that day was already
// settled) to `asOf` inclusive, on the unpaid amount, never compounding. Residential: one rate.
// Other: one rate for days in the due date's calendar year, another for days in any later
// year (method B of docs/sources.md §2.3: the split is evaluated day by day, so a December bill paid in
// January pays the current-year rate for its December days and the cross-year rate after).
// Each bill's fee is rounded half-up once; the minimum total applies once to the total.
import { z } from "zod";
import { divRoundHalfUp, formatYuan, parsePrice, parseYuan, sumFen, type Fen } from "../money";
import { addDays, daysBetween, isIsoDate, maxDate, yearOf, type IsoDate } from "../calendar";
import { DEFAULT_SETTINGS, mergeSettings, settingsOverrideSchema, type Settings, type SettingsOverride } from "../settings";

export type CustomerClass = "residential" | "other";
export type LateFeeRates = Settings["lateFee"];

export type LateFeeBill = {
  id: string;
  amount: Fen; // unpaid principal the charge runs on
  dueDate: IsoDate;
  accruedThrough?: IsoDate | null; // charges settled through this day
};

export type BillFee = { id: string; days: number; fee: Fen; currentYearDays: number; crossYearDays: number };
export type LateFeeResult = { bills: BillFee[]; rawTotal: Fen; total: Fen };

/** Days charged for one bill, split into the due date's year and later years. */
export function chargeableDays(dueDate: IsoDate, asOf: IsoDate, accruedThrough?: IsoDate | null) {
  const from = addDays(accruedThrough ? maxDate(dueDate, accruedThrough) : dueDate, 1); // first charged day
  const days = Math.max(0, daysBetween(from, asOf) + 1);
  if (days === 0) return { days: 0, currentYearDays: 0, crossYearDays: 0 };
  const yearEnd = `${yearOf(dueDate)}-12-31`;
  // days of [from, asOf] on or before the due year's 31 December
  const currentYearDays = Math.min(days, Math.max(0, daysBetween(from, yearEnd) + 1));
  return { days, currentYearDays, crossYearDays: days - currentYearDays };
}

/** One bill's charge, rounded half-up to the fen once (both rate parts summed before rounding). */
export function billFee(cls: CustomerClass, rates: LateFeeRates, amount: Fen, currentYearDays: number, crossYearDays: number): Fen {
  if (amount <= 0) return 0;
  if (cls === "residential") {
    const r = parsePrice(rates.residentialDailyRate);
    return Number(divRoundHalfUp(BigInt(amount) * r.num * BigInt(currentYearDays + crossYearDays), r.scale));
  }
  const a = parsePrice(rates.otherCurrentYearDailyRate);
  const b = parsePrice(rates.otherCrossYearDailyRate);
  const scale = a.scale > b.scale ? a.scale : b.scale;
  const perScale = a.num * (scale / a.scale) * BigInt(currentYearDays) + b.num * (scale / b.scale) * BigInt(crossYearDays);
  return Number(divRoundHalfUp(BigInt(amount) * perScale, scale));
}

/** The 1996 rule's floor: a total above zero but below the minimum becomes the minimum. */
export function applyMinimum(total: Fen, rates: LateFeeRates): Fen {
  if (rates.minimumTotal === null || total <= 0) return total;
  const min = parseYuan(rates.minimumTotal);
  return total < min ? min : total;
}

export function computeLateFees(input: {
  customerClass: CustomerClass;
  asOf: IsoDate;
  bills: readonly LateFeeBill[];
  rates?: LateFeeRates;
}): LateFeeResult {
  const rates = input.rates ?? DEFAULT_SETTINGS.lateFee;
  const bills = input.bills.map((b) => {
    const d = chargeableDays(b.dueDate, input.asOf, b.accruedThrough);
    return { id: b.id, ...d, fee: billFee(input.customerClass, rates, b.amount, d.currentYearDays, d.crossYearDays) };
  });
  const rawTotal = sumFen(bills.map((b) => b.fee));
  return { bills, rawTotal, total: applyMinimum(rawTotal, rates) };
}

// ───────────── the calculator (JSON in, JSON out) ─────────────

const date = z.string().refine(isIsoDate, "日期须为有效的 YYYY-MM-DD");
const money = z.string().regex(/^\d{1,11}\.\d{2}$/, "金额须为不小于零、两位小数的字符串，如 \"150.00\"");

export const lateFeeInputSchema = z.strictObject({
  customerClass: z.enum(["residential", "other"], "customerClass 须为 residential 或 other"),
  asOf: date,
  bills: z.array(
    z.strictObject({
      id: z.string().min(1, "id 不能为空"),
      amount: money,
      dueDate: date,
      accruedThrough: date.nullable().optional(),
    }),
  ),
  settings: settingsOverrideSchema.optional(),
});

export type LateFeeInput = z.infer<typeof lateFeeInputSchema>;

/** `npm run calc -- late-fee` (registered in lib/domain/calculators.ts): input parsed by
 *  lateFeeInputSchema, settings already merged over the defaults. */
export function runLateFee(input: LateFeeInput, settings: Settings) {
  const r = computeLateFees({
    customerClass: input.customerClass,
    asOf: input.asOf,
    rates: settings.lateFee,
    bills: input.bills.map((b) => ({ id: b.id, amount: parseYuan(b.amount), dueDate: b.dueDate, accruedThrough: b.accruedThrough })),
  });
  return {
    bills: r.bills.map((b) => ({ id: b.id, days: b.days, fee: formatYuan(b.fee), currentYearDays: b.currentYearDays, crossYearDays: b.crossYearDays })),
    total: formatYuan(r.total),
  };
}

/** The same, merging the input's own settings (for callers outside the registry). */
export function lateFeeCalculator(input: LateFeeInput) {
  return runLateFee(input, mergeSettings(DEFAULT_SETTINGS, input.settings as SettingsOverride | undefined));
}
