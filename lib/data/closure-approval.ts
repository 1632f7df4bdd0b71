import "server-only";
// The manager's approval of a 销户 (approval kind ACCOUNT_CLOSURE), applied in the decision's
// transaction (lib/data/approvals.ts). Refused unless the site check found the premise vacant and
// every bill of the account is released. Then, with today's figures (never the proposal's):
// prepaid funds first pay what is open (settleCredit); what is left is refunded (a refund to
// pay out at the counter, its REFUND entry and the allocation row that takes the funds out of the
// prepaid pool) while arrears stay owed; the customer is CLOSED with today's date, its meter
// installation ends, fee control stops watching it. Billing runs and reading routes skip CLOSED
// customers; their open catch-up and re-read visits are withdrawn. An audit row for every change.
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { settleClosure } from "@/lib/domain/closure/closure";
import { formatYuan, type Fen } from "@/lib/domain/money";
import { auditRaw, bookMonthFor, fen, insertEntries, lockForPosting, stationToday, type Db } from "./ledger";
import { settleCredit } from "./payments";
import type { ClosurePayload } from "./closures";
import { cancelCatchUpsOfClosed } from "./reread-visits";

type Approval = { id: number; stationId: number; targetId: number; payload: Record<string, unknown>; reason: string };

type CustomerRow = { id: number; station_id: number; status: string; name: string; payment_method: string; bank_account_masked: string | null; fee_control_state: string };

export async function approveClosure(c: Db, a: Approval, actor: Actor) {
  const p = a.payload as unknown as ClosurePayload;
  await lockForPosting(c, a.stationId);
  const cu = (await c.query<CustomerRow>(
    `select id, station_id, status::text status, name, payment_method::text payment_method, bank_account_masked, fee_control_state
     from customer where id = $1 for update`, [a.targetId])).rows[0];
  if (!cu || cu.station_id !== a.stationId) throw new AppError("NOT_FOUND");
  if (cu.status !== "CLOSURE_PROPOSED") throw new AppError("CLOSURE_NOT_PENDING");
  await requireVacantSiteCheck(c, cu.id, Number(p.siteCheckVisitId));
  const unreleased = (await c.query<{ period: string; status: string }>(
    `select period, status::text status from bill where customer_id = $1 and status in ('DRAFT', 'HELD') order by period limit 1`, [cu.id])).rows[0];
  if (unreleased) throw new AppError(unreleased.status === "HELD" ? "CLOSURE_BILL_HELD" : "CLOSURE_BILL_UNRELEASED", { period: unreleased.period });

  const today = await stationToday(a.stationId);
  const bookMonth = await bookMonthFor(c, a.stationId, today);
  // funds held in the prepaid pool pay open bills first (as at a release), then the rest is refunded
  await settleCredit(c, { stationId: a.stationId, customerIds: [cu.id], valueDate: today, bookMonth, actorId: actor.id });
  const m = (await c.query<{ balance: string; pool: string; open: string }>(
    `select (select coalesce(sum(amount), 0) from ledger_entry where customer_id = $1)::text balance,
            (select coalesce(sum(principal + late_fee), 0) from payment_allocation where customer_id = $1 and bill_id is null)::text pool,
            (select coalesce(sum(amount - paid_amount), 0) from bill where customer_id = $1 and status = 'RELEASED' and settled_on is null)::text open`,
    [cu.id])).rows[0];
  const s = settleClosure({ balance: fen(m.balance), pool: fen(m.pool), openPrincipal: fen(m.open) });
  if (!s.ok) throw new AppError("CLOSURE_BALANCE_UNRECONCILED", { balance: formatYuan(s.balance), pool: formatYuan(s.pool), open: formatYuan(s.openPrincipal) });

  const refundId = s.refund > 0 ? await createRefund(c, actor, a, cu, s.refund, today, bookMonth) : null;
  await c.query(
    `update customer set status = 'CLOSED', closed_on = $2, fee_control_state = 'NORMAL', updated_at = now() where id = $1`, [cu.id, today]);
  // a pending fee-control stop has nothing left to stop
  const stops = await c.query<{ id: number }>(
    `update disconnection_order set status = 'CANCELLED' where customer_id = $1 and reason = 'FEE_CONTROL'
       and status in ('PROPOSED', 'APPROVED', 'NOTICE_SERVED') returning id`, [cu.id]);
  await auditRaw(c, {
    stationId: a.stationId, actorId: actor.id, action: "customer.close", targetType: "customer", targetId: cu.id, reason: a.reason,
    before: { status: cu.status, feeControlState: cu.fee_control_state, balanceAtProposal: p.balance ?? null },
    after: {
      status: "CLOSED", closedOn: today, approvalId: a.id, refundId, refund: formatYuan(s.refund), arrears: formatYuan(s.arrears),
      cancelledStops: stops.rows.map((x) => x.id),
    },
  });
  await endInstallation(c, actor, a, cu.id, Number(p.siteCheckVisitId), today);
  // nothing left to read: a catch-up or re-read still planned would stay on the reader's list
  await cancelCatchUpsOfClosed(c, actor, cu.id, a.reason);
}

async function requireVacantSiteCheck(c: Db, customerId: number, visitId: number) {
  const v = (await c.query<{ done_at: Date | null; outcome: string | null }>(
    `select done_at, outcome from visit where id = $1 and customer_id = $2 and purpose = 'SITE_CHECK'`, [visitId || 0, customerId])).rows[0];
  if (!v || !v.done_at) throw new AppError("CLOSURE_SITE_CHECK_PENDING");
  if (v.outcome !== "VACANT") throw new AppError("CLOSURE_SITE_CHECK_NOT_VACANT");
}

/** The refund document, its REFUND entry (+: the balance rises to zero) and the allocation row
 *  that takes the same amount out of the prepaid pool. Paid out later at the counter. */
async function createRefund(c: Db, actor: Actor, a: Approval, cu: CustomerRow, amount: Fen, today: string, bookMonth: string) {
  // a bank-debit customer is paid back to the account on file; everyone else in cash at the counter
  const channel = cu.payment_method === "BANK_DEBIT" && cu.bank_account_masked ? "BANK_TRANSFER" : "CASH";
  const id = (await c.query<{ id: number }>(
    `insert into refund (station_id, customer_id, amount, channel, payee, bank_account_masked, approval_id, reason, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [a.stationId, cu.id, formatYuan(amount), channel, cu.name, channel === "BANK_TRANSFER" ? cu.bank_account_masked : null, a.id, a.reason, actor.id])).rows[0].id;
  await c.query(
    `insert into payment_allocation (payment_id, refund_id, customer_id, bill_id, principal, late_fee, origin) values (null, $1, $2, null, $3, 0, 'REFUND')`,
    [id, cu.id, formatYuan(-amount)]);
  await insertEntries(c, [{
    stationId: a.stationId, customerId: cu.id, kind: "REFUND", amount, valueDate: today, bookMonth, actorId: actor.id, memo: `销户退费 #${id}`,
  }]);
  await auditRaw(c, {
    stationId: a.stationId, actorId: actor.id, action: "refund.create", targetType: "refund", targetId: id, reason: a.reason,
    after: { customerId: cu.id, amount: formatYuan(amount), channel, approvalId: a.id, status: "PENDING" },
  });
  return id;
}

/** The meter in service comes off with the register seen on the site check (else the last one
 *  on record): meter retrieval (拆表) closes the installation. */
async function endInstallation(c: Db, actor: Actor, a: Approval, customerId: number, visitId: number, today: string) {
  const i = (await c.query<{ id: number; meter_id: number; final: string }>(
    `select i.id, i.meter_id,
            coalesce((select final_reading::text from visit where id = $2),
                     (select r.total::text from reading r where r.installation_id = i.id and r.total is not null order by r.period desc limit 1),
                     i.start_reading::text) final
     from meter_installation i where i.customer_id = $1 and i.removed_on is null for update`, [customerId, visitId || 0])).rows;
  for (const x of i) {
    await c.query(`update meter_installation set removed_on = $2, final_reading = $3, reason = '销户拆表' where id = $1`, [x.id, today, x.final]);
    await auditRaw(c, {
      stationId: a.stationId, actorId: actor.id, action: "meter.remove", targetType: "customer", targetId: customerId, reason: a.reason,
      before: { installationId: x.id, removedOn: null }, after: { installationId: x.id, meterId: x.meter_id, removedOn: today, finalReading: x.final },
    });
  }
}
