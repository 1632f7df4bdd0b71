// Meter register values. A register shows kWh with up to two decimals (numeric(12,2) in the
// database); inside the domain they are integer hundredths so that comparisons and
// differences are exact. Consumption in kWh = register difference × multiplier (倍率).

export type Centi = number; // register value × 100, a non-negative safe integer

const REGISTER_RE = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** "12345.6" | "12345.60" | "12345" → 1234560. Throws on letters, signs, exponents, 3+ decimals. */
export function parseRegister(s: string): Centi {
  const m = REGISTER_RE.exec(s.trim());
  if (!m) throw new RangeError(`not a register value: ${JSON.stringify(s)}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function isRegister(s: string): boolean {
  return REGISTER_RE.test(s.trim());
}

/** 1234560 → "12345.60" */
export function formatRegister(c: Centi): string {
  if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`not a register value: ${c}`);
  return `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, "0")}`;
}

/** A register with `digits` digits before the decimal point rolls over at 10^digits kWh. */
export function registerCapacity(digits: number): Centi {
  return 10 ** digits * 100;
}

/** kWh (whole, rounded half-up) for a register difference in hundredths times a multiplier. */
export function centiToKwh(deltaCenti: Centi, multiplier: number): number {
  const x = deltaCenti * multiplier;
  const sign = x < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(x) + 50) / 100);
}
