import "server-only";
// The audit worklist (核算工作台): open exceptions grouped and filtered, and clearing them with
// who and why. An open exception holds its bill (HELD); when the last one is cleared the bill
// is DRAFT again and goes out with the run's next release. Every change writes an audit row in
// the same transaction.
import type pg from "pg";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { addDays, isWorkingDay, zonedInstant, type IsoDate } from "@/lib/domain/calendar";
import { formatYuan } from "@/lib/domain/money";
import { isRegister } from "@/lib/domain/billing/consumption";
import { computeCustomerBill, loadSettings } from "@/lib/jobs/billing-run";
import { makeT } from "@/lib/i18n/core";
import type { ClearExceptionInput } from "@/lib/validation/billing";
import { stationToday } from "./billing";
import { cancelStaleRereads, planRereadVisit } from "./reread-visits";

export type ExceptionFilter = { period?: string; code?: string; routeId?: number; afterId?: number };

export type ExceptionRow = {
  id: number;
  billId: number;
  code: string;
  details: Record<string, unknown>;
  resolution: string | null; // REREAD while a re-read is pending
  note: string | null;
  period: string;
  customerId: number;
  customerNo: string;
  name: string;
  address: string;
  category: string;
  usageType: string;
  tariffId: number;
  routeCode: string;
  kwh: number;
  amount: string;
  otherCodes: string[];
  reread: RereadStatus | null; // while resolution is REREAD: the visit, and what it found once back
};

export type RereadStatus = {
  visitId: number; plannedOn: string; staff: string | null; doneAt: string | null; outcome: string | null;
  value: string | null; before: string | null; recordedBy: string | null; note: string | null;
};

export type AuditSummary = {
  periods: string[];
  byCode: { code: string; n: number }[];
  byRoute: { routeId: number; routeCode: string; n: number }[];
  total: number;
};

/** Open exceptions per code and per route (for the group headers and filters). */
export async function exceptionSummary(actor: Actor, f: ExceptionFilter): Promise<AuditSummary> {
  const periods = await pool.query<{ period: string }>(
    `select distinct period from audit_exception where station_id = $1 and status = 'OPEN' order by period desc limit 24`,
    [actor.stationId],
  );
  const args = [actor.stationId, f.period ?? null, f.code ?? null, f.routeId ?? null];
  const where = `e.station_id = $1 and e.status = 'OPEN' and ($2::text is null or e.period = $2)
                 and ($3::text is null or e.code = $3) and ($4::int is null or c.route_id = $4)`;
  const [byCode, byRoute] = await Promise.all([
    pool.query<{ code: string; n: string }>(
      `select e.code, count(*) as n from audit_exception e join customer c on c.id = e.customer_id where ${where}
       group by e.code order by count(*) desc`, args),
    pool.query<{ route_id: number; code: string; n: string }>(
      `select c.route_id, r.code, count(*) as n from audit_exception e join customer c on c.id = e.customer_id
         join route r on r.id = c.route_id where ${where} group by c.route_id, r.code order by r.code`, args),
  ]);
  return {
    periods: periods.rows.map((p) => p.period),
    byCode: byCode.rows.map((r) => ({ code: r.code, n: Number(r.n) })),
    byRoute: byRoute.rows.map((r) => ({ routeId: r.route_id, routeCode: r.code, n: Number(r.n) })),
    total: byCode.rows.reduce((s, r) => s + Number(r.n), 0),
  };
}

export async function listExceptions(actor: Actor, f: ExceptionFilter, limit = 50): Promise<ExceptionRow[]> {
  const r = await pool.query(
    `select e.id, e.bill_id, e.code, e.details, e.resolution, e.note, e.period, e.customer_id,
            c.customer_no, c.name, c.address, c.category::text as category, c.usage_type::text as usage_type, c.tariff_id,
            rt.code as route_code, b.kwh, b.amount::text as amount,
            array(select x.code from audit_exception x where x.bill_id = e.bill_id and x.status = 'OPEN' and x.id <> e.id order by x.code) as other_codes,
            rr.id as rr_id, rr.planned_on as rr_planned_on, rr.staff as rr_staff, rr.done_at as rr_done_at, rr.outcome as rr_outcome,
            rr.value as rr_value, rr.before as rr_before, rr.recorded_by as rr_recorded_by, rr.note as rr_note
       from audit_exception e
       join customer c on c.id = e.customer_id
       join route rt on rt.id = c.route_id
       join bill b on b.id = e.bill_id
       -- the latest re-read visit of the bill's reading, with the value it replaced (its audit row)
       left join lateral (
         select v.id, v.planned_on::text as planned_on, su.name as staff, v.done_at, v.outcome, v.final_reading::text as value,
                ru.name as recorded_by, v.note,
                (select l.before->>'value' from audit_log l where l.target_type = 'visit' and l.target_id = v.id::text and l.action = 'visit.reread'
                  order by l.id desc limit 1) as before
           from visit v left join app_user su on su.id = v.staff_id left join app_user ru on ru.id = v.recorded_by
          where v.reading_id = b.reading_id and v.purpose = 'CATCH_UP_READING' and e.resolution = 'REREAD'
          order by v.id desc limit 1) rr on true
      where e.station_id = $1 and e.status = 'OPEN' and ($2::text is null or e.period = $2)
        and ($3::text is null or e.code = $3) and ($4::int is null or c.route_id = $4) and e.id > $5
      order by e.id limit $6`,
    [actor.stationId, f.period ?? null, f.code ?? null, f.routeId ?? null, f.afterId ?? 0, limit],
  );
  return r.rows.map((x) => ({
    id: x.id, billId: x.bill_id, code: x.code, details: x.details, resolution: x.resolution, note: x.note, period: x.period,
    customerId: x.customer_id, customerNo: x.customer_no, name: x.name, address: x.address, category: x.category,
    usageType: x.usage_type, tariffId: x.tariff_id, routeCode: x.route_code, kwh: x.kwh, amount: x.amount, otherCodes: x.other_codes,
    reread: x.rr_id ? {
      visitId: x.rr_id, plannedOn: x.rr_planned_on, staff: x.rr_staff, doneAt: x.rr_done_at ? (x.rr_done_at as Date).toISOString() : null,
      outcome: x.rr_outcome, value: x.rr_value, before: x.rr_before, recordedBy: x.rr_recorded_by, note: x.rr_note,
    } : null,
  }));
}

// ─── clearing ───

type Audit = { action: string; targetType: string; targetId: string | number; before?: unknown; after?: unknown; reason?: string | null };

async function audit(db: pg.PoolClient, actor: Actor, e: Audit) {
  await db.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, before, after, reason) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [actor.stationId, actor.id, e.action, e.targetType, String(e.targetId),
      e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after), e.reason ?? null],
  );
}

async function tx<T>(fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query("begin");
    const out = await fn(db);
    await db.query("commit");
    return out;
  } catch (e) {
    await db.query("rollback").catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}

type Locked = {
  id: number; bill_id: number; customer_id: number; period: string; code: string; status: string;
  bill_status: string; reading_id: number | null; station_id: number;
};

async function lockException(db: pg.PoolClient, actor: Actor, exceptionId: number): Promise<Locked> {
  const r = await db.query<Locked>(
    `select e.id, e.bill_id, e.customer_id, e.period, e.code, e.status::text as status, b.status::text as bill_status, b.reading_id, e.station_id
       from audit_exception e join bill b on b.id = e.bill_id
      where e.id = $1 and e.station_id = $2
      for update of e, b`,
    [exceptionId, actor.stationId],
  );
  const x = r.rows[0];
  if (!x) throw new AppError("NOT_FOUND");
  if (x.status !== "OPEN") throw new AppError("EXCEPTION_CLEARED");
  if (x.bill_status !== "DRAFT" && x.bill_status !== "HELD") throw new AppError("BILL_NOT_EDITABLE");
  return x;
}

async function clear(db: pg.PoolClient, actor: Actor, ids: number[], resolution: string, note: string) {
  await db.query(
    `update audit_exception set status = 'CLEARED', resolution = $2, note = $3, cleared_by = $4, cleared_at = now()
      where id = any($1::int[]) and status = 'OPEN'`,
    [ids, resolution, note, actor.id],
  );
}

/** HELD while an exception is open, DRAFT otherwise (only for bills not yet released). */
export async function settleBillStatus(db: pg.PoolClient, billIds: number[]) {
  await db.query(
    `update bill b set status = case when exists (select 1 from audit_exception e where e.bill_id = b.id and e.status = 'OPEN')
                                     then 'HELD'::"BillStatus" else 'DRAFT'::"BillStatus" end
      where b.id = any($1::int[]) and b.status in ('DRAFT', 'HELD')`,
    [billIds],
  );
}

type BillKey = Pick<Locked, "bill_id" | "customer_id" | "period" | "station_id">;

/**
 * Recomputes a not-yet-released bill exactly as the run would (same reads, same domain
 * functions), updates it in place, and re-audits it: new findings are added, open findings that
 * no longer hold are cleared as resolved by `resolution`. The one path for every change to a
 * held bill's inputs: the auditor's correction and tariff change here, the reader's re-read
 * (lib/data/rereads.ts). The caller holds the bill's row lock and settles its status after.
 */
export async function recomputeBill(db: pg.PoolClient, actor: Actor, x: BillKey, resolution: string, note: string, today: IsoDate) {
  const b = await computeCustomerBill(db, x.station_id, x.customer_id, x.period, today);
  if (!b) throw new AppError("READING_NOT_FOUND");
  const before = (await db.query(`select kwh, amount::text as amount from bill where id = $1`, [x.bill_id])).rows[0];
  const lines = b.lines.map((l) => ({ ...l, amount: formatYuan(l.amount) }));
  await db.query(
    `update bill set kwh = $2, amount = $3, lines = $4, tariff_version_id = $5, estimated = $6, due_date = $7, reading_id = $8 where id = $1`,
    [x.bill_id, b.kwh, formatYuan(b.total), JSON.stringify(lines), b.tariffVersionId, b.estimated, b.dueDate, b.readingId],
  );
  const codes = b.findings.map((f) => f.code);
  for (const f of b.findings) {
    await db.query(
      `insert into audit_exception (station_id, bill_id, customer_id, period, code, details) values ($1, $2, $3, $4, $5, $6)
       on conflict (bill_id, code) do nothing`,
      [x.station_id, x.bill_id, x.customer_id, x.period, f.code, JSON.stringify(f.details)],
    );
  }
  const gone = await db.query<{ id: number }>(
    `select id from audit_exception where bill_id = $1 and status = 'OPEN' and not (code = any($2::text[]))`, [x.bill_id, codes]);
  const t = makeT("zh");
  await clear(db, actor, gone.rows.map((g) => g.id), resolution, t("audit.autoCleared", { note }));
  await audit(db, actor, {
    action: "bill.recompute", targetType: "bill", targetId: x.bill_id, reason: note,
    before, after: { kwh: b.kwh, amount: formatYuan(b.total), findings: codes },
  });
  return b;
}

export async function clearException(actor: Actor, input: ClearExceptionInput) {
  const { today, tz } = await stationToday(actor.stationId);
  return tx(async (db) => {
    const x = await lockException(db, actor, input.exceptionId);
    switch (input.resolution) {
      case "ACCEPT":
        await clear(db, actor, [x.id], "ACCEPT", input.note);
        break;
      case "REREAD": {
        // a re-read is ordered: the exception stays open (bill held) until the route's reader (or
        // an auditor) records what the meter shows (lib/data/rereads.ts)
        if (!x.reading_id) throw new AppError("READING_NOT_FOUND");
        const day = await nextWorkingDay(db, actor.stationId, today);
        const v = await planRereadVisit(db, actor, x.customer_id, x.reading_id, day);
        await db.query(`update audit_exception set resolution = 'REREAD', note = $2 where id = $1`, [x.id, input.note]);
        await audit(db, actor, {
          action: "audit.reread", targetType: "audit_exception", targetId: x.id, reason: input.note,
          after: { visitId: v.visitId, plannedOn: day, readingId: x.reading_id, sharedVisit: !v.created },
        });
        await settleBillStatus(db, [x.bill_id]);
        return { billId: x.bill_id };
      }
      case "CORRECT_READING": {
        if (!x.reading_id) throw new AppError("READING_NOT_FOUND");
        const rd = await db.query<{ total: string | null; peak: string | null }>(
          `select total::text as total, peak::text as peak from reading where id = $1 for update`, [x.reading_id]);
        if (!rd.rows[0]) throw new AppError("READING_NOT_FOUND");
        const peak = input.peak === "" ? rd.rows[0].peak : input.peak;
        if (peak !== null && !isRegister(peak)) throw new AppError("READING_CORRECTION_INVALID", { detail: peak });
        await db.query(`update reading set total = $2, peak = $3, reason_code = 'AUDIT_CORRECTED' where id = $1`, [x.reading_id, input.total, peak]);
        await audit(db, actor, {
          action: "reading.correct", targetType: "reading", targetId: x.reading_id, reason: input.note,
          before: rd.rows[0], after: { total: input.total, peak },
        });
        await clear(db, actor, [x.id], "CORRECT_READING", input.note);
        await recomputeBill(db, actor, x, "CORRECT_READING", input.note, today);
        break;
      }
      case "CHANGE_TARIFF": {
        const t = await db.query<{ category: string; station_id: number | null }>(
          `select category::text as category, station_id from tariff where id = $1`, [input.tariffId]);
        if (!t.rows[0] || (t.rows[0].station_id !== null && t.rows[0].station_id !== actor.stationId)) throw new AppError("NOT_FOUND");
        const c = await db.query(`select category::text as category, usage_type::text as usage_type, tariff_id from customer where id = $1 for update`, [x.customer_id]);
        await db.query(
          `update customer set usage_type = $2::"UsageType", tariff_id = $3, category = $4::"CustomerCategory", updated_at = now() where id = $1`,
          [x.customer_id, input.usageType, input.tariffId, t.rows[0].category]);
        await audit(db, actor, {
          action: "customer.changeTariff", targetType: "customer", targetId: x.customer_id, reason: input.note,
          before: c.rows[0], after: { category: t.rows[0].category, usage_type: input.usageType, tariff_id: input.tariffId },
        });
        await clear(db, actor, [x.id], "CHANGE_TARIFF", input.note);
        await recomputeBill(db, actor, x, "CHANGE_TARIFF", input.note, today);
        break;
      }
      case "PROPOSE_CLOSURE":
        await proposeClosure(db, actor, x, input.note, today, tz);
        await clear(db, actor, [x.id], "PROPOSE_CLOSURE", input.note);
        break;
    }
    await audit(db, actor, {
      action: "audit.clear", targetType: "audit_exception", targetId: x.id, reason: input.note,
      before: { code: x.code, status: "OPEN" }, after: { status: "CLEARED", resolution: input.resolution },
    });
    await settleBillStatus(db, [x.bill_id]);
    // settled some other way than by a re-read: the reader's re-read task goes with it
    await cancelStaleRereads(db, actor, [x.bill_id], input.note);
    return { billId: x.bill_id };
  });
}

/** Accepts many open exceptions at once with one reason (e.g. a whole route read a day late). */
export async function acceptMany(actor: Actor, ids: number[], note: string) {
  return tx(async (db) => {
    const r = await db.query<{ id: number; bill_id: number }>(
      `select e.id, e.bill_id from audit_exception e join bill b on b.id = e.bill_id
        where e.id = any($1::int[]) and e.station_id = $2 and e.status = 'OPEN' and b.status in ('DRAFT', 'HELD')
        for update of e`,
      [ids, actor.stationId],
    );
    const found = r.rows.map((x) => x.id);
    await clear(db, actor, found, "ACCEPT", note);
    await audit(db, actor, { action: "audit.acceptMany", targetType: "audit_exception", targetId: found.length, reason: note, after: { ids: found } });
    const bills = [...new Set(r.rows.map((x) => x.bill_id))];
    await settleBillStatus(db, bills);
    await cancelStaleRereads(db, actor, bills, note);
    return { cleared: found.length };
  });
}

async function holidayCalendar(db: pg.PoolClient, stationId: number) {
  const r = await db.query<{ day: string; kind: string }>(
    `select day::text as day, kind from calendar_day where station_id is null or station_id = $1`, [stationId]);
  return {
    holidays: new Set(r.rows.filter((x) => x.kind === "HOLIDAY").map((x) => x.day)),
    workdays: new Set(r.rows.filter((x) => x.kind === "WORKDAY").map((x) => x.day)),
  };
}

/** The first working day after `from` (holidays and 调休 from the station's calendar): when field
 *  work ordered today (a re-read, a site check) is planned. */
export async function nextWorkingDay(db: pg.PoolClient, stationId: number, from: IsoDate): Promise<IsoDate> {
  const cal = await holidayCalendar(db, stationId);
  let day = addDays(from, 1);
  while (!isWorkingDay(day, cal)) day = addDays(day, 1);
  return day;
}

/**
 * 销户 proposal (six months of zero use; docs/domain/closure.md §1: never closed automatically): the customer is
 * marked CLOSURE_PROPOSED, a site check is planned (现场核查), a notice is queued to the customer
 * (公告/通知), and the closure goes to the manager as an approval carrying the final bill and
 * the balance to settle (refund of prepaid funds or collection of arrears). The rest of the
 * workflow (site check result, cancellation, the manager's approval) is in lib/data/closures.ts.
 */
async function proposeClosure(db: pg.PoolClient, actor: Actor, x: Locked, note: string, today: IsoDate, tz: string) {
  const c = await db.query<{ status: string; customer_no: string; address: string }>(
    `select status::text as status, customer_no, address from customer where id = $1 for update`, [x.customer_id]);
  if (c.rows[0].status === "CLOSURE_PROPOSED" || c.rows[0].status === "CLOSED") throw new AppError("CLOSURE_ALREADY");
  await db.query(`update customer set status = 'CLOSURE_PROPOSED', updated_at = now() where id = $1`, [x.customer_id]);
  const day = await nextWorkingDay(db, actor.stationId, today);
  const reader = await db.query<{ reader_id: number | null }>(
    `select r.reader_id from customer c join route r on r.id = c.route_id where c.id = $1`, [x.customer_id]);
  const visit = await db.query<{ id: number }>(
    `insert into visit (station_id, customer_id, staff_id, purpose, planned_on) values ($1, $2, $3, 'SITE_CHECK', $4) returning id`,
    [actor.stationId, x.customer_id, reader.rows[0]?.reader_id ?? null, day]);
  const settings = await loadSettings(db, actor.stationId, today);
  const t = makeT("zh");
  const contact = await db.query<{ id: number; channel: string; value: string }>(
    `select id, channel::text as channel, value from contact
      where customer_id = $1 and active and consent and channel in ('SMS', 'WECHAT', 'EMAIL', 'POST')
      order by case role when 'SELF' then 0 when 'PROXY' then 1 else 2 end, id limit 1`, [x.customer_id]);
  const ct = contact.rows[0];
  const notice = await db.query<{ id: number }>(
    `insert into outbox_message (station_id, customer_id, contact_id, channel, recipient, template, content, dedupe_key, not_before)
     values ($1, $2, $3, $4::"Channel", $5, 'closure-notice', $6, $7, $8)
     on conflict (dedupe_key) do update set dedupe_key = excluded.dedupe_key returning id`,
    [actor.stationId, x.customer_id, ct?.id ?? null, ct?.channel ?? "POST", (ct?.value ?? c.rows[0].address).slice(0, 120),
      t("audit.closure.notice", { customerNo: c.rows[0].customer_no }), `closure-notice:${x.customer_id}:${x.period}`,
      zonedInstant(day, settings.reminders.sendAt, tz)]);
  const bal = await db.query<{ balance: string | null }>(
    `select coalesce(sum(amount), 0)::text as balance from ledger_entry where customer_id = $1`, [x.customer_id]);
  const approval = await db.query<{ id: number }>(
    `insert into approval (station_id, kind, target_type, target_id, payload, reason, requested_by)
     values ($1, 'ACCOUNT_CLOSURE', 'customer', $2, $3, $4, $5) returning id`,
    [actor.stationId, x.customer_id, JSON.stringify({
      // statusBefore: what a cancelled closure (site check finds the premise in use) restores
      customerId: x.customer_id, customerNo: c.rows[0].customer_no, statusBefore: c.rows[0].status,
      finalBillId: x.bill_id, period: x.period, balance: bal.rows[0].balance, siteCheckVisitId: visit.rows[0].id, noticeId: notice.rows[0].id,
      // positive balance: arrears to collect before closing; negative: prepaid funds to refund
      balanceHandling: Number(bal.rows[0].balance) > 0 ? "COLLECT" : Number(bal.rows[0].balance) < 0 ? "REFUND" : "NONE",
    }), note, actor.id]);
  await audit(db, actor, {
    action: "customer.proposeClosure", targetType: "customer", targetId: x.customer_id, reason: note,
    before: { status: c.rows[0].status },
    after: { status: "CLOSURE_PROPOSED", visitId: visit.rows[0].id, noticeId: notice.rows[0].id, approvalId: approval.rows[0].id, balance: bal.rows[0].balance },
  });
}
