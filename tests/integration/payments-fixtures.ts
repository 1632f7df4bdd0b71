// Fixtures for the counter's integration tests: a station with staff, customers, released bills
// (with their BILL ledger entries, as the billing release writes them). Raw SQL, small.
import { afterAll } from "vitest";
import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { formatYuan, parseYuan } from "@/lib/domain/money";
import { periodOf } from "@/lib/domain/calendar";

let seq = 0;

// pg's Pool.end() resolves before its sockets have closed; the harness then drops the database
// WITH (FORCE) and the closing clients die with an unhandled 57P01. Close ours first, and wait.
afterAll(async () => {
  await pool.end().catch(() => {});
  const g = globalThis as { counterSearchPool?: { end(): Promise<void> } };
  await g.counterSearchPool?.end().catch(() => {});
  delete g.counterSearchPool;
  await new Promise((r) => setTimeout(r, 300));
});

export type TestStation = { stationId: number; code: string; tariffId: number; clerk: Actor; clerk2: Actor; manager: Actor };

export async function makeStation(code = `T${++seq}${Math.random().toString(36).slice(2, 5)}`.toUpperCase()): Promise<TestStation> {
  const st = (await pool.query(`insert into station (code, name) values ($1, $2) returning id`, [code, `测试所${code}`])).rows[0].id as number;
  const tariffId = (await pool.query(
    `insert into tariff (station_id, code, name, category) values ($1, $2, '居民', 'RESIDENTIAL') returning id`, [st, `${code}-R`])).rows[0].id as number;
  const user = async (username: string, role: Actor["role"], name: string): Promise<Actor> => {
    const id = (await pool.query(
      `insert into app_user (station_id, username, name, password_hash, role, updated_at) values ($1, $2, $3, 'x', $4, now()) returning id`,
      [st, `${code}-${username}`, name, role])).rows[0].id as number;
    return { id, stationId: st, role, name, username: `${code}-${username}` };
  };
  return { stationId: st, code, tariffId, clerk: await user("clerk", "CLERK", "收费员甲"), clerk2: await user("clerk2", "CLERK", "收费员乙"), manager: await user("manager", "MANAGER", "所长") };
}

export type CustomerOpts = {
  no?: string; name?: string; address?: string; phone?: string | null; category?: string; paymentMethod?: string; flags?: string[];
  status?: string; paymentAccountId?: number | null;
};

export async function makeCustomer(s: TestStation, o: CustomerOpts = {}): Promise<number> {
  const no = o.no ?? String(1_000_000_000 + ++seq * 7 + Math.floor(Math.random() * 1000));
  const r = await pool.query(
    `insert into customer (station_id, customer_no, name, phone, address, category, usage_type, payment_method, flags, status,
                           district_id, line_id, street_id, route_id, route_seq, payment_account_id, tariff_id, opened_on, updated_at)
     values ($1, $2, $3, $4, $5, $6, 'RESIDENTIAL', $7, $8, $9, 1, 1, 1, 1, 1, $10, $11, '2020-01-01', now()) returning id`,
    [s.stationId, no, o.name ?? "张三", o.phone === undefined ? "13800000000" : o.phone, o.address ?? "幸福路1号", o.category ?? "RESIDENTIAL",
      o.paymentMethod ?? "COUNTER", o.flags ?? [], o.status ?? "ACTIVE", o.paymentAccountId ?? null, s.tariffId]);
  return r.rows[0].id;
}

export async function makePaymentAccount(s: TestStation, paymentNo: string): Promise<number> {
  return (await pool.query(`insert into payment_account (station_id, payment_no, name) values ($1, $2, '缴费号') returning id`, [s.stationId, paymentNo])).rows[0].id;
}

/** A released bill and its BILL ledger entry (booked in the issue date's month). */
export async function releaseBill(s: TestStation, customerId: number, b: { period: string; amount: string; dueDate: string; issueDate?: string }): Promise<number> {
  const issue = b.issueDate ?? `${b.period}-20`;
  const id = (await pool.query(
    `insert into bill (station_id, customer_id, period, kwh, amount, lines, status, issue_date, due_date, released_at)
     values ($1, $2, $3, 100, $4, '[]', 'RELEASED', $5, $6, now()) returning id`,
    [s.stationId, customerId, b.period, b.amount, issue, b.dueDate])).rows[0].id as number;
  await pool.query(
    `insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id) values ($1, $2, 'BILL', $3, $4, $5, $6)`,
    [s.stationId, customerId, b.amount, issue, periodOf(issue), id]);
  return id;
}

export async function balanceOf(customerId: number): Promise<string> {
  const r = await pool.query(`select coalesce(sum(amount), 0)::text s from ledger_entry where customer_id = $1`, [customerId]);
  return formatYuan(parseYuan(r.rows[0].s));
}

export async function counts(stationId: number) {
  const r = await pool.query(
    `select (select count(*) from payment where station_id = $1)::int payments,
            (select count(*) from payment_allocation pa join payment p on p.id = pa.payment_id where p.station_id = $1)::int allocations,
            (select count(*) from ledger_entry where station_id = $1)::int entries,
            (select coalesce(sum(paid_amount), 0)::text from bill where station_id = $1) paid,
            (select count(*) from approval where station_id = $1)::int approvals,
            (select count(*) from outbox_message where station_id = $1)::int outbox`, [stationId]);
  return r.rows[0];
}
