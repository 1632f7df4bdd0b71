import "server-only";
import { pool } from "@/lib/db";
import { formatYuan, type Fen } from "@/lib/domain/money";
import { decideFeeControl, parseFeeControlState, type FeeControlAction } from "@/lib/domain/payments/fee-control";
import { translate } from "@/lib/i18n/core";
import { auditRaw, balances, lockForPosting, stationSettings, stationToday, withTx, type Db } from "./ledger";

// 预购电 / 费控: after every change to a prepaid account's funds (top-up, payment, reversal) and
// in the daily sweep (after bills are released), decide what the balance calls for and do it:
// warnings through the outbox, the agreed fee-control stop order (disconnection_order reason
// FEE_CONTROL, no approval, never for PROTECTED customers, executed only `stopAfterHours` after
// the stop notice), and automatic restore (reconnection_order executed) once funds are above zero.

export type OutboxMessage = {
  stationId: number; customerId: number; template: string; content: string; dedupeKey: string; notBefore?: Date;
};

/** Queues an SMS to the customer's consenting contact (self, else a proxy), else the account phone.
 *  Without any number the message is recorded as SUPPRESSED (so the gap is visible). Idempotent
 *  by dedupe key. */
export async function enqueueSms(c: Db, m: OutboxMessage) {
  await c.query(
    `with ct as (
       select id, value from contact
       where customer_id = $2 and active and consent and channel = 'SMS'
       order by case role when 'SELF' then 0 when 'PROXY' then 1 when 'TENANT' then 2 when 'FINANCE' then 3 else 4 end, id limit 1),
     cu as (select phone from customer where id = $2)
     insert into outbox_message (station_id, customer_id, contact_id, channel, recipient, template, content, status, dedupe_key, not_before)
     select $1, $2, (select id from ct), 'SMS', coalesce((select value from ct), (select phone from cu), ''), $3, $4,
            case when coalesce((select value from ct), (select phone from cu)) is null then 'SUPPRESSED' else 'PENDING' end, $5, $6
     on conflict (dedupe_key) do nothing`,
    [m.stationId, m.customerId, m.template, m.content, m.dedupeKey, m.notBefore ?? new Date()]);
}

// closed: a closed account (销户) gets no balance warnings and no stop: its prepaid funds were
// paid back at closure and it only takes payment toward arrears
type Account = { id: number; stationId: number; customerNo: string; flags: string[]; state: string; closed?: boolean };

/** Evaluates fee control for prepaid customers inside the caller's transaction (rows locked by it). */
export async function applyFeeControl(c: Db, accounts: Account[], now: Date): Promise<{ customerId: number; actions: FeeControlAction[]; state: string }[]> {
  if (accounts.length === 0) return [];
  const stationId = accounts[0].stationId;
  const today = await stationToday(stationId, now);
  const settings = (await stationSettings(c, stationId, today)).prepaid;
  const bal = await balances(c, accounts.map((a) => a.id));
  const pending = await c.query(
    `select id, customer_id, scheduled_at from disconnection_order
     where customer_id = any($1::int[]) and reason = 'FEE_CONTROL' and status in ('NOTICE_SERVED', 'APPROVED', 'PROPOSED')`,
    [accounts.map((a) => a.id)]);
  const stopped = await c.query(
    `select d.id, d.customer_id from disconnection_order d left join reconnection_order r on r.disconnection_id = d.id
     where d.customer_id = any($1::int[]) and d.reason = 'FEE_CONTROL' and d.status = 'EXECUTED' and r.id is null`,
    [accounts.map((a) => a.id)]);
  const out: { customerId: number; actions: FeeControlAction[]; state: string }[] = [];
  for (const a of accounts) {
    if (a.closed) continue;
    const funds: Fen = -bal.get(a.id)!.balance; // prepaid funds; below zero: owed
    const order = pending.rows.find((r) => r.customer_id === a.id);
    const d = decideFeeControl({
      funds, state: parseFeeControlState(a.state), isProtected: a.flags.includes("PROTECTED"),
      stopDue: !!order && (order.scheduled_at as Date) <= now, settings,
    });
    const t = (k: string, p?: Record<string, string | number>) => translate("zh", `payments.sms.${k}`, p);
    for (const act of d.actions) {
      if (act.kind === "WARN") {
        await enqueueSms(c, {
          stationId, customerId: a.id, template: `prepaid-warning-${act.level}`,
          content: t(`warning${act.level}`, { customerNo: a.customerNo, funds: formatYuan(funds) }),
          dedupeKey: `prepaid-warning-${act.level}:${a.id}:${today}`,
        });
      } else if (act.kind === "STOP_NOTICE") {
        const at = new Date(now.getTime() + settings.stopAfterHours * 3_600_000);
        const o = await c.query(
          `insert into disconnection_order (station_id, customer_id, reason, status, arrears, notice_served_at, scheduled_at)
           values ($1, $2, 'FEE_CONTROL', 'NOTICE_SERVED', $3, $4, $5) returning id`,
          [stationId, a.id, formatYuan(-funds), now, at]);
        await enqueueSms(c, {
          stationId, customerId: a.id, template: "prepaid-stop-notice",
          content: t("stopNotice", { customerNo: a.customerNo, funds: formatYuan(funds), hours: settings.stopAfterHours }),
          dedupeKey: `prepaid-stop-notice:${a.id}:${o.rows[0].id}`,
        });
      } else if (act.kind === "CANCEL_STOP" && order) {
        await c.query(`update disconnection_order set status = 'CANCELLED' where id = $1`, [order.id]);
      } else if (act.kind === "EXECUTE_STOP" && order) {
        await c.query(`update disconnection_order set status = 'EXECUTED', executed_at = $2 where id = $1`, [order.id, now]);
        await enqueueSms(c, {
          stationId, customerId: a.id, template: "prepaid-stopped",
          content: t("stopped", { customerNo: a.customerNo, funds: formatYuan(funds) }), dedupeKey: `prepaid-stopped:${order.id}`,
        });
      } else if (act.kind === "RESTORE") {
        for (const s of stopped.rows.filter((r) => r.customer_id === a.id)) {
          await c.query(
            `insert into reconnection_order (station_id, customer_id, disconnection_id, requested_at, due_by, executed_at)
             values ($1, $2, $3, $4, $4, $4) on conflict (disconnection_id) do nothing`, [stationId, a.id, s.id, now]);
        }
        await enqueueSms(c, {
          stationId, customerId: a.id, template: "prepaid-restored",
          content: t("restored", { customerNo: a.customerNo, funds: formatYuan(funds) }),
          dedupeKey: `prepaid-restored:${a.id}:${now.getTime()}`,
        });
      }
    }
    if (d.state !== a.state || d.actions.length > 0) {
      await c.query(`update customer set fee_control_state = $2, updated_at = now() where id = $1`, [a.id, d.state]);
      await auditRaw(c, {
        stationId, actorId: null, action: "feeControl.evaluate", targetType: "customer", targetId: a.id,
        before: { state: a.state }, after: { state: d.state, funds: formatYuan(funds), actions: d.actions.map((x) => x.kind) },
      });
    }
    out.push({ customerId: a.id, actions: d.actions, state: d.state });
  }
  return out;
}

/** The daily sweep over a station's prepaid accounts (after bill release, and for due stops). */
export async function runFeeControlSweep(stationId: number, now = new Date()) {
  const ids = (await pool.query(
    `select id from customer where station_id = $1 and status <> 'CLOSED' and (payment_method = 'PREPAID' or fee_control_state <> 'NORMAL') order by id`,
    [stationId])).rows.map((r) => r.id as number);
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    changed += await withTx(async (c) => {
      await lockForPosting(c, stationId);
      const rows = (await c.query(
        `select id, station_id, customer_no, flags, fee_control_state, status::text status from customer where id = any($1::int[]) order by id for update`, [chunk])).rows;
      const r = await applyFeeControl(c, rows.map(toAccount), now);
      return r.filter((x) => x.actions.length > 0).length;
    });
  }
  return { accounts: ids.length, changed };
}

export function toAccount(r: { id: number; station_id: number; customer_no: string; flags: string[]; fee_control_state: string; status?: string }): Account {
  return { id: r.id, stationId: r.station_id, customerNo: r.customer_no, flags: r.flags ?? [], state: r.fee_control_state, closed: r.status === "CLOSED" };
}
