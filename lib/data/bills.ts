import "server-only";
// One bill for the bill page (电费通知单), and the correction of a released bill: released bills
// are never edited; a correction reverses the bill (REVERSAL ledger entry, status REVERSED) and
// rebills it as version+1 from the corrected reading, with the reasons in the audit log.
import type pg from "pg";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { addDays, addMonths, zonedInstant } from "@/lib/domain/calendar";
import { formatYuan, parseYuan } from "@/lib/domain/money";
import { isRegister } from "@/lib/domain/billing/consumption";
import { computeCustomerBill, loadSettings } from "@/lib/jobs/billing-run";
import { makeT } from "@/lib/i18n/core";
import { BILL_NOTICE_CONTACT, openBookMonth, stationToday } from "./billing";
import { settleCredit } from "./payments";

export type BillLineDto = {
  label: string; kwh: number; price: string; amount: string;
  versionId?: number; from?: string; to?: string; quantity?: string; unit?: string; powerFactor?: string;
};

export type BillDto = {
  id: number;
  period: string;
  version: number;
  status: "DRAFT" | "HELD" | "RELEASED" | "REVERSED";
  kwh: number;
  amount: string;
  paidAmount: string;
  lines: BillLineDto[];
  estimated: boolean;
  issueDate: string | null;
  dueDate: string;
  reversalOfId: number | null;
  replacedBy: { id: number; version: number } | null;
  customer: { id: number; customerNo: string; name: string; address: string; category: string; householdSize: number; timeOfUse: boolean };
  tariff: { code: string; name: string; effectiveFrom: string | null } | null;
  readings: { meterNo: string; multiplier: number; previous: string | null; current: string; previousPeak: string | null; currentPeak: string | null; readOn: string; estimated: boolean }[];
  history: { period: string; kwh: number | null }[]; // the 12 periods up to this one, oldest first
  station: { name: string };
};

export async function getBill(actor: Actor, billId: number): Promise<BillDto | null> {
  const r = await pool.query(
    `select b.id, b.period, b.version, b.status::text as status, b.kwh, b.amount::text as amount, b.paid_amount::text as paid_amount,
            b.lines, b.estimated, b.issue_date::text as issue_date, b.due_date::text as due_date, b.reversal_of_id, b.customer_id,
            c.customer_no, c.name, c.address, c.category::text as category, c.household_size, c.time_of_use,
            t.code as tariff_code, t.name as tariff_name, tv.effective_from::text as tariff_from, s.name as station_name
       from bill b join customer c on c.id = b.customer_id join station s on s.id = b.station_id
       left join tariff_version tv on tv.id = b.tariff_version_id left join tariff t on t.id = tv.tariff_id
      where b.id = $1 and b.station_id = $2`,
    [billId, actor.stationId],
  );
  const b = r.rows[0];
  if (!b) return null;
  const [readings, history, replaced] = await Promise.all([
    pool.query(
      `select m.meter_no, mi.multiplier, cur.total::text as current, cur.peak::text as current_peak, cur.source::text as source,
              coalesce((cur.read_at at time zone s.timezone)::date, cur.scheduled_on)::text as read_on,
              coalesce(prev.total, mi.start_reading)::text as previous, coalesce(prev.peak, mi.start_peak)::text as previous_peak
         from reading cur
         join meter_installation mi on mi.id = cur.installation_id join meter m on m.id = mi.meter_id join station s on s.id = cur.station_id
         left join lateral (select p.total, p.peak from reading p where p.installation_id = cur.installation_id and p.period < cur.period
                             and p.total is not null order by p.period desc limit 1) prev on true
        where cur.customer_id = $1 and cur.period = $2 and cur.total is not null order by m.meter_no`,
      [b.customer_id, b.period],
    ),
    pool.query<{ period: string; kwh: number }>(
      `select period, kwh from bill where customer_id = $1 and period > $2 and period <= $3 and status <> 'REVERSED'`,
      [b.customer_id, addMonths(b.period, -12), b.period],
    ),
    pool.query<{ id: number; version: number }>(`select id, version from bill where reversal_of_id = $1`, [billId]),
  ]);
  const byPeriod = new Map(history.rows.map((h) => [h.period, h.kwh]));
  if (b.status !== "REVERSED") byPeriod.set(b.period, b.kwh);
  return {
    id: b.id, period: b.period, version: b.version, status: b.status, kwh: b.kwh, amount: b.amount, paidAmount: b.paid_amount,
    lines: b.lines as BillLineDto[], estimated: b.estimated, issueDate: b.issue_date, dueDate: b.due_date, reversalOfId: b.reversal_of_id,
    replacedBy: replaced.rows[0] ?? null,
    customer: {
      id: b.customer_id, customerNo: b.customer_no, name: b.name, address: b.address, category: b.category,
      householdSize: b.household_size, timeOfUse: b.time_of_use,
    },
    tariff: b.tariff_code ? { code: b.tariff_code, name: b.tariff_name, effectiveFrom: b.tariff_from } : null,
    readings: readings.rows.map((x) => ({
      meterNo: x.meter_no, multiplier: x.multiplier, previous: x.previous, current: x.current, previousPeak: x.previous_peak,
      currentPeak: x.current_peak, readOn: x.read_on, estimated: x.source === "ESTIMATED",
    })),
    history: Array.from({ length: 12 }, (_, k) => {
      const p = addMonths(b.period, k - 11);
      return { period: p, kwh: byPeriod.get(p) ?? null };
    }),
    station: { name: b.station_name },
  };
}

async function audit(db: pg.PoolClient, actor: Actor, action: string, targetId: number, before: unknown, after: unknown, reason: string) {
  await db.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, before, after, reason) values ($1, $2, $3, 'bill', $4, $5, $6, $7)`,
    [actor.stationId, actor.id, action, String(targetId), JSON.stringify(before), JSON.stringify(after), reason],
  );
}

/**
 * 冲正重开: reverses a released bill and rebills it (version+1) from the (optionally corrected)
 * reading, in one transaction. The rebill is issued at once (the auditor is correcting it): its
 * BILL ledger entry and a new bill notice are written with it. What was paid on the reversed
 * bill becomes the customer's prepaid funds again (per payment, so each still sums to its
 * amount) and pays the open bills, the rebill included, oldest first (settleCredit); a rebill
 * smaller than what was paid leaves the difference as prepaid funds. A late fee charged and
 * paid on the old bill stays with it.
 */
export async function reverseAndRebill(actor: Actor, input: { billId: number; note: string; total?: string; peak?: string }) {
  const { today, tz } = await stationToday(actor.stationId);
  const settings = await loadSettings(pool, actor.stationId, today);
  const bookMonth = await openBookMonth(actor.stationId, today);
  const db = await pool.connect();
  try {
    await db.query("begin");
    // the customer first, then the bill: the order a payment locks them in (no deadlock)
    await db.query(`select id from customer where id = (select customer_id from bill where id = $1 and station_id = $2) for update`, [input.billId, actor.stationId]);
    const r = await db.query(
      `select id, station_id, customer_id, period, version, status::text as status, amount::text as amount, paid_amount::text as paid,
              reading_id, billing_run_id, kwh, due_date::text as due_date
         from bill where id = $1 and station_id = $2 for update`,
      [input.billId, actor.stationId],
    );
    const old = r.rows[0];
    if (!old) throw new AppError("NOT_FOUND");
    if (old.status !== "RELEASED") throw new AppError("BILL_NOT_RELEASED");
    // at most one live version per customer and period: lock them all
    await db.query(`select id from bill where customer_id = $1 and period = $2 for update`, [old.customer_id, old.period]);
    if (input.total) {
      if (!old.reading_id) throw new AppError("READING_NOT_FOUND");
      if (!isRegister(input.total) || (input.peak && !isRegister(input.peak))) {
        throw new AppError("READING_CORRECTION_INVALID", { detail: input.total });
      }
      const rd = await db.query(`select total::text as total, peak::text as peak from reading where id = $1 for update`, [old.reading_id]);
      await db.query(`update reading set total = $2, peak = coalesce($3, peak), reason_code = 'AUDIT_CORRECTED' where id = $1`,
        [old.reading_id, input.total, input.peak || null]);
      await db.query(
        `insert into audit_log (station_id, actor_id, action, target_type, target_id, before, after, reason) values ($1, $2, 'reading.correct', 'reading', $3, $4, $5, $6)`,
        [actor.stationId, actor.id, String(old.reading_id), JSON.stringify(rd.rows[0]), JSON.stringify({ total: input.total, peak: input.peak || rd.rows[0].peak }), input.note]);
    }
    // 1. reversal: the bill leaves the receivable with an opposite entry in the open month
    await db.query(`update bill set status = 'REVERSED' where id = $1`, [old.id]);
    await db.query(
      `insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id, actor_id, memo)
       values ($1, $2, 'REVERSAL', $3, $4, $5, $6, $7, $8)`,
      [old.station_id, old.customer_id, formatYuan(-parseYuan(old.amount)), today, bookMonth, old.id, actor.id, `冲正 ${old.period} 电费: ${input.note}`.slice(0, 500)],
    );
    // what was paid on it is the customer's money again: principal back to prepaid funds
    const moved = await db.query<{ payment_id: number; principal: string }>(
      `with paid as (
         select payment_id, customer_id, sum(principal) principal from payment_allocation where bill_id = $1 group by 1, 2 having sum(principal) <> 0),
       al as (
         insert into payment_allocation (payment_id, customer_id, bill_id, principal, late_fee, origin)
         select payment_id, customer_id, $1, -principal, 0, 'BILL_REVERSED'::"AllocationOrigin" from paid
         union all select payment_id, customer_id, null, principal, 0, 'BILL_REVERSED' from paid)
       select payment_id, principal::text as principal from paid`, [old.id]);
    await db.query(`update bill set paid_amount = 0, settled_on = null where id = $1`, [old.id]);
    await audit(db, actor, "bill.reverse", old.id, { status: "RELEASED", amount: old.amount, kwh: old.kwh, paid: old.paid },
      { status: "REVERSED", toPrepaid: moved.rows }, input.note);
    // 2. rebill from the readings as they now are, exactly as the run computes
    const b = await computeCustomerBill(db, old.station_id, old.customer_id, old.period, today);
    if (!b) throw new AppError("READING_NOT_FOUND");
    const due = [b.dueDate, addDays(today, settings.billing.dueDaysAfterIssue)].sort()[1];
    const lines = b.lines.map((l) => ({ ...l, amount: formatYuan(l.amount) }));
    const nb = await db.query<{ id: number; version: number }>(
      `insert into bill (station_id, customer_id, period, version, billing_run_id, kwh, amount, lines, status, reading_id, tariff_version_id,
                         estimated, issue_date, due_date, reversal_of_id, released_at)
       select $1::int, $2::int, $3::varchar, max(version) + 1, $4::int, $5::int, $6::numeric, $7::jsonb, 'RELEASED', $8::int, $9::int,
              $10::boolean, $11::date, $12::date, $13::int, now()
         from bill where customer_id = $2::int and period = $3::varchar
       returning id, version`,
      [old.station_id, old.customer_id, old.period, old.billing_run_id, b.kwh, formatYuan(b.total), JSON.stringify(lines), b.readingId,
        b.tariffVersionId, b.estimated, today, due, old.id],
    );
    const rebill = nb.rows[0];
    await db.query(
      `insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id, actor_id, memo)
       values ($1, $2, 'BILL', $3, $4, $5, $6, $7, $8)`,
      [old.station_id, old.customer_id, formatYuan(b.total), today, bookMonth, rebill.id, actor.id, `电费 ${old.period}（第 ${rebill.version} 版）`],
    );
    const t = makeT("zh");
    // the rebill's notice goes to whoever the release would have sent it to
    const c = (await db.query<{ customer_no: string; address: string; contact_id: number | null; channel: string | null; value: string | null }>(
      `select c.customer_no, c.address, ct.id as contact_id, ct.channel::text as channel, ct.value
         from customer c left join lateral (${BILL_NOTICE_CONTACT}) ct on true where c.id = $1`, [old.customer_id])).rows[0];
    const content = t("billing.notice.template", { customerNo: c.customer_no, period: old.period, amount: formatYuan(b.total), dueDate: due });
    await db.query(
      `insert into outbox_message (station_id, customer_id, contact_id, channel, recipient, template, content, dedupe_key, not_before)
       values ($1, $2, $3, $4::"Channel", $5, 'bill-notice', $6, $7, $8) on conflict (dedupe_key) do nothing`,
      [old.station_id, old.customer_id, c.contact_id, c.channel ?? "POST", (c.value ?? c.address).slice(0, 120),
        content, `bill-notice:${rebill.id}`, zonedInstant(today, settings.reminders.sendAt, tz)],
    );
    const prepaid = await settleCredit(db, { stationId: old.station_id, customerIds: [old.customer_id], valueDate: today, bookMonth, actorId: actor.id });
    await audit(db, actor, "bill.rebill", rebill.id, { reversed: old.id, amount: old.amount, kwh: old.kwh },
      { version: rebill.version, amount: formatYuan(b.total), kwh: b.kwh, findings: b.findings.map((f) => f.code) }, input.note);
    await db.query("commit");
    return { id: rebill.id, version: rebill.version, amount: formatYuan(b.total), paidFromPrepaid: formatYuan(prepaid.applied) };
  } catch (e) {
    await db.query("rollback").catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}
