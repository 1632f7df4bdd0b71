// 销户 (account closure) as pure rules: what a site check's result may say, and what the money
// says at the manager's approval. docs/domain/closure.md: six months of zero use → site check, notice,
// balance handling, a manager's approval; never an automatic closure.
import type { Fen } from "../money";
import { registerAdvance } from "../billing/consumption";

export const SITE_CHECK_RESULTS = ["VACANT", "IN_USE", "NO_ACCESS"] as const;
export type SiteCheckResult = (typeof SITE_CHECK_RESULTS)[number];

export type FinalReadingCheck =
  | { ok: true; kwh: number | null } // kWh since the last reading (null: no reading taken)
  | { ok: false; code: "SITE_CHECK_READING_ADVANCED" | "SITE_CHECK_READING_LOWER"; kwh: number };

/**
 * The register seen on the site check against the last one on record. Lower than the last one is
 * a misread (no meter change can happen between). "Vacant, agrees to close" with the register
 * moved on is a contradiction: the premise used power that was never billed, so the result
 * must be "in use" (or the reading billed first).
 */
export function checkFinalReading(p: {
  result: SiteCheckResult; finalReading: string | null; lastReading: string; digits: number; multiplier: number;
}): FinalReadingCheck {
  if (p.finalReading === null) return { ok: true, kwh: null };
  const adv = registerAdvance(p.lastReading, p.finalReading, p.digits, p.multiplier);
  if (adv.lower) return { ok: false, code: "SITE_CHECK_READING_LOWER", kwh: adv.kwh };
  if (p.result === "VACANT" && adv.kwh > 0) return { ok: false, code: "SITE_CHECK_READING_ADVANCED", kwh: adv.kwh };
  return { ok: true, kwh: adv.kwh };
}

/** The customer's money at approval time (fen), after prepaid funds have paid what they can. */
export type ClosureMoney = {
  balance: Fen; // Σ ledger entries: > 0 owed, < 0 prepaid funds
  pool: Fen; // prepaid funds held from payments (allocation rows without a bill)
  openPrincipal: Fen; // unpaid principal of released bills
};

export type ClosureSettlement =
  | { ok: true; refund: Fen; arrears: Fen }
  | { ok: false; balance: Fen; pool: Fen; openPrincipal: Fen };

/**
 * Prepaid funds are paid back, arrears stay owed (a closed account still takes payment toward
 * them). Only the customer's own money in the prepaid pool is refunded, and only when it is
 * exactly the balance with nothing open beside it; any other shape (funds from outside the pool,
 * funds left next to open bills) is for a person to reconcile before the account is closed.
 */
export function settleClosure(m: ClosureMoney): ClosureSettlement {
  if (m.balance < 0) {
    return m.pool === -m.balance && m.openPrincipal === 0 ? { ok: true, refund: -m.balance, arrears: 0 } : { ok: false, ...m };
  }
  return m.pool === 0 ? { ok: true, refund: 0, arrears: m.balance } : { ok: false, ...m };
}
