import "server-only";
import type pg from "pg";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { IsoDate } from "@/lib/domain/calendar";
import { formatYuan, parseYuan, sumFen, type Fen } from "@/lib/domain/money";
import { allocatePayment, clawBack, sortOldestFirst, totalDue, type Allocation, type OpenBill } from "@/lib/domain/payments/allocate";
import { computeLateFees, type CustomerClass } from "@/lib/domain/payments/late-fee";
import type { Settings } from "@/lib/domain/settings";
import type { PaymentChannelValue } from "@/lib/domain/payments/channels";
import {
  MONTH_LOCK_SQL, auditRaw, balances, bookMonthAfter, bookMonthFor, fen, insertEntries, lockForPosting, stationInfo, stationSettings, stationToday, withTx, type Db, type NewEntry,
} from "./ledger";
import { applyFeeControl, toAccount } from "./prepaid";

// Taking money, exactly once. recordPayment runs ONE transaction: lock the customer row(s) (in id
// order, so a payment number and a single customer never deadlock), insert the payment with its
// unique idempotency key (a double click, retry or resubmitted form conflicts here and gets the
// first payment's result), compute the late fees as of the value date, allocate oldest bill
// first, write allocations, bills, ledger entries, the receipt number and the audit row, and
// for prepaid accounts apply fee control (restore after a top-up). A check-then-insert guard
// would let duplicates through under concurrency; the unique key in the same transaction cannot.

export type PaymentChannel = PaymentChannelValue;

export type PaymentTarget = { customerId: number } | { paymentAccountId: number };

export type RecordPaymentInput = {
  stationId: number;
  target: PaymentTarget;
  amount: Fen; // > 0
  channel: PaymentChannel;
  reference?: string | null;
  partnerId?: number | null;
  idempotencyKey: string;
  clerkId: number | null;
  valueDate?: IsoDate; // default: today at the station
  now?: Date;
};

export type PaymentResult = {
  paymentId: number;
  receiptNo: string;
  duplicate: boolean; // the key was seen before: this is the first payment's result
  amount: Fen;
  valueDate: IsoDate;
  allocations: { billId: number | null; customerId: number; principal: Fen; lateFee: Fen }[];
  toPrepaid: Fen;
};

export const customerClassOf = (category: string): CustomerClass => (category === "RESIDENTIAL" ? "residential" : "other");

// ───────────── open bills with their late fees as of a day ─────────────

export type OpenBillView = OpenBill & {
  amount: Fen; paid: Fen; lateFeeThrough: IsoDate | null; days: number; customerNo?: string; issueDate: IsoDate | null;
};

type CustomerRow = { id: number; station_id: number; customer_no: string; name: string; category: string; status: string; payment_method: string; flags: string[]; fee_control_state: string; payment_account_id: number | null };

const OPEN_BILLS_SQL = `
  select b.id, b.customer_id, b.period, b.due_date::text due_date, b.issue_date::text issue_date, b.amount::text amount, b.paid_amount::text paid,
         b.late_fee_through::text late_fee_through,
         (coalesce((select sum(le.amount) from ledger_entry le where le.customer_id = b.customer_id and le.bill_id = b.id and le.kind in ('LATE_FEE', 'WAIVER')), 0)
          - coalesce((select sum(pa.late_fee) from payment_allocation pa where pa.bill_id = b.id), 0))::text fee_outstanding
  from bill b where b.customer_id = any($1::int[]) and b.status = 'RELEASED' and b.settled_on is null`;

type BillRow = { id: number; customer_id: number; period: string; due_date: string; issue_date: string | null; amount: string; paid: string; late_fee_through: string | null; fee_outstanding: string };

function toOpenBills(rows: BillRow[], customers: Pick<CustomerRow, "id" | "category" | "customer_no">[], asOf: IsoDate, rates: Settings["lateFee"]): OpenBillView[] {
  const byId = new Map(customers.map((x) => [x.id, x]));
  const bills = rows.map((b): OpenBillView => {
    const cust = byId.get(b.customer_id)!;
    const amount = fen(b.amount);
    const paid = fen(b.paid);
    const unpaid = Math.max(0, amount - paid);
    const lf = computeLateFees({
      customerClass: customerClassOf(cust.category), asOf, rates,
      bills: [{ id: String(b.id), amount: unpaid, dueDate: b.due_date, accruedThrough: b.late_fee_through }],
    }).bills[0];
    return {
      billId: b.id, customerId: b.customer_id, customerNo: cust.customer_no, period: b.period, dueDate: b.due_date, issueDate: b.issue_date,
      amount, paid, unpaid, lateFeeThrough: b.late_fee_through, feeOutstanding: Math.max(0, fen(b.fee_outstanding)),
      feeAccrued: lf.fee, days: lf.days,
    };
  });
  return sortOldestFirst(bills);
}

export async function loadOpenBills(c: Db | pg.Pool, customers: Pick<CustomerRow, "id" | "category" | "customer_no">[], asOf: IsoDate, rates: Settings["lateFee"]): Promise<OpenBillView[]> {
  if (customers.length === 0) return [];
  const r = await c.query(OPEN_BILLS_SQL, [customers.map((x) => x.id)]);
  return toOpenBills(r.rows, customers, asOf, rates);
}

/** Open bills and unallocated prepaid funds per customer, in one round trip. */
async function loadOpenBillsAndCredit(c: Db, customers: CustomerRow[], asOf: IsoDate, rates: Settings["lateFee"]) {
  const r = await c.query(
    `select (select coalesce(json_agg(x), '[]') from (${OPEN_BILLS_SQL}) x) bills,
            (select coalesce(json_agg(y), '[]') from (
               select customer_id, sum(principal + late_fee)::text s from payment_allocation
               where customer_id = any($1::int[]) and bill_id is null group by customer_id) y) credit`,
    [customers.map((x) => x.id)]);
  const credit = new Map<number, Fen>((r.rows[0].credit as { customer_id: number; s: string }[]).map((x) => [x.customer_id, Math.max(0, fen(x.s))]));
  return { bills: toOpenBills(r.rows[0].bills as BillRow[], customers, asOf, rates), credit };
}

// ───────────── receipt numbers: one sequence per station ─────────────

const g = globalThis as unknown as { counterReceiptSeqs?: Set<number> };
const receiptSeqs = (g.counterReceiptSeqs ??= new Set());

async function ensureReceiptSequence(stationId: number) {
  if (receiptSeqs.has(stationId)) return;
  try {
    await pool.query(`create sequence if not exists receipt_seq_${Number(stationId)}`);
  } catch (e) {
    // two processes creating it at once: one wins, the other sees a duplicate; both then use it
    if (!["23505", "42P07"].includes((e as { code?: string }).code ?? "")) throw e;
  }
  receiptSeqs.add(stationId);
}

// ───────────── recordPayment ─────────────

const MAX_FEN = 1_000_000_000_00; // 10 亿元: numeric(14,2) holds 10^12; anything near it is a typo

export async function recordPayment(input: RecordPaymentInput): Promise<PaymentResult> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > MAX_FEN) throw new AppError("PAYMENT_AMOUNT_INVALID");
  if (!input.idempotencyKey || input.idempotencyKey.length > 100) throw new AppError("INVALID_INPUT");
  const now = input.now ?? new Date();
  const station = await stationInfo(pool, input.stationId);
  const valueDate = input.valueDate ?? (await stationToday(input.stationId, now));
  await ensureReceiptSequence(input.stationId);
  const settings = await stationSettings(pool, input.stationId, valueDate);
  const minimumTotal = settings.lateFee.minimumTotal === null ? null : parseYuan(settings.lateFee.minimumTotal);
  const byAccount = "paymentAccountId" in input.target;
  const targetId = byAccount ? (input.target as { paymentAccountId: number }).paymentAccountId : (input.target as { customerId: number }).customerId;

  // Six round trips: begin · lock the customers (+ the posting lock and the last closed month) ·
  // insert the payment · open bills and prepaid funds · every write in one statement · commit.
  return withTx(async (c): Promise<PaymentResult> => {
    const cr = await c.query(
      `select id, station_id, customer_no, name, category::text category, status::text status, payment_method::text payment_method,
              flags, fee_control_state, payment_account_id,
              pg_advisory_xact_lock_shared(${MONTH_LOCK_SQL}, station_id) is not null locked,
              (select max(month) from month_close m where m.station_id = customer.station_id) closed_month
       from customer where station_id = $1 and ${byAccount ? "payment_account_id" : "id"} = $2 order by id for update`,
      [input.stationId, targetId]);
    const customers: CustomerRow[] = cr.rows;
    if (customers.length === 0) throw new AppError(byAccount ? "PAYMENT_ACCOUNT_NOT_FOUND" : "CUSTOMER_NOT_FOUND");
    const bookMonth = bookMonthAfter(cr.rows[0].closed_month, valueDate);

    const ins = await c.query(
      `insert into payment (station_id, customer_id, payment_account_id, amount, channel, reference, partner_id, idempotency_key, value_date, posted_at, clerk_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (idempotency_key) do nothing returning id`,
      [input.stationId, byAccount ? null : targetId, byAccount ? targetId : null, formatYuan(input.amount), input.channel,
        input.reference ?? null, input.partnerId ?? null, input.idempotencyKey, valueDate, now, input.clerkId]);
    if (ins.rowCount === 0) return { ...(await loadPaymentResult(c, input)), duplicate: true };
    const paymentId: number = ins.rows[0].id;

    const { bills, credit } = await loadOpenBillsAndCredit(c, customers, valueDate, settings.lateFee);
    // a closed account still takes payment toward its arrears, but keeps no new prepaid funds
    if (customers.every((x) => x.status === "CLOSED")) {
      const owed = totalDue(bills, minimumTotal).total;
      if (input.amount > owed) throw new AppError("ACCOUNT_CLOSED_OVERPAY", { owed: formatYuan(owed) });
    }
    const creditTotal = sumFen([...credit.values()]);
    const prepaidCustomerId = customers[0].id;
    const a = allocatePayment({ bills, amount: input.amount + creditTotal, prepaidCustomerId, minimumTotal });
    // existing prepaid funds were pooled with the new money: one net prepaid row per customer
    const rows = a.allocations.filter((x) => x.billId !== null);
    for (const cu of customers) {
      const net = (cu.id === prepaidCustomerId ? a.toPrepaid : 0) - (credit.get(cu.id) ?? 0);
      if (net !== 0) rows.push({ billId: null, customerId: cu.id, principal: net, lateFee: 0 });
    }
    const touched = a.allocations.filter((x) => x.billId !== null);
    const entries: NewEntry[] = a.feeCharges.map((f) => ({
      stationId: input.stationId, customerId: f.customerId, kind: "LATE_FEE", amount: f.amount, valueDate, bookMonth, billId: f.billId, paymentId, actorId: input.clerkId,
    }));
    for (const cu of customers) {
      const spent = sumFen(rows.filter((x) => x.customerId === cu.id).map((x) => x.principal + x.lateFee));
      if (spent !== 0) entries.push({ stationId: input.stationId, customerId: cu.id, kind: "PAYMENT", amount: -spent, valueDate, bookMonth, paymentId, actorId: input.clerkId });
    }
    const after = {
      amount: formatYuan(input.amount), channel: input.channel, reference: input.reference ?? null, target: input.target,
      feeCharged: formatYuan(sumFen(a.feeCharges.map((f) => f.amount))), toPrepaid: formatYuan(a.toPrepaid),
    };
    const w = await c.query(
      `with al as (
         insert into payment_allocation (payment_id, customer_id, bill_id, principal, late_fee)
         select $1, * from unnest($2::int[], $3::int[], $4::numeric[], $5::numeric[])),
       bu as (
         update bill b set paid_amount = b.paid_amount + u.principal,
                late_fee_through = greatest(coalesce(b.late_fee_through, $6::date), $6::date),
                settled_on = case when u.settled then $6::date else b.settled_on end
         from unnest($7::int[], $8::numeric[], $9::bool[]) as u(id, principal, settled) where b.id = u.id),
       le as (
         insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id, payment_id, actor_id)
         select $10, u.customer_id, u.kind, u.amount, $6::date, $11, u.bill_id, $1, $12
         from unnest($13::int[], $14::"LedgerKind"[], $15::numeric[], $16::int[]) as u(customer_id, kind, amount, bill_id)),
       pu as (
         update payment set receipt_no = $17 || lpad(nextval('receipt_seq_${Number(input.stationId)}')::text, 8, '0') where id = $1 returning receipt_no)
       insert into audit_log (station_id, actor_id, action, target_type, target_id, after)
       select $10, $12, 'payment.record', 'payment', $1::text, jsonb_set($18::jsonb, '{receiptNo}', to_jsonb(pu.receipt_no)) from pu
       returning (select receipt_no from pu)`,
      [paymentId, rows.map((x) => x.customerId), rows.map((x) => x.billId), rows.map((x) => formatYuan(x.principal)), rows.map((x) => formatYuan(x.lateFee)),
        valueDate, touched.map((x) => x.billId), touched.map((x) => formatYuan(x.principal)), touched.map((x) => a.settledBillIds.includes(x.billId!)),
        input.stationId, bookMonth, input.clerkId,
        entries.map((e) => e.customerId), entries.map((e) => e.kind), entries.map((e) => formatYuan(e.amount)), entries.map((e) => e.billId ?? null),
        station.code, JSON.stringify(after)]);
    const receiptNo: string = w.rows[0].receipt_no;
    const prepaid = customers.filter((x) => x.payment_method === "PREPAID" || x.fee_control_state !== "NORMAL");
    if (prepaid.length > 0) await applyFeeControl(c, prepaid.map(toAccount), now);
    return { paymentId, receiptNo, duplicate: false, amount: input.amount, valueDate, allocations: rows, toPrepaid: a.toPrepaid };
  });
}

/** The first payment under an idempotency key, after a conflicting insert (refuses a key reused
 *  for a different payment: that is a client bug, not a retry). */
async function loadPaymentResult(c: Db, input: RecordPaymentInput): Promise<PaymentResult> {
  const p = (await c.query(
    `select id, station_id, customer_id, payment_account_id, amount::text amount, receipt_no, value_date::text value_date from payment where idempotency_key = $1`,
    [input.idempotencyKey])).rows[0];
  const target = "paymentAccountId" in input.target ? { a: input.target.paymentAccountId } : { c: (input.target as { customerId: number }).customerId };
  const same = p && p.station_id === input.stationId && fen(p.amount) === input.amount &&
    ("a" in target ? p.payment_account_id === target.a : p.customer_id === target.c);
  if (!same) throw new AppError("IDEMPOTENCY_KEY_REUSED");
  const al = (await c.query(`select bill_id, customer_id, principal::text principal, late_fee::text late_fee from payment_allocation where payment_id = $1 order by id`, [p.id])).rows;
  const allocations = al.map((x) => ({ billId: x.bill_id, customerId: x.customer_id, principal: fen(x.principal), lateFee: fen(x.late_fee) }));
  return {
    paymentId: p.id, receiptNo: p.receipt_no, duplicate: true, amount: fen(p.amount), valueDate: p.value_date, allocations,
    toPrepaid: sumFen(allocations.filter((x) => x.billId === null).map((x) => Math.max(0, x.principal))),
  };
}

// ───────────── what is owed, for the account screen and the partner API ─────────────

export type AmountDue = {
  asOf: IsoDate;
  customers: { id: number; customerNo: string; name: string; status: string; category: string; paymentMethod: string }[];
  bills: (OpenBillView & { fee: Fen })[]; // fee: outstanding + accrued (unraised)
  principal: Fen; fees: Fen; total: Fen; // total: what settles everything today (minimum applied once)
  prepaidFunds: Fen; // unallocated funds already held
  payable: Fen; // total − prepaid funds, never below zero: the amount the counter prefills
};

export async function amountDue(stationId: number, target: PaymentTarget, asOf?: IsoDate): Promise<AmountDue | null> {
  const day = asOf ?? (await stationToday(stationId));
  const settings = await stationSettings(pool, stationId, day);
  const byAccount = "paymentAccountId" in target;
  const customers: CustomerRow[] = (await pool.query(
    `select id, station_id, customer_no, name, category::text category, status::text status, payment_method::text payment_method, flags, fee_control_state, payment_account_id
     from customer where station_id = $1 and ${byAccount ? "payment_account_id" : "id"} = $2 order by id`,
    [stationId, byAccount ? target.paymentAccountId : (target as { customerId: number }).customerId])).rows;
  if (customers.length === 0) return null;
  const bills = await loadOpenBills(pool, customers, day, settings.lateFee);
  const min = settings.lateFee.minimumTotal === null ? null : parseYuan(settings.lateFee.minimumTotal);
  const due = totalDue(bills, min);
  const credit = await pool.query(
    `select coalesce(sum(principal + late_fee), 0)::text s from payment_allocation where customer_id = any($1::int[]) and bill_id is null`,
    [customers.map((x) => x.id)]);
  const prepaidFunds = Math.max(0, fen(credit.rows[0].s));
  return {
    asOf: day,
    customers: customers.map((x) => ({ id: x.id, customerNo: x.customer_no, name: x.name, status: x.status, category: x.category, paymentMethod: x.payment_method })),
    bills: bills.map((b) => ({ ...b, fee: b.feeOutstanding + b.feeAccrued })),
    principal: due.principal, fees: due.fees, total: due.total, prepaidFunds,
    payable: Math.max(0, due.total - prepaidFunds),
  };
}


// ───────────── reversal (冲正) and waiver: applied only through an approved request ─────────────

/** Opposite entries for a posted payment, never a deletion: mirror allocations, bills reopened,
 *  a REVERSAL entry per customer, the payment marked REVERSED. Runs in the approval's transaction. */
export async function reversePayment(c: Db, stationId: number, paymentId: number, actorId: number, reason: string, now = new Date()) {
  await lockForPosting(c, stationId);
  const custIds = (await c.query(
    `select distinct customer_id from payment_allocation where payment_id = $1
     union select customer_id from payment where id = $1 and customer_id is not null`, [paymentId])).rows.map((r) => r.customer_id as number);
  const customers: CustomerRow[] = (await c.query(
    `select id, station_id, customer_no, name, category::text category, status::text status, payment_method::text payment_method, flags, fee_control_state, payment_account_id
     from customer where id = any($1::int[]) order by id for update`, [custIds])).rows;
  const p = (await c.query(`select id, station_id, status::text status, amount::text amount, receipt_no from payment where id = $1 for update`, [paymentId])).rows[0];
  if (!p || p.station_id !== stationId) throw new AppError("PAYMENT_NOT_FOUND");
  if (p.status !== "POSTED") throw new AppError("PAYMENT_ALREADY_REVERSED");
  const al = (await c.query(`select customer_id, bill_id, principal::text principal, late_fee::text late_fee from payment_allocation where payment_id = $1`, [paymentId])).rows
    .map((x) => ({ customerId: x.customer_id as number, billId: x.bill_id as number | null, principal: fen(x.principal), lateFee: fen(x.late_fee) }));
  if (al.length > 0) {
    await c.query(
      `insert into payment_allocation (payment_id, customer_id, bill_id, principal, late_fee, origin)
       select $1, *, 'REVERSAL' from unnest($2::int[], $3::int[], $4::numeric[], $5::numeric[])`,
      [paymentId, al.map((x) => x.customerId), al.map((x) => x.billId), al.map((x) => formatYuan(-x.principal)), al.map((x) => formatYuan(-x.lateFee))]);
  }
  const billAl = al.filter((x) => x.billId !== null);
  if (billAl.length > 0) {
    await c.query(
      `update bill b set paid_amount = b.paid_amount - u.principal, settled_on = null
       from unnest($1::int[], $2::numeric[]) as u(id, principal) where b.id = u.id`,
      [billAl.map((x) => x.billId), billAl.map((x) => formatYuan(x.principal))]);
  }
  const today = await stationToday(stationId, now);
  const bookMonth = await bookMonthFor(c, stationId, today);
  const entries: NewEntry[] = [];
  for (const cu of customers) {
    const spent = sumFen(al.filter((x) => x.customerId === cu.id).map((x) => x.principal + x.lateFee));
    if (spent !== 0) entries.push({ stationId, customerId: cu.id, kind: "REVERSAL", amount: spent, valueDate: today, bookMonth, paymentId, actorId, memo: reason });
  }
  await insertEntries(c, entries);
  await c.query(`update payment set status = 'REVERSED' where id = $1`, [paymentId]);
  // funds this payment brought that have since paid bills are gone: those bills are open again
  // (and funds it used are back, to pay what is open)
  await settleCredit(c, { stationId, customerIds: customers.map((x) => x.id), valueDate: today, bookMonth, actorId });
  await auditRaw(c, {
    stationId, actorId, action: "payment.reverse", targetType: "payment", targetId: paymentId, reason,
    before: { status: "POSTED", amount: p.amount, receiptNo: p.receipt_no }, after: { status: "REVERSED" },
  });
  await applyFeeControl(c, customers.filter((x) => x.payment_method === "PREPAID" || x.fee_control_state !== "NORMAL").map(toAccount), now);
}

/** The late fee of one bill as of a day: charged earlier and unpaid + accrued since. */
export async function billLateFee(c: Db | pg.Pool, stationId: number, billId: number, asOf: IsoDate) {
  const b = (await c.query(
    `select b.id, b.customer_id, b.status::text status, b.period, cu.category::text category, cu.customer_no from bill b join customer cu on cu.id = b.customer_id
     where b.id = $1 and b.station_id = $2`, [billId, stationId])).rows[0];
  if (!b) return null;
  const settings = await stationSettings(c, stationId, asOf);
  const [open] = await loadOpenBills(c, [{ id: b.customer_id, category: b.category, customer_no: b.customer_no }], asOf, settings.lateFee)
    .then((bs) => bs.filter((x) => x.billId === billId));
  return { billId, customerId: b.customer_id as number, period: b.period as string, status: b.status as string, open: open ?? null,
    outstanding: open?.feeOutstanding ?? 0, accrued: open?.feeAccrued ?? 0, total: (open?.feeOutstanding ?? 0) + (open?.feeAccrued ?? 0) };
}

/** Waives a bill's late fee through `asOf` (the day the waiver was requested): the accrued part is
 *  charged and waived (both entries, so the ledger shows what was forgiven), the unpaid charged
 *  part is waived, late_fee_through moves to asOf. Runs in the approval's transaction. */
export async function waiveLateFee(c: Db, stationId: number, billId: number, asOf: IsoDate, actorId: number, reason: string, now = new Date()) {
  await lockForPosting(c, stationId);
  const cust = (await c.query(`select customer_id from bill where id = $1 and station_id = $2`, [billId, stationId])).rows[0];
  if (!cust) throw new AppError("BILL_NOT_FOUND");
  await c.query(`select id from customer where id = $1 for update`, [cust.customer_id]);
  const f = await billLateFee(c, stationId, billId, asOf);
  if (!f || !f.open) throw new AppError("NOTHING_TO_WAIVE");
  if (f.total <= 0) throw new AppError("NOTHING_TO_WAIVE");
  const today = await stationToday(stationId, now);
  const bookMonth = await bookMonthFor(c, stationId, today);
  const entries: NewEntry[] = [];
  if (f.accrued > 0) entries.push({ stationId, customerId: f.customerId, kind: "LATE_FEE", amount: f.accrued, valueDate: asOf, bookMonth, billId, actorId, memo: reason });
  entries.push({ stationId, customerId: f.customerId, kind: "WAIVER", amount: -f.total, valueDate: today, bookMonth, billId, actorId, memo: reason });
  await insertEntries(c, entries);
  await c.query(
    `update bill set late_fee_through = greatest(coalesce(late_fee_through, $2::date), $2::date),
            settled_on = case when paid_amount >= amount then $3::date else settled_on end where id = $1`, [billId, asOf, today]);
  await auditRaw(c, {
    stationId, actorId, action: "lateFee.waive", targetType: "bill", targetId: billId, reason,
    after: { asOf, waived: formatYuan(f.total), charged: formatYuan(f.accrued) },
  });
  return f.total;
}

// ───────────── the receipt ─────────────

export type ReceiptView = {
  id: number; receiptNo: string | null; amount: Fen; channel: string; reference: string | null; valueDate: string; postedAt: string; status: string;
  stationName: string; clerk: string | null; paymentNo: string | null;
  customers: { id: number; customerNo: string; name: string; address: string; balance: Fen }[];
  lines: { customerNo: string; period: string; principal: Fen; lateFee: Fen }[];
  toPrepaid: Fen; fromPrepaid: Fen;
};

export async function getReceipt(stationId: number, paymentId: number): Promise<ReceiptView | null> {
  const p = (await pool.query(
    `select p.id, p.receipt_no, p.amount::text amount, p.channel::text channel, p.reference, p.value_date::text value_date, p.posted_at, p.status::text status,
            s.name station_name, u.name clerk, pa.payment_no, p.customer_id
     from payment p join station s on s.id = p.station_id left join app_user u on u.id = p.clerk_id left join payment_account pa on pa.id = p.payment_account_id
     where p.id = $1 and p.station_id = $2`, [paymentId, stationId])).rows[0];
  if (!p) return null;
  // the rows of the posting itself: a reprint shows what the customer was given, not later moves
  // of the money (its reversal, funds applied to a later bill, a corrected bill)
  const al = (await pool.query(
    `select a.customer_id, a.bill_id, a.principal::text principal, a.late_fee::text late_fee, b.period, c.customer_no
     from payment_allocation a left join bill b on b.id = a.bill_id join customer c on c.id = a.customer_id
     where a.payment_id = $1 and a.origin = 'PAYMENT' order by a.id`,
    [paymentId])).rows;
  const custIds = [...new Set([...(p.customer_id ? [p.customer_id as number] : []), ...al.map((x) => x.customer_id as number)])];
  const cs = (await pool.query(`select id, customer_no, name, address from customer where id = any($1::int[]) order by customer_no`, [custIds])).rows;
  const bal = await balances(pool, custIds);
  const prepaidRows = al.filter((x) => x.bill_id === null).map((x) => fen(x.principal));
  return {
    id: p.id, receiptNo: p.receipt_no, amount: fen(p.amount), channel: p.channel, reference: p.reference, valueDate: p.value_date,
    postedAt: (p.posted_at as Date).toISOString(), status: p.status, stationName: p.station_name, clerk: p.clerk, paymentNo: p.payment_no,
    customers: cs.map((x) => ({ id: x.id, customerNo: x.customer_no, name: x.name, address: x.address, balance: bal.get(x.id)!.balance })),
    lines: al.filter((x) => x.bill_id !== null).map((x) => ({ customerNo: x.customer_no, period: x.period, principal: fen(x.principal), lateFee: fen(x.late_fee) })),
    toPrepaid: sumFen(prepaidRows.filter((x) => x > 0)), fromPrepaid: 0 - sumFen(prepaidRows.filter((x) => x < 0)),
  };
}

// ───────────── prepaid funds meet bills ─────────────

export type SettleCreditResult = { customers: number; applied: Fen; feeCharged: Fen; clawedBack: Fen; settledBillIds: number[] };

/**
 * Brings customers' prepaid funds (allocations with no bill) and their open bills together,
 * inside the caller's transaction, as one set-based pass for any number of customers:
 * - funds above zero pay open bills oldest first, charges with them (allocatePayment, as at the
 *   counter), as of `valueDate`: a customer who paid ahead is never shown a debt, charged a late
 *   fee or reminded for a bill his funds cover (called when bills are released and rebilled);
 * - funds below zero (the payment that brought them was reversed after they paid a bill) take
 *   back what they paid, newest bill first: those bills are open again (called after a reversal).
 * Money only moves between allocations of the same payment (the latest posted payment that
 * holds or used the funds), so every payment still sums to its amount and the balance, derived
 * from ledger entries, does not change, except for late fees charged on overdue bills paid now.
 */
export async function settleCredit(c: Db, p: { stationId: number; customerIds: number[]; valueDate: IsoDate; bookMonth: string; actorId: number | null }): Promise<SettleCreditResult> {
  const none = (): SettleCreditResult => ({ customers: 0, applied: 0, feeCharged: 0, clawedBack: 0, settledBillIds: [] });
  if (p.customerIds.length === 0) return none();
  const f = (await c.query(
    `select pa.customer_id, sum(pa.principal + pa.late_fee)::text credit,
            exists (select 1 from bill b where b.customer_id = pa.customer_id and b.status = 'RELEASED' and b.settled_on is null) has_open
     from payment_allocation pa where pa.customer_id = any($1::int[]) and pa.bill_id is null
     group by pa.customer_id having sum(pa.principal + pa.late_fee) <> 0`, [p.customerIds])).rows
    .map((x) => ({ customerId: x.customer_id as number, credit: fen(x.credit), hasOpen: x.has_open as boolean }))
    .filter((x) => x.credit < 0 || x.hasOpen);
  if (f.length === 0) return none();
  const ids = f.map((x) => x.customerId).sort((a, b) => a - b);
  const customers: CustomerRow[] = (await c.query(
    `select id, station_id, customer_no, name, category::text category, status::text status, payment_method::text payment_method, flags, fee_control_state, payment_account_id
     from customer where id = any($1::int[]) and station_id = $2 order by id for update`, [ids, p.stationId])).rows;
  // the payment each customer's moves are booked on: the latest posted one that brought (or,
  // for a take-back, used) prepaid funds
  const payFor = new Map<number, number>((await c.query(
    `select distinct on (pa.customer_id) pa.customer_id, pa.payment_id from payment_allocation pa join payment py on py.id = pa.payment_id
     where pa.customer_id = any($1::int[]) and pa.bill_id is null and py.status = 'POSTED'
     order by pa.customer_id, (pa.principal > 0) <> ($2::int[] @> array[pa.customer_id]) desc, pa.payment_id desc`,
    [ids, f.filter((x) => x.credit < 0).map((x) => x.customerId)])).rows.map((x) => [x.customer_id, x.payment_id]));
  const settings = await stationSettings(c, p.stationId, p.valueDate);
  const minimumTotal = settings.lateFee.minimumTotal === null ? null : parseYuan(settings.lateFee.minimumTotal);
  const credit = new Map(f.map((x) => [x.customerId, x.credit]));
  const payers = customers.filter((x) => (credit.get(x.id) ?? 0) > 0);
  const debtors = customers.filter((x) => (credit.get(x.id) ?? 0) < 0);
  const open = await loadOpenBills(c, payers, p.valueDate, settings.lateFee);
  const paid = debtors.length === 0 ? [] : (await c.query(
    `select b.id, b.customer_id, b.period, b.due_date::text due_date, sum(pa.principal)::text principal, sum(pa.late_fee)::text late_fee
     from payment_allocation pa join bill b on b.id = pa.bill_id
     where pa.customer_id = any($1::int[]) group by b.id`, [debtors.map((x) => x.id)])).rows
    .map((x) => ({ billId: x.id as number, customerId: x.customer_id as number, period: x.period as string, dueDate: x.due_date as string, principal: fen(x.principal), lateFee: fen(x.late_fee) }));

  // grouped once: a release settles tens of thousands of customers at a time (a filter per
  // customer, or includes() per row, is quadratic: minutes at a million bills)
  const openOf = groupBy(open, (b) => b.customerId);
  const paidOf = groupBy(paid, (b) => b.customerId);
  type Row = Allocation & { paymentId: number };
  const rows: Row[] = [];
  const settled = new Set<number>();
  const touched = new Set<number>();
  const entries: NewEntry[] = [];
  const out = none();
  for (const cu of customers) {
    const paymentId = payFor.get(cu.id);
    const funds = credit.get(cu.id) ?? 0;
    if (paymentId === undefined || funds === 0) continue; // funds from no posted payment: left for a person to look at
    let moved: Allocation[];
    if (funds > 0) {
      const a = allocatePayment({ bills: openOf.get(cu.id) ?? [], amount: funds, prepaidCustomerId: cu.id, minimumTotal });
      moved = a.allocations.filter((x) => x.billId !== null);
      for (const id of a.settledBillIds) settled.add(id);
      for (const id of a.touchedBillIds) touched.add(id);
      for (const fc of a.feeCharges) {
        entries.push({ stationId: p.stationId, customerId: cu.id, kind: "LATE_FEE", amount: fc.amount, valueDate: p.valueDate, bookMonth: p.bookMonth, billId: fc.billId, paymentId, actorId: p.actorId });
        out.feeCharged += fc.amount;
      }
    } else {
      moved = clawBack(paidOf.get(cu.id) ?? [], -funds).allocations;
    }
    if (moved.length === 0) continue;
    const total = sumFen(moved.map((x) => x.principal + x.lateFee));
    rows.push(...moved.map((x) => ({ ...x, paymentId })), { billId: null, customerId: cu.id, principal: -total, lateFee: 0, paymentId });
    out.customers++;
    if (total > 0) out.applied += total;
    else out.clawedBack -= total;
  }
  if (rows.length === 0) return out;
  out.settledBillIds = [...settled];
  const billRows = rows.filter((x) => x.billId !== null);
  await c.query(
    `with al as (
       insert into payment_allocation (payment_id, customer_id, bill_id, principal, late_fee, origin)
       select * from unnest($1::int[], $2::int[], $3::int[], $4::numeric[], $5::numeric[], $12::"AllocationOrigin"[]))
     update bill b set paid_amount = b.paid_amount + u.principal,
            late_fee_through = case when u.touched then greatest(coalesce(b.late_fee_through, $6::date), $6::date) else b.late_fee_through end,
            settled_on = case when u.settled then $6::date when u.principal < 0 or u.late_fee < 0 then null else b.settled_on end
     from unnest($7::int[], $8::numeric[], $9::numeric[], $10::bool[], $11::bool[]) as u(id, principal, late_fee, settled, touched) where b.id = u.id`,
    [rows.map((x) => x.paymentId), rows.map((x) => x.customerId), rows.map((x) => x.billId), rows.map((x) => formatYuan(x.principal)), rows.map((x) => formatYuan(x.lateFee)),
      p.valueDate, billRows.map((x) => x.billId), billRows.map((x) => formatYuan(x.principal)), billRows.map((x) => formatYuan(x.lateFee)),
      billRows.map((x) => settled.has(x.billId!)), billRows.map((x) => touched.has(x.billId!)),
      rows.map((x) => ((credit.get(x.customerId) ?? 0) > 0 ? "PREPAID_APPLIED" : "PREPAID_RECLAIMED"))]);
  await insertEntries(c, entries);
  // one audit row per customer: what moved, on which payment
  const byCustomer = groupBy(rows, (x) => x.customerId);
  await c.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, after)
     select $1, $2, 'prepaid.settle', 'customer', u.id::text, u.after from unnest($3::int[], $4::jsonb[]) as u(id, after)`,
    [p.stationId, p.actorId, [...byCustomer.keys()], [...byCustomer.values()].map((rs) => JSON.stringify({
      valueDate: p.valueDate, paymentId: rs[0].paymentId,
      moves: rs.map((x) => ({ billId: x.billId, principal: formatYuan(x.principal), lateFee: formatYuan(x.lateFee) })),
    }))]);
  return out;
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
