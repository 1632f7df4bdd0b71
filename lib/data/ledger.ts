import "server-only";
import type pg from "pg";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { addMonths, localDate, periodOf, type IsoDate, type Period } from "@/lib/domain/calendar";
import { parseYuan, type Fen } from "@/lib/domain/money";
import {
  checkLedger as checkLedgerPure, deriveBalance, recoveryRateBp,
  type BillFigures, type CustomerFigures, type LedgerCheck, type LedgerKind, type PaymentFigures,
} from "@/lib/domain/payments/ledger";
import type { Settings } from "@/lib/domain/settings";
import { loadSettings } from "@/lib/jobs/billing-run";

// The ledger's data side. Money moves in raw SQL transactions on the pg pool (a payment is ~12
// statements; through Prisma's interactive transactions it would be several times slower).
// Amounts cross the boundary as fen; numeric columns are read as text and written as text.

export type Db = pg.PoolClient;

/** Runs fn in one transaction on one connection; rolls back on any error. */
export async function withTx<T>(fn: (c: Db) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("begin");
    const r = await fn(c);
    await c.query("commit");
    return r;
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

export const fen = (v: string | number | null | undefined): Fen => (v == null ? 0 : parseYuan(String(v)));

// ───────────── station clock and settings (cached briefly: every payment needs them) ─────────────

type StationInfo = { id: number; code: string; timezone: string };
const g = globalThis as unknown as {
  counterStations?: Map<number, StationInfo>;
  counterSettings?: Map<string, { at: number; settings: Settings }>;
};
const stations = (g.counterStations ??= new Map());
const settingsCache = (g.counterSettings ??= new Map());
const SETTINGS_TTL_MS = 30_000;

export async function stationInfo(db: Db | pg.Pool, stationId: number): Promise<StationInfo> {
  const hit = stations.get(stationId);
  if (hit) return hit;
  const r = await db.query(`select id, code, timezone from station where id = $1`, [stationId]);
  if (!r.rows[0]) throw new AppError("NOT_FOUND");
  stations.set(stationId, r.rows[0]);
  return r.rows[0];
}

/** Today in the station's time zone (docs/domain/overview.md §3: "today" is the station's local date). */
export async function stationToday(stationId: number, now = new Date()): Promise<IsoDate> {
  return localDate(now, (await stationInfo(pool, stationId)).timezone);
}

export async function stationSettings(db: Db | pg.Pool, stationId: number, asOf: IsoDate): Promise<Settings> {
  const key = `${stationId}:${asOf}`;
  const hit = settingsCache.get(key);
  if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.settings;
  const settings = await loadSettings(db, stationId, asOf); // the one pg reader of the setting table
  settingsCache.set(key, { at: Date.now(), settings });
  return settings;
}

/** After a settings change: this process stops using what it cached for the station. */
export function forgetStationSettings(stationId: number) {
  for (const key of settingsCache.keys()) if (key.startsWith(`${stationId}:`)) settingsCache.delete(key);
}

// ───────────── book month: postings after a month is closed go to the open month ─────────────

const MONTH_LOCK = 7_305_001; // advisory lock class: postings share it, a month close takes it alone
export const MONTH_LOCK_SQL = String(MONTH_LOCK);

/** Call at the start of any posting transaction: a month close waits for it and vice versa. */
export async function lockForPosting(c: Db, stationId: number) {
  await c.query(`select pg_advisory_xact_lock_shared($1, $2)`, [MONTH_LOCK, stationId]);
}

export async function lastClosedMonth(c: Db | pg.Pool, stationId: number): Promise<Period | null> {
  const r = await c.query(`select max(month) m from month_close where station_id = $1`, [stationId]);
  return r.rows[0]?.m ?? null;
}

/** The accounting month of an entry with this value date: its own month unless closed. */
export async function bookMonthFor(c: Db, stationId: number, valueDate: IsoDate): Promise<Period> {
  return bookMonthAfter(await lastClosedMonth(c, stationId), valueDate);
}

export function bookMonthAfter(lastClosed: Period | null, valueDate: IsoDate): Period {
  const own = periodOf(valueDate);
  if (!lastClosed) return own;
  const open = addMonths(lastClosed, 1);
  return own > open ? own : open;
}

export type NewEntry = {
  stationId: number; customerId: number; kind: LedgerKind; amount: Fen; valueDate: IsoDate; bookMonth: Period;
  billId?: number | null; paymentId?: number | null; actorId?: number | null; memo?: string | null;
};

/** Inserts ledger entries in one statement. */
export async function insertEntries(c: Db, es: NewEntry[]) {
  if (es.length === 0) return;
  await c.query(
    `insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id, payment_id, actor_id, memo)
     select * from unnest($1::int[], $2::int[], $3::"LedgerKind"[], $4::numeric[], $5::date[], $6::varchar[], $7::int[], $8::int[], $9::int[], $10::text[])`,
    [es.map((e) => e.stationId), es.map((e) => e.customerId), es.map((e) => e.kind), es.map((e) => (e.amount / 100).toFixed(2)),
      es.map((e) => e.valueDate), es.map((e) => e.bookMonth), es.map((e) => e.billId ?? null), es.map((e) => e.paymentId ?? null),
      es.map((e) => e.actorId ?? null), es.map((e) => e.memo ?? null)]);
}

/** The audit row, inside the caller's transaction (lib/data/audit.ts's writeAudit is for Prisma). */
export async function auditRaw(c: Db, e: { stationId: number | null; actorId: number | null; action: string; targetType: string; targetId: string | number | null; before?: unknown; after?: unknown; reason?: string | null }) {
  await c.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, before, after, reason) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.stationId, e.actorId, e.action, e.targetType, e.targetId == null ? null : String(e.targetId),
      e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after), e.reason ?? null]);
}

// ───────────── balances ─────────────

/** Balances derived from the entries (never stored): fen, > 0 owed, < 0 prepaid funds. */
export async function balances(db: Db | pg.Pool, customerIds: number[]): Promise<Map<number, ReturnType<typeof deriveBalance>>> {
  const r = await db.query(
    `select customer_id, coalesce(sum(amount), 0)::text s from ledger_entry where customer_id = any($1::int[]) group by customer_id`, [customerIds]);
  const out = new Map(customerIds.map((id) => [id, deriveBalance([])]));
  for (const x of r.rows) out.set(x.customer_id, deriveBalance([{ kind: "ADJUSTMENT", amount: fen(x.s) }]));
  return out;
}

// ───────────── the ledger check ─────────────

const KINDS: LedgerKind[] = ["OPENING", "BILL", "LATE_FEE", "PAYMENT", "REVERSAL", "ADJUSTMENT", "WRITE_OFF", "WAIVER", "REFUND"];

/**
 * Proves per customer that the entries agree with the documents: Σ BILL entries = released bills,
 * payment entries = their allocations, the balance = open principal + unpaid charges − prepaid
 * funds (± openings/adjustments/write-offs); per bill paid_amount = Σ allocated principal; per
 * payment Σ allocations = amount (0 once reversed); REFUND entries = refund documents, and a
 * refund's allocation row takes its funds out of the prepaid pool. Set-based: a few aggregate queries.
 */
export async function checkLedger(stationId: number): Promise<LedgerCheck> {
  const [ent, bills, allocs, pays, refunds] = await Promise.all([
    pool.query(
      `select customer_id, kind, (payment_id is not null) has_payment, (bill_id is not null) has_bill, sum(amount)::text s
       from ledger_entry where station_id = $1 group by 1, 2, 3, 4`, [stationId]),
    pool.query(
      `select b.id, b.customer_id, b.amount::text amount, b.paid_amount::text paid, b.status::text status, b.released_at is not null released,
              coalesce(a.principal, 0)::text alloc_principal, coalesce(a.fee, 0)::text alloc_fee,
              coalesce(f.charged, 0)::text charged, coalesce(f.waived, 0)::text waived
       from bill b
       left join (select bill_id, sum(principal) principal, sum(late_fee) fee from payment_allocation where bill_id is not null group by bill_id) a on a.bill_id = b.id
       left join (select bill_id, sum(amount) filter (where kind = 'LATE_FEE') charged, sum(amount) filter (where kind = 'WAIVER') waived
                  from ledger_entry where station_id = $1 and bill_id is not null and kind in ('LATE_FEE', 'WAIVER') group by bill_id) f on f.bill_id = b.id
       where b.station_id = $1 and (b.released_at is not null or a.bill_id is not null)`, [stationId]),
    // a payment's rows and a refund's rows (which have no payment)
    pool.query(
      `select pa.customer_id, sum(pa.principal + pa.late_fee)::text total, sum(pa.principal + pa.late_fee) filter (where pa.bill_id is null)::text credit,
              coalesce(-sum(pa.principal + pa.late_fee) filter (where pa.refund_id is not null), 0)::text refunded
       from payment_allocation pa left join payment p on p.id = pa.payment_id left join refund r on r.id = pa.refund_id
       where coalesce(p.station_id, r.station_id) = $1 group by pa.customer_id`, [stationId]),
    pool.query(
      `select p.id, p.amount::text amount, p.status::text status, coalesce(sum(pa.principal + pa.late_fee), 0)::text allocated
       from payment p left join payment_allocation pa on pa.payment_id = p.id where p.station_id = $1 group by p.id`, [stationId]),
    pool.query(`select customer_id, sum(amount)::text s from refund where station_id = $1 group by customer_id`, [stationId]),
  ]);
  const customers = new Map<number, CustomerFigures>();
  const cust = (id: number) => {
    let c = customers.get(id);
    if (!c) {
      c = {
        customerId: id, entries: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<LedgerKind, Fen>,
        paymentEntries: 0, releasedBills: 0, billReversalEntries: 0, reversedBillsAmount: 0, allocations: 0,
        feeCharged: 0, feeWaived: 0, feeAllocated: 0, credit: 0, openPrincipal: 0, paidOnReversedBills: 0, refunds: 0, refundedFromCredit: 0,
      };
      customers.set(id, c);
    }
    return c;
  };
  for (const r of ent.rows) {
    const c = cust(r.customer_id);
    const v = fen(r.s);
    c.entries[r.kind as LedgerKind] += v;
    if (r.has_payment && (r.kind === "PAYMENT" || r.kind === "REVERSAL")) c.paymentEntries += v;
    if (r.kind === "REVERSAL" && r.has_bill && !r.has_payment) c.billReversalEntries += v;
    if (r.kind === "LATE_FEE") c.feeCharged += v;
    if (r.kind === "WAIVER") c.feeWaived += v;
  }
  const billFigures: BillFigures[] = [];
  for (const b of bills.rows) {
    const c = cust(b.customer_id);
    const amount = fen(b.amount);
    const paid = fen(b.paid);
    if (b.released) c.releasedBills += amount;
    if (b.status === "RELEASED") c.openPrincipal += amount - paid;
    if (b.status === "REVERSED" && b.released) {
      c.reversedBillsAmount += amount;
      c.paidOnReversedBills += paid;
    }
    c.feeAllocated += fen(b.alloc_fee);
    billFigures.push({
      billId: b.id, customerId: b.customer_id, amount, paidAmount: paid, allocatedPrincipal: fen(b.alloc_principal),
      feeCharged: fen(b.charged), feeAllocated: fen(b.alloc_fee), feeWaived: fen(b.waived),
    });
  }
  for (const a of allocs.rows) {
    const c = cust(a.customer_id);
    c.allocations += fen(a.total);
    c.credit += fen(a.credit);
    c.refundedFromCredit += fen(a.refunded);
  }
  for (const r of refunds.rows) cust(r.customer_id).refunds += fen(r.s);
  const paymentFigures: PaymentFigures[] = pays.rows.map((p) => ({ paymentId: p.id, amount: fen(p.amount), status: p.status, allocated: fen(p.allocated) }));
  return checkLedgerPure({ customers: [...customers.values()], bills: billFigures, payments: paymentFigures });
}

// ───────────── month close ─────────────

export type MonthFigures = {
  month: Period; billed: string; collected: string; lateFees: string; waived: string; reversals: string; adjustments: string;
  refunded: string; // prepaid funds paid back at closures: money going out, never part of "collected"
  paidOfBilled: string; recoveryRateBp: number | null; customersBilled: number; payments: number;
};

/** The month's figures from entries booked in it (what a close freezes). */
export async function monthFigures(db: Db | pg.Pool, stationId: number, month: Period): Promise<MonthFigures> {
  const r = await db.query(
    `select coalesce(sum(amount) filter (where kind = 'BILL'), 0)::text billed,
            coalesce(-sum(amount) filter (where payment_id is not null and kind in ('PAYMENT', 'REVERSAL')), 0)::text collected,
            coalesce(sum(amount) filter (where kind = 'LATE_FEE'), 0)::text late_fees,
            coalesce(-sum(amount) filter (where kind = 'WAIVER'), 0)::text waived,
            coalesce(sum(amount) filter (where kind = 'REVERSAL' and payment_id is not null), 0)::text reversals,
            coalesce(sum(amount) filter (where kind in ('ADJUSTMENT', 'WRITE_OFF', 'OPENING')), 0)::text adjustments,
            coalesce(sum(amount) filter (where kind = 'REFUND'), 0)::text refunded,
            count(distinct customer_id) filter (where kind = 'BILL')::int customers_billed,
            count(distinct payment_id) filter (where kind = 'PAYMENT')::int payments
     from ledger_entry where station_id = $1 and book_month = $2`, [stationId, month]);
  // 当月回收率: of the bills booked this month, the principal paid by the end of it
  const p = await db.query(
    `select coalesce(sum(pa.principal), 0)::text paid
     from ledger_entry le join payment_allocation pa on pa.bill_id = le.bill_id
     join ledger_entry pe on pe.payment_id = pa.payment_id and pe.customer_id = pa.customer_id and pe.kind = 'PAYMENT'
     where le.station_id = $1 and le.book_month = $2 and le.kind = 'BILL' and pe.book_month <= $2`, [stationId, month]);
  const x = r.rows[0];
  const billed = fen(x.billed);
  const paidOfBilled = fen(p.rows[0].paid);
  const f = (v: Fen) => (v / 100).toFixed(2);
  return {
    month, billed: x.billed, collected: f(fen(x.collected)), lateFees: x.late_fees, waived: f(fen(x.waived)), reversals: x.reversals,
    adjustments: x.adjustments, refunded: x.refunded, paidOfBilled: f(paidOfBilled), recoveryRateBp: recoveryRateBp(paidOfBilled, billed),
    customersBilled: x.customers_billed, payments: x.payments,
  };
}

/** months.close: freezes a finished month's figures; later postings book into the open month. */
export async function closeMonth(stationId: number, month: Period, actorId: number, today: IsoDate) {
  if (month >= periodOf(today)) throw new AppError("MONTH_NOT_ENDED", { month });
  return withTx(async (c) => {
    await c.query(`select pg_advisory_xact_lock($1, $2)`, [MONTH_LOCK, stationId]); // waits for postings in flight
    const last = await lastClosedMonth(c, stationId);
    if (last && month <= last) throw new AppError("MONTH_ALREADY_CLOSED", { month });
    if (last && month !== addMonths(last, 1)) throw new AppError("MONTH_CLOSE_ORDER", { month: addMonths(last, 1) });
    const figures = await monthFigures(c, stationId, month);
    await c.query(`insert into month_close (station_id, month, figures, closed_by) values ($1, $2, $3, $4)`, [stationId, month, JSON.stringify(figures), actorId]);
    await auditRaw(c, { stationId, actorId, action: "month.close", targetType: "month_close", targetId: month, after: figures });
    return figures;
  });
}

export async function closedMonths(stationId: number) {
  const r = await pool.query(
    `select month, figures, closed_at, u.name closed_by from month_close m left join app_user u on u.id = m.closed_by
     where m.station_id = $1 order by month desc limit 24`, [stationId]);
  return r.rows.map((x) => ({ month: x.month as string, figures: x.figures as MonthFigures, closedAt: (x.closed_at as Date).toISOString(), closedBy: x.closed_by as string | null }));
}
