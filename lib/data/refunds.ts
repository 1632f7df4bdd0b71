import "server-only";
// 退费: prepaid funds owed back to the holder of a closed account (written by the closure's
// approval, lib/data/closure-approval.ts). The counter pays them out (cash, or a bank transfer
// with its voucher number) and records it here; the money left the ledger at the approval, so a
// payout moves no balance. Money going out: the cash-up lists it apart from what was collected.
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import type { Fen } from "@/lib/domain/money";
import type { RefundPayoutInput } from "@/lib/validation/closure";
import { auditRaw, fen, withTx } from "./ledger";

export type RefundRow = {
  id: number; customerId: number; customerNo: string; name: string; amount: Fen; channel: string; payee: string; bankAccountMasked: string | null;
  status: string; createdAt: string; paidAt: string | null; paidBy: string | null; reference: string | null;
};

const SELECT = `
  select r.id, r.customer_id, c.customer_no, c.name, r.amount::text amount, r.channel, r.payee, r.bank_account_masked, r.status,
         r.created_at, r.paid_at, u.name paid_by, r.reference
  from refund r join customer c on c.id = r.customer_id left join app_user u on u.id = r.paid_by`;

function toRow(x: Record<string, unknown>): RefundRow {
  return {
    id: x.id as number, customerId: x.customer_id as number, customerNo: x.customer_no as string, name: x.name as string, amount: fen(x.amount as string),
    channel: x.channel as string, payee: x.payee as string, bankAccountMasked: x.bank_account_masked as string | null, status: x.status as string,
    createdAt: (x.created_at as Date).toISOString(), paidAt: x.paid_at ? (x.paid_at as Date).toISOString() : null,
    paidBy: x.paid_by as string | null, reference: x.reference as string | null,
  };
}

/** Refunds waiting to be paid out, and the last ones paid. */
export async function listRefunds(stationId: number): Promise<{ pending: RefundRow[]; paid: RefundRow[] }> {
  const [pending, paid] = await Promise.all([
    pool.query(`${SELECT} where r.station_id = $1 and r.status = 'PENDING' order by r.id limit 500`, [stationId]),
    pool.query(`${SELECT} where r.station_id = $1 and r.status = 'PAID' order by r.paid_at desc limit 50`, [stationId]),
  ]);
  return { pending: pending.rows.map(toRow), paid: paid.rows.map(toRow) };
}

/** Refunds paid out between two instants (the cash-up's day), by one clerk or the station. */
export async function refundsPaidBetween(stationId: number, from: Date, to: Date, clerkId: number | null): Promise<RefundRow[]> {
  const r = await pool.query(
    `${SELECT} where r.station_id = $1 and r.status = 'PAID' and r.paid_at >= $2 and r.paid_at < $3 and ($4::int is null or r.paid_by = $4)
     order by r.paid_at, r.id limit 5000`, [stationId, from, to, clerkId]);
  return r.rows.map(toRow);
}

/** The counter records a refund as paid out: once (a second click finds it paid). */
export async function payRefund(actor: Actor, input: RefundPayoutInput) {
  return withTx(async (c) => {
    const r = (await c.query<{ id: number; station_id: number; status: string; amount: string; channel: string; customer_id: number }>(
      `select id, station_id, status, amount::text amount, channel, customer_id from refund where id = $1 for update`, [input.refundId])).rows[0];
    if (!r || r.station_id !== actor.stationId) throw new AppError("NOT_FOUND");
    if (r.status !== "PENDING") throw new AppError("REFUND_ALREADY_PAID");
    await c.query(
      `update refund set status = 'PAID', paid_at = now(), paid_by = $2, channel = $3, reference = $4 where id = $1`,
      [r.id, actor.id, input.channel, input.reference]);
    await auditRaw(c, {
      stationId: actor.stationId, actorId: actor.id, action: "refund.pay", targetType: "refund", targetId: r.id,
      before: { status: "PENDING", channel: r.channel }, after: { status: "PAID", channel: input.channel, reference: input.reference, amount: r.amount, customerId: r.customer_id },
    });
    return { id: r.id, amount: fen(r.amount) };
  });
}
