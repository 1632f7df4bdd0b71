import "server-only";
// 销户 after the proposal (lib/data/audit-exceptions.ts proposeClosure): the site check's result,
// recorded by the assigned reader or an auditor, and the auditor's closures list with every
// step. "Found in use" cancels the closure on the spot: customer back to its status before, the
// pending approval withdrawn, the unsent notice suppressed. "No access" plans the next visit.
// "Vacant" leaves the decision to the manager (lib/data/closure-approval.ts). One transaction
// per change, with audit rows.
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { checkFinalReading, type SiteCheckResult } from "@/lib/domain/closure/closure";
import type { IsoDate } from "@/lib/domain/calendar";
import type { Fen } from "@/lib/domain/money";
import type { SiteCheckInput } from "@/lib/validation/closure";
import { nextWorkingDay } from "./audit-exceptions";
import { auditRaw, fen, stationToday, withTx, type Db } from "./ledger";

export type ClosurePayload = {
  customerId?: number; customerNo?: string; statusBefore?: string;
  finalBillId: number; period: string; balance: string; siteCheckVisitId: number; noticeId: number; balanceHandling: string;
};

// ───────────── the site check ─────────────

type LockedVisit = {
  id: number; customer_id: number; staff_id: number | null; purpose: string; done_at: Date | null; planned_on: string; customer_status: string;
};

/** The reader assigned to the visit, or an auditor, records what the site check found. */
export async function recordSiteCheck(actor: Actor, input: SiteCheckInput) {
  return withTx(async (c) => {
    const found = (await c.query<{ customer_id: number }>(
      `select customer_id from visit where id = $1 and station_id = $2 and purpose = 'SITE_CHECK'`, [input.visitId, actor.stationId])).rows[0];
    if (!found) throw new AppError("NOT_FOUND");
    // the approval before the customer, as the manager's decision locks them (no deadlock between the two)
    const a = (await c.query<{ id: number; payload: ClosurePayload }>(
      `select id, payload from approval where station_id = $1 and kind = 'ACCOUNT_CLOSURE' and target_id = $2 and status = 'PENDING'
       order by id desc limit 1 for update`, [actor.stationId, found.customer_id])).rows[0];
    const v = (await c.query<LockedVisit>(
      `select v.id, v.customer_id, v.staff_id, v.purpose, v.done_at, v.planned_on::text planned_on, cu.status::text customer_status
       from visit v join customer cu on cu.id = v.customer_id
       where v.id = $1 for update of v, cu`, [input.visitId])).rows[0];
    if (actor.role === "READER" && v.staff_id !== actor.id) throw new AppError("VISIT_NOT_YOURS");
    if (v.done_at) throw new AppError("SITE_CHECK_ALREADY_RECORDED");
    if (!a || v.customer_status !== "CLOSURE_PROPOSED" || Number(a.payload.siteCheckVisitId) !== v.id) throw new AppError("CLOSURE_NOT_PENDING");

    const kwh = await validateFinalReading(c, v.customer_id, input.result, input.finalReading);
    await c.query(
      `update visit set done_at = now(), outcome = $2, note = $3, final_reading = $4, recorded_by = $5 where id = $1`,
      [v.id, input.result, input.note, input.finalReading, actor.id]);
    await auditRaw(c, {
      stationId: actor.stationId, actorId: actor.id, action: "visit.siteCheck", targetType: "visit", targetId: v.id, reason: input.note,
      before: { done: false }, after: { result: input.result, finalReading: input.finalReading, kwhSinceLastReading: kwh, customerId: v.customer_id, approvalId: a.id },
    });
    if (input.result === "IN_USE") {
      await cancelClosure(c, actor, v.customer_id, a, input.note);
      return { result: input.result, customerStatus: await statusOf(c, v.customer_id), nextVisitOn: null as IsoDate | null };
    }
    if (input.result === "NO_ACCESS") {
      const day = await nextWorkingDay(c, actor.stationId, await stationToday(actor.stationId));
      const next = (await c.query<{ id: number }>(
        `insert into visit (station_id, customer_id, staff_id, purpose, planned_on) values ($1, $2, $3, 'SITE_CHECK', $4) returning id`,
        [actor.stationId, v.customer_id, v.staff_id, day])).rows[0].id;
      await c.query(`update approval set payload = jsonb_set(payload, '{siteCheckVisitId}', to_jsonb($2::int)) where id = $1`, [a.id, next]);
      await auditRaw(c, {
        stationId: actor.stationId, actorId: actor.id, action: "visit.siteCheckReplanned", targetType: "visit", targetId: next, reason: input.note,
        before: { visitId: v.id }, after: { visitId: next, plannedOn: day, approvalId: a.id },
      });
      return { result: input.result, customerStatus: "CLOSURE_PROPOSED", nextVisitOn: day as IsoDate | null };
    }
    return { result: input.result, customerStatus: "CLOSURE_PROPOSED", nextVisitOn: null as IsoDate | null };
  });
}

async function statusOf(c: Db, customerId: number): Promise<string> {
  return (await c.query(`select status::text s from customer where id = $1`, [customerId])).rows[0].s;
}

/** kWh since the last reading on record, or null when no register was noted; refuses a register
 *  that contradicts the result (see checkFinalReading). */
async function validateFinalReading(c: Db, customerId: number, result: SiteCheckResult, finalReading: string | null) {
  if (finalReading === null) return null;
  const m = (await c.query<{ last: string; digits: number; multiplier: number }>(
    `select coalesce((select r.total::text from reading r where r.installation_id = i.id and r.total is not null order by r.period desc limit 1),
                     i.start_reading::text) last, m.digits, i.multiplier
     from meter_installation i join meter m on m.id = i.meter_id
     where i.customer_id = $1 and i.removed_on is null order by i.installed_on desc limit 1`, [customerId])).rows[0];
  if (!m) throw new AppError("METER_NO_INSTALLATION");
  const r = checkFinalReading({ result, finalReading, lastReading: m.last, digits: m.digits, multiplier: m.multiplier });
  if (!r.ok) throw new AppError(r.code, { last: m.last, kwh: r.kwh });
  return r.kwh;
}

/** The premise is in use: the closure is withdrawn in the caller's transaction. */
async function cancelClosure(c: Db, actor: Actor, customerId: number, a: { id: number; payload: ClosurePayload }, note: string) {
  await restoreCustomer(c, actor, customerId, a, note);
  await c.query(`update approval set status = 'CANCELLED', decided_by = $2, decided_at = now() where id = $1`, [a.id, actor.id]);
  await auditRaw(c, {
    stationId: actor.stationId, actorId: actor.id, action: "approval.cancel", targetType: "approval", targetId: a.id, reason: note,
    before: { status: "PENDING", kind: "ACCOUNT_CLOSURE" }, after: { status: "CANCELLED" },
  });
}

/** The manager rejects the closure (approvals.ts calls this in the decision's transaction, which
 *  marks the approval REJECTED): the customer is what it was before the proposal. */
export async function rejectClosure(c: Db, a: { id: number; stationId: number; targetId: number; payload: Record<string, unknown>; reason: string }, actor: Actor) {
  const st = (await c.query<{ status: string; station_id: number }>(`select status::text status, station_id from customer where id = $1 for update`, [a.targetId])).rows[0];
  if (!st || st.station_id !== a.stationId) throw new AppError("NOT_FOUND");
  if (st.status === "CLOSURE_PROPOSED") await restoreCustomer(c, actor, a.targetId, { id: a.id, payload: a.payload as unknown as ClosurePayload }, a.reason);
}

/** Back to the status before the proposal; the unsent notice and the open site check are withdrawn. */
async function restoreCustomer(c: Db, actor: Actor, customerId: number, a: { id: number; payload: ClosurePayload }, note: string) {
  const restored = await statusBefore(c, customerId, a.payload);
  await c.query(`update customer set status = $2::"CustomerStatus", updated_at = now() where id = $1`, [customerId, restored]);
  // the notice says the account will be closed: if it has not gone out yet, it never does
  const notice = await c.query(
    `update outbox_message set status = 'SUPPRESSED', error = 'CLOSURE_CANCELLED' where id = $1 and status = 'PENDING' returning id`,
    [Number(a.payload.noticeId) || 0]);
  const visits = await c.query<{ id: number }>(
    `update visit set done_at = now(), outcome = 'CANCELLED', recorded_by = $2 where customer_id = $1 and purpose = 'SITE_CHECK' and done_at is null returning id`,
    [customerId, actor.id]);
  await auditRaw(c, {
    stationId: actor.stationId, actorId: actor.id, action: "customer.cancelClosure", targetType: "customer", targetId: customerId, reason: note,
    before: { status: "CLOSURE_PROPOSED" },
    after: { status: restored, approvalId: a.id, noticeSuppressed: (notice.rowCount ?? 0) > 0, visitsCancelled: visits.rows.map((x) => x.id) },
  });
  return restored;
}

/** The status before the proposal: in the approval's payload (or, for proposals made before it
 *  was kept there, in the proposal's audit row). */
async function statusBefore(c: Db, customerId: number, p: ClosurePayload): Promise<string> {
  if (p.statusBefore) return p.statusBefore;
  const r = await c.query<{ s: string | null }>(
    `select before->>'status' s from audit_log where action = 'customer.proposeClosure' and target_type = 'customer' and target_id = $1
     order by id desc limit 1`, [String(customerId)]);
  return r.rows[0]?.s ?? "ACTIVE";
}

// ───────────── the auditor's list ─────────────

export type ClosureCase = {
  customerId: number; customerNo: string; name: string; address: string; routeCode: string;
  approvalId: number; approvalStatus: string; requestedAt: string; requestedBy: string | null; reason: string; statusBefore: string | null;
  visit: { id: number; plannedOn: string; staff: string | null; staffId: number | null; doneAt: string | null; outcome: string | null; note: string | null; finalReading: string | null } | null;
  notice: { status: string; channel: string; sentAt: string | null } | null;
  finalBill: { id: number; period: string; status: string; amount: Fen } | null;
  unreleased: { period: string; status: string; codes: string[] }[]; // bills still in audit: release or clear first
  balance: Fen; pool: Fen; openPrincipal: Fen;
};

export async function listClosureCases(stationId: number): Promise<ClosureCase[]> {
  const r = await pool.query(
    `select c.id, c.customer_no, c.name, c.address, rt.code route_code,
            a.id approval_id, a.status::text approval_status, a.requested_at, ru.name requested_by, a.reason, a.payload,
            v.id visit_id, v.planned_on::text planned_on, su.name staff, v.staff_id, v.done_at, v.outcome, v.note, v.final_reading::text final_reading,
            o.status notice_status, o.channel::text notice_channel, o.sent_at,
            fb.id bill_id, fb.period bill_period, fb.status::text bill_status, fb.amount::text bill_amount,
            (select coalesce(json_agg(json_build_object('period', b.period, 'status', b.status,
                      'codes', array(select e.code from audit_exception e where e.bill_id = b.id and e.status = 'OPEN' order by e.code)) order by b.period), '[]')
               from bill b where b.customer_id = c.id and b.status in ('DRAFT', 'HELD')) unreleased,
            (select coalesce(sum(amount), 0)::text from ledger_entry where customer_id = c.id) balance,
            (select coalesce(sum(principal + late_fee), 0)::text from payment_allocation where customer_id = c.id and bill_id is null) pool,
            (select coalesce(sum(amount - paid_amount), 0)::text from bill where customer_id = c.id and status = 'RELEASED' and settled_on is null) open_principal
     from customer c
     join route rt on rt.id = c.route_id
     join lateral (select * from approval x where x.station_id = c.station_id and x.kind = 'ACCOUNT_CLOSURE' and x.target_id = c.id order by x.id desc limit 1) a on true
     left join app_user ru on ru.id = a.requested_by
     left join visit v on v.id = (a.payload->>'siteCheckVisitId')::int
     left join app_user su on su.id = v.staff_id
     left join outbox_message o on o.id = (a.payload->>'noticeId')::int
     left join bill fb on fb.id = (a.payload->>'finalBillId')::int
     where c.station_id = $1 and c.status = 'CLOSURE_PROPOSED'
     order by a.requested_at, c.id limit 500`, [stationId]);
  return r.rows.map((x) => ({
    customerId: x.id, customerNo: x.customer_no, name: x.name, address: x.address, routeCode: x.route_code,
    approvalId: x.approval_id, approvalStatus: x.approval_status, requestedAt: (x.requested_at as Date).toISOString(), requestedBy: x.requested_by,
    reason: x.reason, statusBefore: (x.payload as ClosurePayload).statusBefore ?? null,
    visit: x.visit_id ? {
      id: x.visit_id, plannedOn: x.planned_on, staff: x.staff, staffId: x.staff_id, doneAt: x.done_at ? (x.done_at as Date).toISOString() : null,
      outcome: x.outcome, note: x.note, finalReading: x.final_reading,
    } : null,
    notice: x.notice_status ? { status: x.notice_status, channel: x.notice_channel, sentAt: x.sent_at ? (x.sent_at as Date).toISOString() : null } : null,
    finalBill: x.bill_id ? { id: x.bill_id, period: x.bill_period, status: x.bill_status, amount: fen(x.bill_amount) } : null,
    unreleased: x.unreleased, balance: fen(x.balance), pool: fen(x.pool), openPrincipal: fen(x.open_principal),
  }));
}

export type ClosedAccount = {
  customerId: number; customerNo: string; name: string; closedOn: string; arrears: Fen;
  refund: { id: number; amount: Fen; status: string; channel: string } | null;
};

/** Accounts closed in the last `days` days: what is still owed, and the refund's state. */
export async function listRecentlyClosed(stationId: number, days = 90): Promise<ClosedAccount[]> {
  const today = await stationToday(stationId);
  const r = await pool.query(
    `select c.id, c.customer_no, c.name, c.closed_on::text closed_on,
            (select coalesce(sum(amount), 0)::text from ledger_entry where customer_id = c.id) balance,
            rf.id refund_id, rf.amount::text refund_amount, rf.status refund_status, rf.channel refund_channel
     from customer c
     left join lateral (select * from refund x where x.customer_id = c.id order by x.id desc limit 1) rf on true
     where c.station_id = $1 and c.status = 'CLOSED' and c.closed_on >= $2::date - $3::int
     order by c.closed_on desc, c.id limit 200`, [stationId, today, days]);
  return r.rows.map((x) => ({
    customerId: x.id, customerNo: x.customer_no, name: x.name, closedOn: x.closed_on, arrears: Math.max(0, fen(x.balance)),
    refund: x.refund_id ? { id: x.refund_id, amount: fen(x.refund_amount), status: x.refund_status, channel: x.refund_channel } : null,
  }));
}

export type SiteCheckVisit = {
  visitId: number; plannedOn: string; customerId: number; customerNo: string; name: string; address: string; routeCode: string; routeSeq: number;
  meterNo: string | null; lastReading: string | null;
};

/** The reader's open site checks (planned up to `through`), in walking order per day. */
export async function siteChecksFor(actor: Actor, through: IsoDate): Promise<SiteCheckVisit[]> {
  const r = await pool.query(
    `select v.id, v.planned_on::text planned_on, c.id customer_id, c.customer_no, c.name, c.address, rt.code route_code, c.route_seq,
            m.meter_no, coalesce((select rd.total::text from reading rd where rd.installation_id = i.id and rd.total is not null order by rd.period desc limit 1),
                                 i.start_reading::text) last_reading
     from visit v join customer c on c.id = v.customer_id join route rt on rt.id = c.route_id
     left join meter_installation i on i.customer_id = c.id and i.removed_on is null
     left join meter m on m.id = i.meter_id
     where v.station_id = $1 and v.staff_id = $2 and v.purpose = 'SITE_CHECK' and v.done_at is null and v.planned_on <= $3
       and c.status = 'CLOSURE_PROPOSED'
     order by v.planned_on, rt.code, c.route_seq limit 200`, [actor.stationId, actor.id, through]);
  return r.rows.map((x) => ({
    visitId: x.id, plannedOn: x.planned_on, customerId: x.customer_id, customerNo: x.customer_no, name: x.name, address: x.address,
    routeCode: x.route_code, routeSeq: x.route_seq, meterNo: x.meter_no, lastReading: x.last_reading,
  }));
}
