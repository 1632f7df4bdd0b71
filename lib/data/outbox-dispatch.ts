import "server-only";
// The outbox dispatcher: every minute (lib/jobs/outbox-worker.ts) each station's due PENDING
// electronic messages (SMS, WeChat, e-mail; not_before <= now) go through their channel adapter
// (lib/outbox/), outside the station's quiet hours. Paper goes to the print queue and calls to
// staff (lib/data/outbox.ts): the dispatcher never touches them.
//
// Once per message. Each batch is one transaction that locks its rows `for update skip locked`:
// two dispatchers (two app processes, or an overlapping run) never pick the same message, and a
// message left SENT / retried / FAILED by one is no longer PENDING-and-due for the other.
// The adapter call and the status change are in that transaction:
//  * local adapter: it records the delivery through the same transaction, so the record and SENT
//    commit together or not at all: exactly once, even across a crash.
//  * a real gateway cannot take part in our transaction. A crash after the gateway accepted a
//    message but before the commit leaves it PENDING, and the next run sends it again: we choose
//    at-least-once (a customer may get a bill notice twice) over at-most-once (a notice silently
//    lost, which the office could not see). The duplicate is closed off by the gateway: the
//    adapter passes the message's dedupe_key as the gateway's idempotency / client reference key,
//    and a gateway that honours it answers the resend with the first reference instead of sending.
import { localDate } from "@/lib/domain/calendar";
import { ELECTRONIC_CHANNELS, type ElectronicChannel } from "@/lib/domain/outbox/channels";
import { sendableAt } from "@/lib/domain/outbox/quiet-hours";
import { checkRecipient } from "@/lib/domain/outbox/recipient";
import { afterFailure, type FailureKind } from "@/lib/domain/outbox/retry";
import { pool } from "@/lib/db";
import { SendFailure } from "@/lib/outbox/adapter";
import { adaptersFromEnv, type AdapterSet } from "@/lib/outbox/adapters";
import { auditRaw, stationInfo, stationSettings, withTx, type Db } from "./ledger";

export type DispatchOptions = {
  /** the clock (tests); the worker uses the real time, read again for every batch */
  now?: Date;
  adapters?: AdapterSet;
  batchSize?: number;
  maxBatches?: number;
};

export type DispatchOutcome = { stationId: number; sent: number; retried: number; failed: number; suppressed: number; quietUntil: Date | null };

type Row = {
  id: number; station_id: number; channel: ElectronicChannel; recipient: string; template: string; content: string;
  dedupe_key: string; attempts: number; withdrawn: boolean;
};

/** Sends what is due for one station; returns what happened (nothing during quiet hours). */
export async function dispatchOutbox(stationId: number, opts: DispatchOptions = {}): Promise<DispatchOutcome> {
  const adapters = opts.adapters ?? adaptersFromEnv();
  const batchSize = opts.batchSize ?? 50;
  const maxBatches = opts.maxBatches ?? 40;
  const out: DispatchOutcome = { stationId, sent: 0, retried: 0, failed: 0, suppressed: 0, quietUntil: null };
  const tz = (await stationInfo(pool, stationId)).timezone;
  for (let b = 0; b < maxBatches; b++) {
    const now = opts.now ?? new Date();
    const quiet = (await stationSettings(pool, stationId, localDate(now, tz))).reminders;
    const at = sendableAt(now, quiet, tz);
    if (at > now) { // inside quiet hours: what is due waits until they end
      out.quietUntil = at;
      break;
    }
    const picked = await withTx((c) => dispatchBatch(c, stationId, now, adapters, batchSize, out));
    if (picked < batchSize) break;
  }
  return out;
}

/** Every station in turn (the minute job). */
export async function dispatchAllStations(opts: DispatchOptions = {}): Promise<DispatchOutcome[]> {
  const adapters = opts.adapters ?? adaptersFromEnv(); // a misconfigured adapter fails here, before anything is touched
  const ids = (await pool.query<{ id: number }>(`select id from station order by id`)).rows.map((r) => r.id);
  const outcomes: DispatchOutcome[] = [];
  for (const id of ids) outcomes.push(await dispatchOutbox(id, { ...opts, adapters }));
  return outcomes;
}

async function dispatchBatch(c: Db, stationId: number, now: Date, adapters: AdapterSet, limit: number, out: DispatchOutcome): Promise<number> {
  const rows = (await c.query<Row>(
    `select o.id, o.station_id, o.channel::text channel, o.recipient, o.template, o.content, o.dedupe_key, o.attempts,
            -- consent withdrawn (or the contact retired) since the message was queued
            (o.contact_id is not null and (ct.id is null or not ct.active or not ct.consent)) withdrawn
       from outbox_message o left join contact ct on ct.id = o.contact_id
      where o.station_id = $1 and o.status = 'PENDING' and o.channel = any($2::"Channel"[]) and o.not_before <= $3
      order by o.not_before, o.id
      limit $4
      for update of o skip locked`,
    [stationId, ELECTRONIC_CHANNELS, now, limit])).rows;
  if (rows.length === 0) return 0;
  const done: Record<"sent" | "retry" | "failed" | "suppressed", number[]> = { sent: [], retry: [], failed: [], suppressed: [] };
  for (const m of rows) {
    if (m.withdrawn) {
      await c.query(`update outbox_message set status = 'SUPPRESSED', error = 'NO_CONSENT' where id = $1`, [m.id]);
      done.suppressed.push(m.id);
      continue;
    }
    const to = checkRecipient(m.channel, m.recipient);
    if (!to.ok) {
      await fail(c, m, "PERMANENT", `INVALID_RECIPIENT: ${to.problem}`, now, done);
      continue;
    }
    const adapter = adapters[m.channel];
    await c.query("savepoint send_one");
    try {
      const r = await adapter.send(
        { id: m.id, stationId: m.station_id, channel: m.channel, recipient: to.recipient, template: m.template, content: m.content, idempotencyKey: m.dedupe_key },
        { db: c, now });
      await c.query(
        `update outbox_message set status = 'SENT', sent_at = $2, provider_ref = $3, attempts = attempts + 1, error = null where id = $1`,
        [m.id, now, r.providerRef]);
      await c.query("release savepoint send_one");
      done.sent.push(m.id);
    } catch (e) {
      // whatever the adapter wrote is undone; the message itself stays locked by this batch
      await c.query("rollback to savepoint send_one");
      if (e instanceof SendFailure) await fail(c, m, e.kind, e.message, now, done);
      else {
        console.error(`[outbox] ${adapter.name} adapter, message ${m.id}: unexpected error`, e);
        await fail(c, m, "TRANSIENT", "UNEXPECTED", now, done);
      }
    }
  }
  out.sent += done.sent.length;
  out.retried += done.retry.length;
  out.failed += done.failed.length;
  out.suppressed += done.suppressed.length;
  // one audit row per batch: the dispatcher is the actor (none), the ids say which messages
  await auditRaw(c, {
    stationId, actorId: null, action: "outbox.dispatch", targetType: "station", targetId: stationId,
    after: { ...done, adapters: Object.fromEntries(ELECTRONIC_CHANNELS.map((ch) => [ch, adapters[ch].name])) },
  });
  return rows.length;
}

async function fail(c: Db, m: Row, kind: FailureKind, error: string, now: Date, done: Record<"retry" | "failed", number[]>) {
  const attempts = m.attempts + 1;
  const next = afterFailure(attempts, kind, now);
  await c.query(
    `update outbox_message set status = $2, attempts = $3, error = $4, not_before = coalesce($5, not_before) where id = $1`,
    [m.id, next.status, attempts, error.slice(0, 500), next.status === "PENDING" ? next.notBefore : null]);
  (next.status === "PENDING" ? done.retry : done.failed).push(m.id);
}
