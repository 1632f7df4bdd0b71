import "server-only";
// The visits that carry an audit-ordered re-read (复抄) to the reader: a CATCH_UP_READING visit
// whose reading (visit.reading_id) already has a value. Planned when the auditor clears an
// exception with "order a re-read", done when the re-read is recorded (lib/data/rereads.ts), and
// withdrawn here when nothing waits for it any more: the auditor settled every re-read order on
// the bill some other way, or the account was closed. Without that the reader keeps a stale task.
// All functions run inside the caller's transaction.
import type { Actor } from "@/lib/auth/guard";
import type { IsoDate } from "@/lib/domain/calendar";
import { auditRaw, type Db } from "./ledger";

/** The open re-read visit for a reading, or a new one for the route's reader: one visit per
 *  reading, however many of the bill's exceptions the auditor sends back for a re-read. */
export async function planRereadVisit(db: Db, actor: Actor, customerId: number, readingId: number, plannedOn: IsoDate) {
  const open = await db.query<{ id: number }>(
    `select id from visit where reading_id = $1 and purpose = 'CATCH_UP_READING' and done_at is null order by id limit 1 for update`, [readingId]);
  if (open.rows[0]) return { visitId: open.rows[0].id, created: false };
  const v = await db.query<{ id: number }>(
    `insert into visit (station_id, customer_id, staff_id, purpose, planned_on, reading_id)
     select $1, c.id, r.reader_id, 'CATCH_UP_READING', $3, $4 from customer c join route r on r.id = c.route_id where c.id = $2
     returning id`,
    [actor.stationId, customerId, plannedOn, readingId]);
  return { visitId: v.rows[0].id, created: true };
}

/**
 * Withdraws the open re-read visits of these bills' readings when no open exception of the bill
 * still waits for a re-read (the auditor accepted, corrected, changed the tariff or proposed a
 * closure instead, or a recomputation cleared them).
 */
export async function cancelStaleRereads(db: Db, actor: Actor, billIds: number[], reason: string): Promise<number[]> {
  if (billIds.length === 0) return [];
  const r = await db.query<{ id: number; bill_id: number; customer_id: number }>(
    `update visit v set done_at = now(), outcome = 'CANCELLED', recorded_by = $2
       from bill b join reading rd on rd.id = b.reading_id
      where b.id = any($1::int[]) and v.reading_id = b.reading_id and v.purpose = 'CATCH_UP_READING' and v.done_at is null
        and rd.total is not null
        and not exists (select 1 from audit_exception e where e.bill_id = b.id and e.status = 'OPEN' and e.resolution = 'REREAD')
      returning v.id, b.id as bill_id, v.customer_id`,
    [billIds, actor.id]);
  for (const v of r.rows) {
    await auditRaw(db, {
      stationId: actor.stationId, actorId: actor.id, action: "visit.cancel", targetType: "visit", targetId: v.id, reason,
      before: { done: false }, after: { outcome: "CANCELLED", billId: v.bill_id, customerId: v.customer_id, why: "NO_REREAD_PENDING" },
    });
  }
  return r.rows.map((v) => v.id);
}

/** A closed account has nothing left to read: its open catch-up and re-read visits are withdrawn. */
export async function cancelCatchUpsOfClosed(db: Db, actor: Actor, customerId: number, reason: string): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `update visit set done_at = now(), outcome = 'CANCELLED', recorded_by = $2
      where customer_id = $1 and purpose = 'CATCH_UP_READING' and done_at is null returning id`,
    [customerId, actor.id]);
  for (const v of r.rows) {
    await auditRaw(db, {
      stationId: actor.stationId, actorId: actor.id, action: "visit.cancel", targetType: "visit", targetId: v.id, reason,
      before: { done: false }, after: { outcome: "CANCELLED", customerId, why: "ACCOUNT_CLOSED" },
    });
  }
  return r.rows.map((v) => v.id);
}
