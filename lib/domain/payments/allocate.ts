// How a payment is spent (pure): oldest bill first across every customer being paid for
// (a payment number settles all its customers), and a bill's late-payment charge with it:
// first the charge, then the principal, so that a partial payment settles the charge to date
// and the rest of the principal accrues from the payment day (docs/calculator.md §4, `accruedThrough`).
// What is left becomes the customer's prepaid funds.
//
// Late fees are charged only on the bills this payment touches, computed as of the payment
// day; the minimum total (1996: 1.00) applies once to what is collected together, and its
// top-up is charged to the oldest touched bill that has a charge.
import { sumFen, type Fen } from "../money";
import type { IsoDate } from "../calendar";

export type OpenBill = {
  billId: number;
  customerId: number;
  period: string; // 'YYYY-MM', tie-break after the due date
  dueDate: IsoDate;
  unpaid: Fen; // principal still owed
  feeOutstanding: Fen; // charged earlier, not yet paid
  feeAccrued: Fen; // accrued since the last settled day, as of the payment day (unraised)
};

export type Allocation = { billId: number | null; customerId: number; principal: Fen; lateFee: Fen };
export type FeeCharge = { billId: number; customerId: number; amount: Fen };

export type AllocationResult = {
  allocations: Allocation[]; // bill allocations, then one prepaid allocation per customer if any
  feeCharges: FeeCharge[]; // late fees to charge now (ledger LATE_FEE), incl. any minimum top-up
  settledBillIds: number[]; // principal and charges fully paid by this allocation
  touchedBillIds: number[]; // bills whose late fee is settled through the payment day
  toPrepaid: Fen;
};

export function sortOldestFirst<T extends Pick<OpenBill, "dueDate" | "period" | "billId">>(bills: readonly T[]): T[] {
  return [...bills].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || a.period.localeCompare(b.period) || a.billId - b.billId,
  );
}

function run(bills: OpenBill[], amount: Fen, raise: Fen, raiseOn: number | null) {
  let left = amount;
  const allocations: Allocation[] = [];
  const touched: OpenBill[] = [];
  const settled: number[] = [];
  for (const b of bills) {
    if (left <= 0) break;
    const fee = b.feeOutstanding + b.feeAccrued + (b.billId === raiseOn ? raise : 0);
    if (b.unpaid + fee <= 0) continue; // a paid bill is never allocated again
    const lateFee = Math.min(left, fee);
    left -= lateFee;
    const principal = Math.min(left, b.unpaid);
    left -= principal;
    touched.push(b);
    allocations.push({ billId: b.billId, customerId: b.customerId, principal, lateFee });
    if (principal === b.unpaid && lateFee === fee) settled.push(b.billId);
  }
  return { allocations, touched, settled, left };
}

/**
 * @param prepaidCustomerId who receives an overpayment (the customer paid for, or for a payment
 *   number its first customer)
 * @param minimumTotal the late fee minimum in fen, or null for none
 */
export function allocatePayment(input: {
  bills: readonly OpenBill[];
  amount: Fen;
  prepaidCustomerId: number;
  minimumTotal: Fen | null;
}): AllocationResult {
  if (!Number.isSafeInteger(input.amount) || input.amount < 0) throw new RangeError("amount must be whole fen ≥ 0");
  const bills = sortOldestFirst(input.bills);
  // The minimum depends on which bills are touched, and the top-up can leave fewer bills
  // touched: iterate to the fixed point (the touched set only shrinks, so this ends).
  let raise = 0;
  let raiseOn: number | null = null;
  let r = run(bills, input.amount, 0, null);
  for (let i = 0; i <= bills.length; i++) {
    const accrued = sumFen(r.touched.map((b) => b.feeAccrued));
    const min = input.minimumTotal;
    const wantRaise = min !== null && accrued > 0 && accrued < min ? min - accrued : 0;
    const wantOn = wantRaise > 0 ? (r.touched.find((b) => b.feeAccrued > 0)?.billId ?? null) : null;
    if (wantRaise === raise && wantOn === raiseOn) break;
    raise = wantRaise;
    raiseOn = wantOn;
    r = run(bills, input.amount, raise, raiseOn);
  }
  const feeCharges: FeeCharge[] = r.touched
    .map((b) => ({ billId: b.billId, customerId: b.customerId, amount: b.feeAccrued + (b.billId === raiseOn ? raise : 0) }))
    .filter((c) => c.amount > 0);
  const allocations = [...r.allocations];
  if (r.left > 0) allocations.push({ billId: null, customerId: input.prepaidCustomerId, principal: r.left, lateFee: 0 });
  return {
    allocations,
    feeCharges,
    settledBillIds: r.settled,
    touchedBillIds: r.touched.map((b) => b.billId),
    toPrepaid: r.left,
  };
}

/** What must be paid to settle every bill as of the day (charges with the minimum applied once). */
export function totalDue(bills: readonly OpenBill[], minimumTotal: Fen | null): { principal: Fen; fees: Fen; total: Fen } {
  const open = bills.filter((b) => b.unpaid + b.feeOutstanding + b.feeAccrued > 0);
  const principal = sumFen(open.map((b) => b.unpaid));
  const accrued = sumFen(open.map((b) => b.feeAccrued));
  const raised = minimumTotal !== null && accrued > 0 && accrued < minimumTotal ? minimumTotal : accrued;
  const fees = sumFen(open.map((b) => b.feeOutstanding)) + raised;
  return { principal, fees, total: principal + fees };
}

export type PaidBill = { billId: number; customerId: number; period: string; dueDate: IsoDate; principal: Fen; lateFee: Fen };

/**
 * Takes back `amount` from what was allocated to a customer's bills, newest bill first (its
 * principal, then its charge): when prepaid funds that paid bills turn out not to exist (the
 * payment that brought them was reversed), the bills they paid are open again. Returns the
 * opposite allocations; what cannot be taken back (more than was ever allocated) is `left`.
 */
export function clawBack(paid: readonly PaidBill[], amount: Fen): { allocations: Allocation[]; left: Fen } {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError("amount must be whole fen ≥ 0");
  let left = amount;
  const allocations: Allocation[] = [];
  for (const b of sortOldestFirst(paid).reverse()) {
    if (left <= 0) break;
    const principal = Math.min(left, Math.max(0, b.principal));
    left -= principal;
    const lateFee = Math.min(left, Math.max(0, b.lateFee));
    left -= lateFee;
    // 0 - x, not -x: a -0 would print as "-0.00"
    if (principal + lateFee > 0) allocations.push({ billId: b.billId, customerId: b.customerId, principal: 0 - principal, lateFee: 0 - lateFee });
  }
  return { allocations, left };
}
