// Money is integer fen (分) inside the domain; decimal strings with two places at the edges.
// Unit prices keep their published decimals as strings and are multiplied exactly with
// BigInt, then rounded once, half-up, here and nowhere else.

export type Fen = number; // integer number of fen; safe to ±9·10^15 fen

const MONEY_RE = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;
const PRICE_RE = /^(\d{1,6})(?:\.(\d{1,8}))?$/;

/** "114.6" | "114.60" | "114" → 11460. Throws on anything else (no floats, no exponents). */
export function parseYuan(s: string): Fen {
  const m = MONEY_RE.exec(s.trim());
  if (!m) throw new RangeError(`not a money amount: ${JSON.stringify(s)}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -fen : fen;
}

export function isYuan(s: string): boolean {
  return MONEY_RE.test(s.trim());
}

/** One payment's ceiling: 10 亿元 (numeric(14,2) holds 10^12; anything near it is a typo). */
export const MAX_PAYMENT_FEN: Fen = 1_000_000_000_00;

export type AmountProblem = "format" | "tooLarge" | "zero";

/** A typed amount of money ("120", "120.5", "120.50"; already normalised) → fen, or what is wrong
 *  with it: not a non-negative number with at most two decimals, above `maxFen`, or zero. Any
 *  number of digits is read, so a huge amount is called too large, not malformed. */
export function readAmount(s: string, maxFen: Fen = MAX_PAYMENT_FEN): { ok: true; fen: Fen } | { ok: false; problem: AmountProblem } {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { ok: false, problem: "format" };
  const int = m[1].replace(/^0+(?=\d)/, "");
  if (int.length > 13) return { ok: false, problem: "tooLarge" };
  const fen = parseYuan(m[2] === undefined ? int : `${int}.${m[2]}`);
  if (fen > maxFen) return { ok: false, problem: "tooLarge" };
  if (fen === 0) return { ok: false, problem: "zero" };
  return { ok: true, fen };
}

/** 11460 → "114.60" */
export function formatYuan(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not whole fen: ${fen}`);
  const neg = fen < 0;
  const a = Math.abs(fen);
  const s = `${Math.trunc(a / 100)}.${String(a % 100).padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

/** A unit price as an exact fraction: "0.5469" → { num: 5469n, scale: 10000n } (元/unit). */
export type Price = { num: bigint; scale: bigint };

export function parsePrice(s: string): Price {
  const m = PRICE_RE.exec(s.trim());
  if (!m) throw new RangeError(`not a unit price: ${JSON.stringify(s)}`);
  const dec = m[2] ?? "";
  return { num: BigInt(m[1] + dec), scale: 10n ** BigInt(dec.length) };
}

export function isPrice(s: string): boolean {
  return PRICE_RE.test(s.trim());
}

/** Divides n by d (d > 0) rounding half away from zero: the single rounding rule. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  const sign = n < 0n ? -1n : 1n;
  const a = n < 0n ? -n : n;
  return sign * ((a * 2n + d) / (d * 2n));
}

/** quantity × price (元/unit) in fen, rounded half-up once. quantity may carry decimals via qtyScale. */
export function priceTimes(price: Price, quantity: bigint, qtyScale = 1n): Fen {
  // price.num/price.scale 元 × quantity/qtyScale × 100 fen/元
  return Number(divRoundHalfUp(price.num * quantity * 100n, price.scale * qtyScale));
}

/** amount × rate where rate is a decimal string ("0.001"), rounded half-up to the fen. */
export function fenTimesRate(amount: Fen, rate: string, times = 1): Fen {
  const p = parsePrice(rate);
  return Number(divRoundHalfUp(BigInt(amount) * p.num * BigInt(times), p.scale));
}

/** Price difference a − b as a decimal string with the larger of the two scales. */
export function priceMinus(a: string, b: string): string {
  const pa = parsePrice(a);
  const pb = parsePrice(b);
  const scale = pa.scale > pb.scale ? pa.scale : pb.scale;
  const diff = pa.num * (scale / pa.scale) - pb.num * (scale / pb.scale);
  const digits = scale.toString().length - 1;
  const neg = diff < 0n;
  const abs = (neg ? -diff : diff).toString().padStart(digits + 1, "0");
  const s = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return neg ? `-${s}` : s;
}

export function sumFen(xs: readonly Fen[]): Fen {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}
