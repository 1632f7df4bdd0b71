// The outbox dispatcher against PostgreSQL: due electronic messages go out once through the
// local adapter (recorded in outbox_delivery in the same transaction as SENT), also with two
// dispatchers at once; not-yet-due, quiet-hour, paper, call and SUPPRESSED messages are left
// alone; transient failures are retried on the backoff ladder and FAILED after the last try;
// permanent ones (bad recipient) FAILED at once; withdrawn consent SUPPRESSED; an audit row per batch.
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { dispatchOutbox } from "@/lib/data/outbox-dispatch";
import { enqueueSms } from "@/lib/data/prepaid";
import { permanentFailure, transientFailure, type ChannelAdapter } from "@/lib/outbox/adapter";
import { adaptersFromEnv, type AdapterSet } from "@/lib/outbox/adapters";
import { RETRY_POLICY } from "@/lib/domain/outbox/retry";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { OUTBOX_QUEUE, outboxWorker } from "@/lib/jobs/outbox-worker";
import { makeCustomer, makeStation, type TestStation } from "./payments-fixtures";

// 11:00 in Shanghai (UTC+8): outside the default quiet hours 20:00–08:00
const NOON = new Date("2026-11-30T03:00:00Z");
const min = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
let seq = 0;

type Msg = { channel?: string; recipient?: string; notBefore?: Date; status?: string; contactId?: number | null; customerId?: number };
async function queue(s: TestStation, m: Msg = {}): Promise<number> {
  const customerId = m.customerId ?? await makeCustomer(s);
  return (await pool.query<{ id: number }>(
    `insert into outbox_message (station_id, customer_id, contact_id, channel, recipient, template, content, status, dedupe_key, not_before)
     values ($1, $2, $3, $4::"Channel", $5, 'bill-notice', $6, $7, $8, $9) returning id`,
    [s.stationId, customerId, m.contactId ?? null, m.channel ?? "SMS", m.recipient ?? "13900000001", `您的电费通知 #${++seq}`,
      m.status ?? "PENDING", `test:${s.stationId}:${seq}`, m.notBefore ?? min(NOON, -5)])).rows[0].id;
}

const msg = async (id: number) => (await pool.query(
  `select status, attempts, sent_at, provider_ref, error, not_before from outbox_message where id = $1`, [id])).rows[0];
const deliveries = async (stationId: number) => (await pool.query(
  `select message_id, channel::text channel, recipient, content, adapter, provider_ref, idempotency_key from outbox_delivery where station_id = $1 order by message_id`,
  [stationId])).rows;

/** The local adapters, each call wrapped (delay, or a failure before/after the local record). */
function wrapped(wrap: (inner: ChannelAdapter) => ChannelAdapter["send"]): AdapterSet {
  const local = adaptersFromEnv({});
  const out = {} as AdapterSet;
  for (const ch of ["SMS", "WECHAT", "EMAIL"] as const) out[ch] = { name: "test", channel: ch, send: wrap(local[ch]) };
  return out;
}

describe("outbox dispatcher", () => {
  it("sends due electronic messages once through the local adapter and leaves everything else alone", async () => {
    const s = await makeStation();
    const sms = await queue(s, { recipient: "+86 139-0000-0002" });
    const mail = await queue(s, { channel: "EMAIL", recipient: "cw@example.com" });
    const wx = await queue(s, { channel: "WECHAT", recipient: "oWx_123" });
    const later = await queue(s, { notBefore: min(NOON, 30) }); // not yet due
    const letter = await queue(s, { channel: "POST", recipient: "幸福路1号" }); // the print queue's
    const call = await queue(s, { channel: "PHONE" }); // a call for staff
    const suppressed = await queue(s, { status: "SUPPRESSED", recipient: "" });

    const r = await dispatchOutbox(s.stationId, { now: NOON });
    expect(r).toMatchObject({ sent: 3, retried: 0, failed: 0, suppressed: 0, quietUntil: null });

    const d = await deliveries(s.stationId);
    expect(d.map((x) => [x.message_id, x.channel, x.recipient, x.adapter])).toEqual([
      [sms, "SMS", "13900000002", "local"], [mail, "EMAIL", "cw@example.com", "local"], [wx, "WECHAT", "oWx_123", "local"]]);
    for (const x of d) {
      const m = await msg(x.message_id);
      expect(m).toMatchObject({ status: "SENT", attempts: 1, provider_ref: x.provider_ref, error: null });
      expect((m.sent_at as Date).toISOString()).toBe(NOON.toISOString());
      expect(x.provider_ref).toMatch(new RegExp(`^local-${x.channel.toLowerCase()}-`));
    }
    expect(d[0].content).toMatch(/^您的电费通知/);
    for (const id of [later, letter, call]) expect(await msg(id)).toMatchObject({ status: "PENDING", attempts: 0, sent_at: null });
    expect(await msg(suppressed)).toMatchObject({ status: "SUPPRESSED", attempts: 0, sent_at: null });

    // a second run sends nothing again; the later one goes when it is due
    expect(await dispatchOutbox(s.stationId, { now: min(NOON, 1) })).toMatchObject({ sent: 0 });
    expect(await dispatchOutbox(s.stationId, { now: min(NOON, 30) })).toMatchObject({ sent: 1 });
    expect((await deliveries(s.stationId)).map((x) => x.message_id)).toEqual([sms, mail, wx, later]);

    const audit = (await pool.query(
      `select actor_id, after from audit_log where station_id = $1 and action = 'outbox.dispatch' order by id`, [s.stationId])).rows;
    expect(audit).toHaveLength(2); // one per batch that picked something; the empty run writes none
    expect(audit[0].actor_id).toBeNull();
    expect(audit[0].after).toMatchObject({ sent: [sms, mail, wx], retry: [], failed: [], suppressed: [], adapters: { SMS: "local" } });
  });

  it("never sends a message twice with two dispatchers at once", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const ids: number[] = [];
    for (let i = 0; i < 14; i++) ids.push(await queue(s, { customerId: c, recipient: `1390000${String(i).padStart(4, "0")}` }));
    // slow enough that the two runs overlap batch by batch
    const calls: number[] = [];
    const slow = wrapped((inner) => async (m, ctx) => {
      calls.push(m.id);
      await new Promise((r) => setTimeout(r, 15));
      return inner.send(m, ctx);
    });
    const [a, b] = await Promise.all([
      dispatchOutbox(s.stationId, { now: NOON, adapters: slow, batchSize: 3 }),
      dispatchOutbox(s.stationId, { now: NOON, adapters: slow, batchSize: 3 }),
    ]);
    expect(a.sent + b.sent).toBe(14);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0); // both really worked
    expect([...calls].sort((x, y) => x - y)).toEqual(ids); // the gateway was asked once per message
    const d = await deliveries(s.stationId);
    expect(d.map((x) => x.message_id)).toEqual(ids);
    const sent = (await pool.query(`select count(*)::int n from outbox_message where id = any($1) and status = 'SENT' and attempts = 1`, [ids])).rows[0].n;
    expect(sent).toBe(14);
  });

  it("waits through the quiet hours (also past midnight) and sends when they end", async () => {
    const s = await makeStation();
    const due = await queue(s, { notBefore: new Date("2026-11-30T11:00:00Z") }); // 19:00 local, due before the quiet hours
    const at21 = await queue(s, { notBefore: new Date("2026-11-30T13:00:00Z") }); // due at 21:00 local, inside them
    for (const now of ["2026-11-30T12:00:00Z", "2026-11-30T15:30:00Z", "2026-11-30T17:00:00Z", "2026-11-30T23:59:00Z"]) {
      const r = await dispatchOutbox(s.stationId, { now: new Date(now) }); // 20:00, 23:30, 01:00, 07:59 local
      expect(r.sent).toBe(0);
      expect(r.quietUntil?.toISOString()).toBe("2026-12-01T00:00:00.000Z"); // 08:00 on the 1st
    }
    expect(await msg(due)).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(await deliveries(s.stationId)).toEqual([]);
    const r = await dispatchOutbox(s.stationId, { now: new Date("2026-12-01T00:00:00Z") });
    expect(r).toMatchObject({ sent: 2, quietUntil: null });
    expect((await msg(at21)).status).toBe("SENT");
  });

  it("retries a transient failure on the backoff ladder, then fails it with the error", async () => {
    const s = await makeStation();
    const id = await queue(s);
    const tries: number[] = [];
    const down = wrapped(() => async (m) => {
      tries.push(m.id);
      throw transientFailure("GATEWAY_UNREACHABLE", "connect ETIMEDOUT");
    });
    let now = NOON;
    for (let attempt = 1; attempt < RETRY_POLICY.maxAttempts; attempt++) {
      expect(await dispatchOutbox(s.stationId, { now, adapters: down })).toMatchObject({ sent: 0, retried: 1, failed: 0 });
      const m = await msg(id);
      const wait = RETRY_POLICY.delaysMinutes[attempt - 1];
      expect(m).toMatchObject({ status: "PENDING", attempts: attempt, error: "GATEWAY_UNREACHABLE: connect ETIMEDOUT" });
      expect((m.not_before as Date).toISOString()).toBe(min(now, wait).toISOString());
      // not before its time: a run a little earlier leaves it
      expect(await dispatchOutbox(s.stationId, { now: min(now, wait - 0.5), adapters: down })).toMatchObject({ retried: 0 });
      now = min(now, wait);
    }
    expect(await dispatchOutbox(s.stationId, { now, adapters: down })).toMatchObject({ retried: 0, failed: 1 });
    expect(await msg(id)).toMatchObject({ status: "FAILED", attempts: RETRY_POLICY.maxAttempts, sent_at: null, error: "GATEWAY_UNREACHABLE: connect ETIMEDOUT" });
    expect(tries).toHaveLength(RETRY_POLICY.maxAttempts);
    // a FAILED message is never picked again
    await dispatchOutbox(s.stationId, { now: min(now, 600), adapters: down });
    expect(tries).toHaveLength(RETRY_POLICY.maxAttempts);
  });

  it("fails a bad recipient or a gateway's refusal at once, without asking the gateway again", async () => {
    const s = await makeStation();
    const empty = await queue(s, { recipient: "" });
    const landline = await queue(s, { recipient: "0571-88886666" });
    const badMail = await queue(s, { channel: "EMAIL", recipient: "not-an-address" });
    const refused = await queue(s, { recipient: "13900000009" });
    const asked: number[] = [];
    const gateway = wrapped((inner) => async (m, ctx) => {
      asked.push(m.id);
      if (m.recipient === "13900000009") throw permanentFailure("NUMBER_UNSUBSCRIBED");
      return inner.send(m, ctx);
    });
    expect(await dispatchOutbox(s.stationId, { now: NOON, adapters: gateway })).toMatchObject({ sent: 0, failed: 4, retried: 0 });
    expect(asked).toEqual([refused]); // the malformed ones never reach a gateway
    expect(await msg(empty)).toMatchObject({ status: "FAILED", attempts: 1, error: "INVALID_RECIPIENT: EMPTY" });
    expect(await msg(landline)).toMatchObject({ status: "FAILED", error: "INVALID_RECIPIENT: INVALID_MOBILE" });
    expect(await msg(badMail)).toMatchObject({ status: "FAILED", error: "INVALID_RECIPIENT: INVALID_EMAIL" });
    expect(await msg(refused)).toMatchObject({ status: "FAILED", attempts: 1, error: "NUMBER_UNSUBSCRIBED" });
    expect(await deliveries(s.stationId)).toEqual([]);
  });

  it("undoes the local record when the send fails after it, so the retry records it exactly once", async () => {
    const s = await makeStation();
    const id = await queue(s);
    let first = true;
    const flaky = wrapped((inner) => async (m, ctx) => {
      const r = await inner.send(m, ctx); // recorded …
      if (first) { first = false; throw new Error("socket hang up"); } // … then something breaks
      return r;
    });
    expect(await dispatchOutbox(s.stationId, { now: NOON, adapters: flaky })).toMatchObject({ sent: 0, retried: 1 });
    expect(await msg(id)).toMatchObject({ status: "PENDING", attempts: 1, error: "UNEXPECTED" });
    expect(await deliveries(s.stationId)).toEqual([]);
    expect(await dispatchOutbox(s.stationId, { now: min(NOON, 1), adapters: flaky })).toMatchObject({ sent: 1 });
    const d = await deliveries(s.stationId);
    expect(d).toHaveLength(1);
    expect(await msg(id)).toMatchObject({ status: "SENT", attempts: 2, provider_ref: d[0].provider_ref, error: null });
  });

  it("answers a repeated idempotency key with the first reference, recording nothing twice", async () => {
    const s = await makeStation();
    const id = await queue(s);
    const sms = adaptersFromEnv({}).SMS;
    const c = await pool.connect();
    try {
      const m = { id, stationId: s.stationId, channel: "SMS" as const, recipient: "13900000001", template: "bill-notice", content: "x", idempotencyKey: `idem-${id}` };
      const a = await sms.send(m, { db: c, now: NOON });
      const b = await sms.send(m, { db: c, now: min(NOON, 1) });
      expect(b.providerRef).toBe(a.providerRef);
    } finally {
      c.release();
    }
    expect(await deliveries(s.stationId)).toHaveLength(1);
  });

  it("suppresses a message whose contact withdrew consent, and sends what the fee-control path queued", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { phone: "13955556666" });
    const contact = (await pool.query<{ id: number }>(
      `insert into contact (customer_id, name, role, channel, value, updated_at) values ($1, '李四', 'SELF', 'SMS', '13911112222', now()) returning id`, [c])).rows[0].id;
    const withdrawn = await queue(s, { customerId: c, contactId: contact, recipient: "13911112222" });
    await pool.query(`update contact set consent = false where id = $1`, [contact]);
    const db = await pool.connect();
    try { // the prepaid path: the consenting contact is gone, so it falls back to the account phone
      await enqueueSms(db, { stationId: s.stationId, customerId: c, template: "prepaid-warning-1", content: "余额不足", dedupeKey: `pp-${c}`, notBefore: min(NOON, -1) });
    } finally {
      db.release();
    }
    const r = await dispatchOutbox(s.stationId, { now: NOON });
    expect(r).toMatchObject({ sent: 1, suppressed: 1 });
    expect(await msg(withdrawn)).toMatchObject({ status: "SUPPRESSED", error: "NO_CONSENT", sent_at: null });
    expect((await deliveries(s.stationId)).map((x) => [x.recipient, x.content])).toEqual([["13955556666", "余额不足"]]);
  });

  it("touches only its own station", async () => {
    const s1 = await makeStation();
    const s2 = await makeStation();
    const other = await queue(s2);
    await dispatchOutbox(s1.stationId, { now: NOON });
    expect((await msg(other)).status).toBe("PENDING");
  });

  it("keeps a station's own quiet hours", async () => {
    const s = await makeStation();
    await quietHours(s, "10:30", "11:30");
    const id = await queue(s);
    expect(await dispatchOutbox(s.stationId, { now: NOON })).toMatchObject({ sent: 0, quietUntil: new Date("2026-11-30T03:30:00Z") });
    expect(await dispatchOutbox(s.stationId, { now: new Date("2026-11-30T03:30:00Z") })).toMatchObject({ sent: 1 });
    expect((await msg(id)).status).toBe("SENT");
  });

  // last: the job dispatches every station of this database at the real time
  it("runs as the minute job on the pg-boss queue", async () => {
    const s = await makeStation();
    await quietHours(s, "00:00", "00:00"); // none: the test must not depend on the time of day
    const id = await queue(s, { notBefore: new Date(Date.now() - 60_000) });
    const { startWorkers } = await import("@/lib/jobs/workers");
    const { getBoss, sendJob, stopQueue } = await import("@/lib/jobs/queue");
    try {
      await startWorkers([outboxWorker]);
      const schedules = await (await getBoss()).getSchedules();
      expect(schedules.find((x) => x.name === OUTBOX_QUEUE)?.cron).toBe("* * * * *");
      await sendJob(OUTBOX_QUEUE, {}); // what the schedule sends every minute, now
      let status = "PENDING";
      for (let i = 0; i < 60 && status === "PENDING"; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await msg(id)).status;
      }
      expect(status).toBe("SENT");
      expect((await deliveries(s.stationId)).map((x) => x.message_id)).toEqual([id]);
    } finally {
      await stopQueue();
    }
  });
});

async function quietHours(s: TestStation, quietFrom: string, quietTo: string) {
  await pool.query(`insert into setting (station_id, key, value, effective_from) values ($1, 'reminders', $2, '2020-01-01')`,
    [s.stationId, JSON.stringify({ ...DEFAULT_SETTINGS.reminders, quietFrom, quietTo })]);
}
