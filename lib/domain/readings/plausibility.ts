// Plausibility of a reading, checked at the meter before the reader walks on (002 §1.2: wrong
// readings are what customers complain about). Three outcomes:
//   ok       – save it;
//   confirm  – unusual but possible (far above/below the customer's own history, a register
//              rollover): the reader confirms with a reason code (vacant, usage changed …);
//   reread   – probably a mistake (below the last reading without a meter change, more digits
//              than the register has, a "rollover" that would mean an absurd consumption): the
//              reader reads the meter again; the same value entered twice is accepted as
//              REREAD_CONFIRMED and goes to the auditor flagged.
// The server runs the same function on every reading it receives and refuses one whose
// decision is not resolved by its reason code (isResolved), so the check cannot be skipped.
import type { Settings } from "../settings";
import { registerAdvance } from "../billing/consumption";
import { formatRegister, registerCapacity, type Centi } from "./register";

export type PlausibilityReason =
  | "EXCEEDS_REGISTER" // more digits than the register has
  | "BELOW_PREVIOUS" // lower than the last reading (or the new meter's start) without a meter change
  | "ROLLOVER" // the register passed 99999… and started again at 0
  | "HIGH_USAGE" // far above the customer's own history
  | "LOW_USAGE"; // far below the customer's own history

export type Decision = "ok" | "confirm" | "reread";

/** What the reader may answer to a "confirm": what he sees at the meter. */
export const CONFIRM_REASONS = ["VERIFIED", "VACANT", "USAGE_CHANGED", "METER_FAULT", "ROLLOVER"] as const;
export type ConfirmReason = (typeof CONFIRM_REASONS)[number];
export const REREAD_CONFIRMED = "REREAD_CONFIRMED";

export type ExpectedRange = {
  averageKwh: number; // the customer's own average over the periods compared
  lowKwh: number;
  highKwh: number;
  lowReading: Centi; // the same range as register values, for the reader's screen
  highReading: Centi;
};

export type PreviousReading = { value: Centi; kind: "READING" | "INSTALLATION_START" };

export type PlausibilityInput = {
  value: Centi;
  previous: PreviousReading | null;
  digits: number; // register digits before the decimal point
  multiplier: number; // 倍率
  historyKwh: readonly number[]; // own recent per-period consumption, actual readings only
  // periods since `previous` (1 normally; 2 when the period before was estimated and this
  // reading is compared with the last actual one): the expected range covers all of them
  periodsSpanned?: number;
  settings: Settings["readings"];
};

export type PlausibilityResult = {
  decision: Decision;
  reasons: PlausibilityReason[];
  consumptionKwh: number | null; // null when there is nothing to compare with
  rollover: boolean;
  expected: ExpectedRange | null;
};

/** The customer's expected consumption: own average, widened by the settings' percentages. */
export function expectedRange(
  previous: Centi | null,
  historyKwh: readonly number[],
  multiplier: number,
  digits: number,
  s: Settings["readings"],
  periodsSpanned = 1,
): ExpectedRange | null {
  if (historyKwh.length === 0) return null;
  const averageKwh = Math.round((historyKwh.reduce((a, b) => a + b, 0) / historyKwh.length) * periodsSpanned);
  const lowKwh = Math.floor((averageKwh * Math.max(0, 100 - s.expectedRangeLowPct)) / 100);
  const highKwh = Math.ceil((averageKwh * (100 + s.expectedRangeHighPct)) / 100);
  const base = previous ?? 0;
  const cap = registerCapacity(digits);
  return {
    averageKwh,
    lowKwh,
    highKwh,
    lowReading: (base + Math.ceil((lowKwh * 100) / multiplier)) % cap,
    highReading: (base + Math.floor((highKwh * 100) / multiplier)) % cap,
  };
}

export function checkPlausibility(input: PlausibilityInput): PlausibilityResult {
  const { value, previous, digits, multiplier, historyKwh, settings } = input;
  const cap = registerCapacity(digits);
  const expected = expectedRange(previous?.value ?? null, historyKwh, multiplier, digits, settings, input.periodsSpanned ?? 1);
  const result = (decision: Decision, reasons: PlausibilityReason[], kwh: number | null, rollover = false) =>
    ({ decision, reasons, consumptionKwh: kwh, rollover, expected }) satisfies PlausibilityResult;

  if (value >= cap) return result("reread", ["EXCEEDS_REGISTER"], null);
  if (!previous) return result("ok", [], null);

  // kWh exactly as the bill will count them (billing/consumption.ts: positions × multiplier).
  // A new meter never wraps at its start, so only a previous READING may explain a drop by a wrap.
  const adv = registerAdvance(formatRegister(previous.value), formatRegister(value), digits, multiplier);
  if (adv.lower) return result("reread", ["BELOW_PREVIOUS"], adv.kwh);
  if (adv.rollover && previous.kind !== "READING") {
    return result("reread", ["BELOW_PREVIOUS"], lowerKwh(previous.value, value, multiplier));
  }
  const rollover = adv.rollover;
  const kwh = adv.kwh;
  const reasons: PlausibilityReason[] = rollover ? ["ROLLOVER"] : [];
  if (expected && kwh > expected.highKwh) reasons.push("HIGH_USAGE");
  if (expected && kwh < expected.lowKwh) reasons.push("LOW_USAGE");
  // A wrap that would also mean far more than usual is a misread, not a rollover.
  if (rollover && reasons.includes("HIGH_USAGE")) return result("reread", reasons, kwh, true);
  return result(reasons.length ? "confirm" : "ok", reasons, kwh, rollover);
}

/** The (negative) advance of a register that went backwards, rounded like the bill rounds. */
function lowerKwh(from: Centi, to: Centi, multiplier: number): number {
  const whole = (c: Centi) => Math.floor((c * multiplier + 50) / 100);
  return whole(to) - whole(from);
}

/** A re-read that gives the same value again stands (and is flagged); a different one is checked afresh. */
export function rereadMatches(first: Centi, second: Centi): boolean {
  return first === second;
}

/** Does the reason code the reader gave settle the decision? (checked again on the server) */
export function isResolved(decision: Decision, reasonCode: string | null | undefined): boolean {
  if (decision === "ok") return true;
  if (decision === "reread") return reasonCode === REREAD_CONFIRMED;
  return reasonCode === REREAD_CONFIRMED || (CONFIRM_REASONS as readonly string[]).includes(reasonCode ?? "");
}
