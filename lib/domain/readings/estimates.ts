// Missed readings and estimates (估抄). docs/domain/readings.md §3: estimating is an exception,
// allowed only when the customer prevents reading; then either a catch-up reading (待期补抄)
// or the previous period's consumption is billed and the difference settled at the next
// actual reading (暂按前次用电量计收，待下一次抄表时一并结清). Two estimates in a row are an
// exception for the auditor.
import { addDays, isWorkingDay, type HolidayCalendar, type IsoDate } from "../calendar";
import type { Settings } from "../settings";
import { registerCapacity, type Centi } from "./register";

/** Why a meter was not read. The first two are the customer's doing. */
export const MISSED_REASONS = ["CUSTOMER_REFUSED", "NO_ACCESS", "METER_FAULT", "OTHER"] as const;
export type MissedReason = (typeof MISSED_REASONS)[number];
const CUSTOMER_PREVENTED: readonly MissedReason[] = ["CUSTOMER_REFUSED", "NO_ACCESS"];

export type MissedChoice = "CATCH_UP" | "ESTIMATE";

export function customerPrevented(reason: MissedReason): boolean {
  return CUSTOMER_PREVENTED.includes(reason);
}

export type MissedDecision =
  | { ok: true; choice: "CATCH_UP"; visitOn: IsoDate }
  | { ok: true; choice: "ESTIMATE"; exception: boolean }
  | { ok: false; code: "ESTIMATE_NOT_ALLOWED" | "NO_BASIS_FOR_ESTIMATE" };

/** The next working day after `asOf`: when a catch-up visit is planned. */
export function catchUpDate(asOf: IsoDate, cal: HolidayCalendar): IsoDate {
  let d = addDays(asOf, 1);
  while (!isWorkingDay(d, cal)) d = addDays(d, 1);
  return d;
}

/** Validates the auditor's (or reader's) choice for one missed reading. An estimate needs a
 *  customer-prevented reason and a previous consumption to copy; one that makes the run of
 *  estimates longer than the setting allows is still possible (the customer may keep the door
 *  shut) but comes back flagged as an exception, which the checks and the audit show. */
export function decideMissed(input: {
  reason: MissedReason;
  choice: MissedChoice;
  previousConsumptionKwh: number | null;
  estimatesBefore: number; // consecutive estimates immediately before this period
  asOf: IsoDate;
  calendar: HolidayCalendar;
  settings: Settings["readings"];
}): MissedDecision {
  if (input.choice === "CATCH_UP") return { ok: true, choice: "CATCH_UP", visitOn: catchUpDate(input.asOf, input.calendar) };
  if (!customerPrevented(input.reason)) return { ok: false, code: "ESTIMATE_NOT_ALLOWED" };
  if (input.previousConsumptionKwh === null) return { ok: false, code: "NO_BASIS_FOR_ESTIMATE" };
  return { ok: true, choice: "ESTIMATE", exception: isEstimateException(input.estimatesBefore + 1, input.settings) };
}

/** The register value an estimate stands for: last value + the previous period's kWh ÷ multiplier
 *  (wrapping past the register's capacity like the meter would). */
export function estimatedRegister(last: Centi, previousKwh: number, multiplier: number, digits: number): Centi {
  return (last + Math.round((previousKwh * 100) / multiplier)) % registerCapacity(digits);
}

/** Settling at the next actual reading: what the actual reading shows for the whole span since
 *  the last actual reading, minus what was already billed on estimates. Negative = credit. */
export function settleAfterEstimates(actualKwhSinceLastActual: number, estimatedKwhBilled: readonly number[]): {
  kwhToBill: number;
  alreadyBilledKwh: number;
} {
  const alreadyBilledKwh = estimatedKwhBilled.reduce((a, b) => a + b, 0);
  return { kwhToBill: actualKwhSinceLastActual - alreadyBilledKwh, alreadyBilledKwh };
}

export type SourceKind = "MANUAL" | "REMOTE" | "ESTIMATED" | "CATCH_UP" | "REREAD";

/** Length of the run of estimates ending at the last element (periods in order, null = not taken). */
export function consecutiveEstimates(sources: readonly (SourceKind | null)[]): number {
  let n = 0;
  for (let i = sources.length - 1; i >= 0 && sources[i] === "ESTIMATED"; i--) n++;
  return n;
}

/** Two estimates in a row (default) are an exception: more than the setting allows. */
export function isEstimateException(run: number, s: Settings["readings"]): boolean {
  return run > s.maxConsecutiveEstimates;
}
