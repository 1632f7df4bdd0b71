import "server-only";
// The outbox as the office sees it (/outbox): counts by channel and status, the latest messages
// with recipients masked (docs/domain/overview.md §4: personal data is masked in lists), and the print queue —
// letters, on-site and posted notices and faxes that staff print, deliver and mark here. The
// electronic channels are sent by the dispatcher (lib/data/outbox-dispatch.ts); calls (PHONE,
// LANDLINE) stay PENDING for the reminders work, which plans and records them.
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { localDate } from "@/lib/domain/calendar";
import { PAPER_CHANNELS } from "@/lib/domain/outbox/channels";
import { maskContactValue } from "@/lib/domain/payments/mask";
import type { OutboxFilter, PaperDeliveryInput } from "@/lib/validation/outbox";
import { auditRaw, withTx } from "./ledger";

export type OutboxCount = { channel: string; status: string; n: number };

export async function outboxCounts(stationId: number): Promise<OutboxCount[]> {
  const r = await pool.query<OutboxCount>(
    `select channel::text channel, status, count(*)::int n from outbox_message where station_id = $1 group by 1, 2 order by 1, 2`, [stationId]);
  return r.rows;
}

export type OutboxRow = {
  id: number; customerId: number | null; customerNo: string | null; channel: string; recipientMasked: string; template: string;
  status: string; attempts: number; notBefore: string; sentAt: string | null; error: string | null; createdAt: string;
};

/** The latest messages (newest first), filtered; the recipient is masked for its channel. */
export async function latestMessages(stationId: number, f: OutboxFilter, limit = 100): Promise<OutboxRow[]> {
  const r = await pool.query(
    `select o.id, o.customer_id, c.customer_no, o.channel::text channel, o.recipient, o.template, o.status, o.attempts,
            o.not_before, o.sent_at, o.error, o.created_at
       from outbox_message o left join customer c on c.id = o.customer_id
      where o.station_id = $1 and ($2::text is null or o.status = $2) and ($3::text is null or o.channel::text = $3)
      order by o.id desc limit $4`,
    [stationId, f.status ?? null, f.channel ?? null, limit]);
  return r.rows.map((x) => ({
    id: x.id, customerId: x.customer_id, customerNo: x.customer_no, channel: x.channel, recipientMasked: maskContactValue(x.channel, x.recipient),
    template: x.template, status: x.status, attempts: x.attempts, notBefore: (x.not_before as Date).toISOString(),
    sentAt: x.sent_at ? (x.sent_at as Date).toISOString() : null, error: x.error, createdAt: (x.created_at as Date).toISOString(),
  }));
}

export type PaperNotice = {
  id: number; customerId: number | null; customerNo: string | null; name: string | null; channel: string;
  /** the postal or site address the notice goes to, in full: it is printed on the letter */
  recipient: string; template: string; content: string; notBefore: string;
};

/** Pending paper notices, oldest first: the ticked ones, or the whole queue (at most 500). */
export async function printQueue(stationId: number, ids: number[] = []): Promise<PaperNotice[]> {
  const r = await pool.query(
    `select o.id, o.customer_id, c.customer_no, c.name, o.channel::text channel, o.recipient, o.template, o.content, o.not_before
       from outbox_message o left join customer c on c.id = o.customer_id
      where o.station_id = $1 and o.status = 'PENDING' and o.channel = any($2::"Channel"[])
        and (cardinality($3::int[]) = 0 or o.id = any($3::int[]))
      order by o.not_before, o.id limit 500`,
    [stationId, PAPER_CHANNELS, ids]);
  return r.rows.map((x) => ({
    id: x.id, customerId: x.customer_id, customerNo: x.customer_no, name: x.name, channel: x.channel, recipient: x.recipient,
    template: x.template, content: x.content, notBefore: (x.not_before as Date).toISOString(),
  }));
}

/** Staff mark printed notices delivered (SENT) or undeliverable (FAILED with the reason): only
 *  those still pending in this station's print queue, each with an audit row. A second click, or
 *  a colleague marking the same letters, changes nothing more. */
export async function recordPaperDelivery(actor: Actor, input: PaperDeliveryInput): Promise<{ marked: number; skipped: number }> {
  return withTx(async (c) => {
    const rows = (await c.query<{ id: number; channel: string }>(
      `select id, channel::text channel from outbox_message
        where id = any($1::int[]) and station_id = $2 and status = 'PENDING' and channel = any($3::"Channel"[])
        order by id for update`,
      [input.id, actor.stationId, PAPER_CHANNELS])).rows;
    if (rows.length === 0) throw new AppError("OUTBOX_NOTHING_TO_MARK");
    const delivered = input.outcome === "DELIVERED";
    const error = delivered ? null : `UNDELIVERABLE: ${input.note}`;
    await c.query(
      `update outbox_message set status = $2::varchar, sent_at = case when $2::varchar = 'SENT' then now() end, attempts = attempts + 1, error = $3
        where id = any($1::int[])`,
      [rows.map((x) => x.id), delivered ? "SENT" : "FAILED", error]);
    for (const x of rows) {
      await auditRaw(c, {
        stationId: actor.stationId, actorId: actor.id, action: delivered ? "outbox.delivered" : "outbox.undeliverable",
        targetType: "outbox_message", targetId: x.id, before: { status: "PENDING" },
        after: { status: delivered ? "SENT" : "FAILED", channel: x.channel }, reason: input.note || null,
      });
    }
    return { marked: rows.length, skipped: new Set(input.id).size - rows.length };
  });
}

/** What the print page needs: the station's name and today's date for the letterhead, and the notices. */
export async function printSheet(stationId: number, ids: number[]): Promise<{ stationName: string; today: string; notices: PaperNotice[] }> {
  const [st, notices] = await Promise.all([
    pool.query<{ name: string; timezone: string }>(`select name, timezone from station where id = $1`, [stationId]),
    printQueue(stationId, ids),
  ]);
  if (!st.rows[0]) throw new AppError("NOT_FOUND");
  return { stationName: st.rows[0].name, today: localDate(new Date(), st.rows[0].timezone), notices };
}
