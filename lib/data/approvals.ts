import "server-only";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { formatYuan } from "@/lib/domain/money";
import type { Actor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { auditRaw, fen, stationToday, withTx, type Db } from "./ledger";
import { billLateFee, reversePayment, waiveLateFee } from "./payments";
import { approveClosure } from "./closure-approval";
import { rejectClosure } from "./closures";

// Requests that need a manager (table approval): the requester states a reason, a manager
// approves or rejects in /approvals, and only an approval applies the change, in the same
// transaction as the decision. Generic by kind: each kind registers how it is applied; other
// areas add theirs to APPROVAL_HANDLERS (write-offs, arrangements, grade overrides …).

export type ApprovalRow = {
  id: number; kind: string; targetType: string; targetId: number; payload: Record<string, unknown>; reason: string;
  status: string; requestedBy: string | null; requestedAt: string; decidedBy: string | null; decidedAt: string | null;
};

type Handler = (c: Db, a: { id: number; stationId: number; targetId: number; payload: Record<string, unknown>; reason: string }, actor: Actor) => Promise<void>;

export const APPROVAL_HANDLERS: Record<string, Handler> = {
  REVERSE_PAYMENT: async (c, a, actor) => reversePayment(c, a.stationId, a.targetId, actor.id, a.reason),
  WAIVE_LATE_FEE: async (c, a, actor) => {
    await waiveLateFee(c, a.stationId, a.targetId, String(a.payload.asOf), actor.id, a.reason);
  },
  // 销户: proposed from the audit worklist, site-checked by the reader (lib/data/closures.ts)
  ACCOUNT_CLOSURE: approveClosure,
};

/** What a rejection undoes, for kinds whose request already changed something (a closure marks
 *  the customer CLOSURE_PROPOSED when it is proposed). Most kinds change nothing until approved. */
const REJECT_HANDLERS: Record<string, Handler> = {
  ACCOUNT_CLOSURE: rejectClosure,
};

async function insertRequest(c: Db, actor: Actor, kind: string, targetType: string, targetId: number, payload: object, reason: string) {
  const dup = await c.query(
    `select id from approval where station_id = $1 and kind = $2 and target_id = $3 and status = 'PENDING' limit 1`, [actor.stationId, kind, targetId]);
  if (dup.rowCount) throw new AppError("APPROVAL_ALREADY_PENDING");
  const r = await c.query(
    `insert into approval (station_id, kind, target_type, target_id, payload, reason, requested_by) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [actor.stationId, kind, targetType, targetId, JSON.stringify(payload), reason, actor.id]);
  await auditRaw(c, { stationId: actor.stationId, actorId: actor.id, action: "approval.request", targetType, targetId, after: { kind, payload }, reason });
  return r.rows[0].id as number;
}

/** A clerk asks for a reversal (冲正) of a posted payment. Nothing moves until a manager approves. */
export async function requestReversal(actor: Actor, paymentId: number, reason: string) {
  return withTx(async (c) => {
    // serialise requests for the same payment (two clerks, or a double click)
    const p = (await c.query(`select id, station_id, status::text status, amount::text amount, receipt_no from payment where id = $1 for update`, [paymentId])).rows[0];
    if (!p || p.station_id !== actor.stationId) throw new AppError("PAYMENT_NOT_FOUND");
    if (p.status !== "POSTED") throw new AppError("PAYMENT_ALREADY_REVERSED");
    return insertRequest(c, actor, "REVERSE_PAYMENT", "payment", paymentId, { amount: p.amount, receiptNo: p.receipt_no }, reason);
  });
}

/** A clerk asks to waive a bill's late-payment charge as of today (a manager decides). */
export async function requestWaiver(actor: Actor, billId: number, reason: string) {
  const asOf = await stationToday(actor.stationId);
  return withTx(async (c) => {
    const b = (await c.query(`select id from bill where id = $1 and station_id = $2 for update`, [billId, actor.stationId])).rows[0];
    if (!b) throw new AppError("BILL_NOT_FOUND");
    const f = await billLateFee(c, actor.stationId, billId, asOf);
    if (!f || f.total <= 0) throw new AppError("NOTHING_TO_WAIVE");
    return insertRequest(c, actor, "WAIVE_LATE_FEE", "bill", billId,
      { asOf, amount: formatYuan(f.total), period: f.period, customerId: f.customerId }, reason);
  });
}

export async function listApprovals(stationId: number, status: "PENDING" | "DECIDED"): Promise<ApprovalRow[]> {
  const r = await pool.query(
    `select a.id, a.kind, a.target_type, a.target_id, a.payload, a.reason, a.status::text status, a.requested_at, a.decided_at,
            ru.name requested_by, du.name decided_by
     from approval a left join app_user ru on ru.id = a.requested_by left join app_user du on du.id = a.decided_by
     where a.station_id = $1 and ${status === "PENDING" ? "a.status = 'PENDING'" : "a.status <> 'PENDING'"}
     order by ${status === "PENDING" ? "a.requested_at" : "a.decided_at desc"} limit 200`, [stationId]);
  return r.rows.map((x) => ({
    id: x.id, kind: x.kind, targetType: x.target_type, targetId: x.target_id, payload: x.payload ?? {}, reason: x.reason, status: x.status,
    requestedBy: x.requested_by, requestedAt: (x.requested_at as Date).toISOString(), decidedBy: x.decided_by,
    decidedAt: x.decided_at ? (x.decided_at as Date).toISOString() : null,
  }));
}

export async function pendingForTarget(stationId: number, targetType: string, targetIds: number[]) {
  if (targetIds.length === 0) return [];
  const r = await pool.query(
    `select id, kind, target_id from approval where station_id = $1 and target_type = $2 and target_id = any($3::int[]) and status = 'PENDING'`,
    [stationId, targetType, targetIds]);
  return r.rows.map((x) => ({ id: x.id as number, kind: x.kind as string, targetId: x.target_id as number }));
}

/** A manager approves (the change is applied in the same transaction) or rejects. */
export async function decideApproval(actor: Actor, id: number, approve: boolean, note?: string | null) {
  if (!can(actor.role, "approvals.decide")) throw new AppError("FORBIDDEN"); // also checked by the action
  return withTx(async (c) => {
    const a = (await c.query(
      `select id, station_id, kind, target_id, payload, reason, status::text status, requested_by from approval where id = $1 for update`, [id])).rows[0];
    if (!a || a.station_id !== actor.stationId) throw new AppError("NOT_FOUND");
    if (a.status !== "PENDING") throw new AppError("APPROVAL_ALREADY_DECIDED");
    if (a.requested_by === actor.id) throw new AppError("APPROVAL_OWN_REQUEST");
    if (approve) {
      const h = APPROVAL_HANDLERS[a.kind];
      if (!h) throw new AppError("APPROVAL_KIND_UNKNOWN", { kind: a.kind });
      await h(c, { id: a.id, stationId: a.station_id, targetId: a.target_id, payload: a.payload ?? {}, reason: a.reason }, actor);
    } else {
      await REJECT_HANDLERS[a.kind]?.(c, { id: a.id, stationId: a.station_id, targetId: a.target_id, payload: a.payload ?? {}, reason: note || a.reason }, actor);
    }
    await c.query(`update approval set status = $2, decided_by = $3, decided_at = now() where id = $1`, [id, approve ? "APPROVED" : "REJECTED", actor.id]);
    await auditRaw(c, {
      stationId: actor.stationId, actorId: actor.id, action: approve ? "approval.approve" : "approval.reject", targetType: "approval", targetId: id,
      before: { status: "PENDING", kind: a.kind }, after: { status: approve ? "APPROVED" : "REJECTED" }, reason: note ?? null,
    });
    return { kind: a.kind as string, amount: a.payload?.amount ? fen(String(a.payload.amount)) : null };
  });
}
