// Meter register values. A register shows kWh with up to two decimals (numeric(12,2) in the
// database); inside the domain they are integer hundredths so that comparisons and
// differences are exact. kWh from registers: billing/consumption.ts (the only way).

export type Centi = number; // register value × 100, a non-negative safe integer

// Parsing is the billing helper's (one way to read a register everywhere).
export { isRegister, parseRegister } from "../billing/consumption";

/** 1234560 → "12345.60" */
export function formatRegister(c: Centi): string {
  if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`not a register value: ${c}`);
  return `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, "0")}`;
}

/** A register with `digits` digits before the decimal point rolls over at 10^digits kWh. */
export function registerCapacity(digits: number): Centi {
  return 10 ** digits * 100;
}
