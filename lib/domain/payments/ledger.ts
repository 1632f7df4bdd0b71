// The ledger as pure functions. Every change to what a customer owes is an entry (amount > 0
// raises what is owed, < 0 lowers it); the balance is their sum, never stored. The check
// compares the entries with the documents they come from (released bills, payments and their
// allocations, late-fee charges and waivers) and says per customer what disagrees.
import { sumFen, type Fen } from "../money";

export type LedgerKind = "OPENING" | "BILL" | "LATE_FEE" | "PAYMENT" | "REVERSAL" | "ADJUSTMENT" | "WRITE_OFF" | "WAIVER" | "REFUND";

export type Entry = { kind: LedgerKind; amount: Fen };

export type Balance = { balance: Fen; owed: Fen; prepaidFunds: Fen };

/** balance > 0: owed; < 0: prepaid funds (the customer's money held by the station). */
export function deriveBalance(entries: readonly Entry[]): Balance {
  const balance = sumFen(entries.map((e) => e.amount));
  return { balance, owed: Math.max(0, balance), prepaidFunds: Math.max(0, -balance) };
}

/** Per-customer figures the check compares (all fen, aggregated by the data layer). */
export type CustomerFigures = {
  customerId: number;
  entries: Record<LedgerKind, Fen>; // sum per kind
  paymentEntries: Fen; // sum of PAYMENT and payment REVERSAL entries (entries carrying a payment id)
  releasedBills: Fen; // sum of amounts of every bill ever released (reversed ones included)
  billReversalEntries: Fen; // REVERSAL entries carrying a bill id (a released bill cancelled)
  reversedBillsAmount: Fen; // amounts of released bills now REVERSED
  allocations: Fen; // sum of principal + late fee over all this customer's allocation rows
  feeCharged: Fen; // LATE_FEE entries
  feeWaived: Fen; // WAIVER entries (negative)
  feeAllocated: Fen; // allocation late fee on this customer's bills
  credit: Fen; // allocations to prepaid funds (bill id null), net
  openPrincipal: Fen; // Σ (amount − paid) over RELEASED bills
  paidOnReversedBills: Fen; // Σ paid over REVERSED bills (that money is the customer's again)
  refunds: Fen; // Σ refund documents (prepaid funds paid back at closure), > 0
  refundedFromCredit: Fen; // the part of them taken out of the prepaid pool (refund allocation rows, negated)
};

export type BillFigures = { billId: number; customerId: number; amount: Fen; paidAmount: Fen; allocatedPrincipal: Fen; feeCharged: Fen; feeAllocated: Fen; feeWaived: Fen };
export type PaymentFigures = { paymentId: number; amount: Fen; status: "POSTED" | "REVERSED"; allocated: Fen };

export type LedgerProblem =
  | { code: "BILL_ENTRIES"; customerId: number; expected: Fen; actual: Fen }
  | { code: "PAYMENT_ENTRIES"; customerId: number; expected: Fen; actual: Fen }
  | { code: "BALANCE"; customerId: number; expected: Fen; actual: Fen }
  | { code: "REFUND_ENTRIES"; customerId: number; expected: Fen; actual: Fen }
  | { code: "REFUND_POOL"; customerId: number; expected: Fen; actual: Fen }
  | { code: "PAID_AMOUNT"; billId: number; expected: Fen; actual: Fen }
  | { code: "OVERPAID_BILL"; billId: number; expected: Fen; actual: Fen }
  | { code: "FEE_OVERPAID"; billId: number; expected: Fen; actual: Fen }
  | { code: "PAYMENT_ALLOCATION"; paymentId: number; expected: Fen; actual: Fen };

export function checkCustomer(c: CustomerFigures): LedgerProblem[] {
  const out: LedgerProblem[] = [];
  const e = c.entries;
  if (e.BILL !== c.releasedBills) out.push({ code: "BILL_ENTRIES", customerId: c.customerId, expected: c.releasedBills, actual: e.BILL });
  // money paid lowers what is owed by exactly what its allocations spent for this customer
  // (allocations include a refund's rows, which take funds out of the prepaid pool)
  if (c.paymentEntries + c.refundedFromCredit !== -c.allocations)
    out.push({ code: "PAYMENT_ENTRIES", customerId: c.customerId, expected: -c.allocations - c.refundedFromCredit, actual: c.paymentEntries });
  // every refund paid back is one REFUND entry of its amount
  if (e.REFUND !== c.refunds) out.push({ code: "REFUND_ENTRIES", customerId: c.customerId, expected: c.refunds, actual: e.REFUND });
  // and only funds held in the prepaid pool (brought by payments) are ever paid back
  if (c.refundedFromCredit !== c.refunds) out.push({ code: "REFUND_POOL", customerId: c.customerId, expected: c.refunds, actual: c.refundedFromCredit });
  // the balance from the entries equals what the documents say is owed
  const balance = sumFen(Object.values(e));
  const fromDocuments =
    c.openPrincipal - c.paidOnReversedBills + (c.feeCharged + c.feeWaived - c.feeAllocated) - c.credit +
    e.OPENING + e.ADJUSTMENT + e.WRITE_OFF + (c.billReversalEntries + c.reversedBillsAmount);
  if (balance !== fromDocuments) out.push({ code: "BALANCE", customerId: c.customerId, expected: fromDocuments, actual: balance });
  return out;
}

export function checkBill(b: BillFigures): LedgerProblem[] {
  const out: LedgerProblem[] = [];
  if (b.paidAmount !== b.allocatedPrincipal) out.push({ code: "PAID_AMOUNT", billId: b.billId, expected: b.allocatedPrincipal, actual: b.paidAmount });
  if (b.paidAmount > b.amount || b.paidAmount < 0) out.push({ code: "OVERPAID_BILL", billId: b.billId, expected: b.amount, actual: b.paidAmount });
  const feeOwed = b.feeCharged + b.feeWaived;
  if (b.feeAllocated > feeOwed || b.feeAllocated < 0) out.push({ code: "FEE_OVERPAID", billId: b.billId, expected: feeOwed, actual: b.feeAllocated });
  return out;
}

export function checkPayment(p: PaymentFigures): LedgerProblem[] {
  const expected = p.status === "POSTED" ? p.amount : 0; // a reversal's opposite rows net it to zero
  return p.allocated === expected ? [] : [{ code: "PAYMENT_ALLOCATION", paymentId: p.paymentId, expected, actual: p.allocated }];
}

export type LedgerCheck = { ok: boolean; customers: number; bills: number; payments: number; problems: LedgerProblem[] };

export function checkLedger(input: { customers: CustomerFigures[]; bills: BillFigures[]; payments: PaymentFigures[] }): LedgerCheck {
  const problems = [
    ...input.customers.flatMap(checkCustomer),
    ...input.bills.flatMap(checkBill),
    ...input.payments.flatMap(checkPayment),
  ];
  return { ok: problems.length === 0, customers: input.customers.length, bills: input.bills.length, payments: input.payments.length, problems };
}

/** Recovery rate in basis points (collected ÷ billed), exact integer arithmetic. */
export function recoveryRateBp(collected: Fen, billed: Fen): number | null {
  if (billed <= 0) return null;
  return Math.floor((collected * 10000 + Math.floor(billed / 2)) / billed);
}
