// The outbox page's data and its one server action, against PostgreSQL: counts by channel and
// status, the latest messages with recipients masked, the print queue (pending paper only, this
// station only), and staff marking printed notices delivered or undeliverable through the real
// action (session → parse → permission → lib/data), once, with an audit row each.
import { describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ user: null as null | { id: number; sv: number } }));
vi.mock("next-auth", async () => {
  const { stubSession } = await import("../support/session-stub");
  return { getServerSession: () => stubSession(session.user) };
});
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

import { pool } from "@/lib/db";
import { recordPaperDeliveryAction } from "@/app/outbox/actions";
import type { Actor } from "@/lib/auth/guard";
import { latestMessages, outboxCounts, printQueue, printSheet } from "@/lib/data/outbox";
import { makeCustomer, makeStation, type TestStation } from "./payments-fixtures";

let seq = 0;
async function queue(s: TestStation, channel: string, recipient: string, status = "PENDING", notBefore = "2026-11-30T01:00:00Z"): Promise<number> {
  const c = await makeCustomer(s, { name: "王五", address: "幸福路 8 号" });
  return (await pool.query<{ id: number }>(
    `insert into outbox_message (station_id, customer_id, channel, recipient, template, content, status, dedupe_key, not_before)
     values ($1, $2, $3::"Channel", $4, 'closure-notice', $5, $6, $7, $8) returning id`,
    [s.stationId, c, channel, recipient, `通知正文 ${++seq}`, status, `page:${s.stationId}:${seq}`, notBefore])).rows[0].id;
}
const status = async (id: number) => (await pool.query(`select status, sent_at, error, attempts from outbox_message where id = $1`, [id])).rows[0];
const signIn = (a: Actor | null) => { session.user = a ? { id: a.id, sv: 0 } : null; };
const form = (fields: Record<string, string | string[]>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) fd.append(k, x);
  return fd;
};

describe("outbox page", () => {
  it("counts by channel and status and lists the latest messages with recipients masked", async () => {
    const s = await makeStation();
    const sms = await queue(s, "SMS", "13900000002");
    const mail = await queue(s, "EMAIL", "caiwu@example.com", "SENT");
    const letter = await queue(s, "POST", "幸福路 8 号");
    await queue(s, "SMS", "13900000003", "FAILED");
    expect(await outboxCounts(s.stationId)).toEqual([
      { channel: "SMS", status: "FAILED", n: 1 }, { channel: "SMS", status: "PENDING", n: 1 },
      { channel: "EMAIL", status: "SENT", n: 1 }, { channel: "POST", status: "PENDING", n: 1 },
    ].sort((a, b) => (a.channel + a.status).localeCompare(b.channel + b.status)));
    const all = await latestMessages(s.stationId, {});
    expect(all.map((m) => m.id).slice(1)).toEqual([letter, mail, sms]); // newest first
    expect(all.find((m) => m.id === sms)!.recipientMasked).toBe("139****0002");
    expect(all.find((m) => m.id === mail)!.recipientMasked).toBe("c***@example.com");
    expect(all.find((m) => m.id === letter)!.recipientMasked).toBe("幸福路 8 号"); // an address is not masked
    expect(JSON.stringify(all)).not.toContain("13900000002");
    expect((await latestMessages(s.stationId, { status: "PENDING", channel: "SMS" })).map((m) => m.id)).toEqual([sms]);
  });

  it("queues only this station's pending paper notices for printing", async () => {
    const s = await makeStation();
    const other = await makeStation();
    const letter = await queue(s, "POST", "幸福路 8 号", "PENDING", "2026-11-30T02:00:00Z");
    const onSite = await queue(s, "ON_SITE", "幸福路 9 号", "PENDING", "2026-11-30T01:00:00Z");
    await queue(s, "POST", "幸福路 10 号", "SENT");
    await queue(s, "SMS", "13900000002");
    await queue(s, "PHONE", "13900000004"); // a call: left to the reminders work, not printed
    await queue(other, "POST", "别的所");
    expect((await printQueue(s.stationId)).map((n) => n.id)).toEqual([onSite, letter]); // by planned time
    expect((await printQueue(s.stationId, [letter])).map((n) => n.id)).toEqual([letter]);
    const sheet = await printSheet(s.stationId, [letter]);
    expect(sheet.stationName).toMatch(/^测试所/);
    expect(sheet.notices[0]).toMatchObject({ id: letter, name: "王五", recipient: "幸福路 8 号", template: "closure-notice", channel: "POST" });
  });

  it("marks printed notices delivered or undeliverable through the action, once, with audit rows", async () => {
    const s = await makeStation();
    const other = await makeStation();
    const a = await queue(s, "POST", "幸福路 8 号");
    const b = await queue(s, "ON_SITE", "幸福路 9 号");
    const c = await queue(s, "POST", "查无此址");
    const sms = await queue(s, "SMS", "13900000002");
    const foreign = await queue(other, "POST", "别的所");

    signIn(s.clerk); // a clerk may not
    expect(await recordPaperDeliveryAction(null, form({ id: [String(a)], outcome: "DELIVERED" }))).toMatchObject({ status: "error", code: "FORBIDDEN" });
    expect((await status(a)).status).toBe("PENDING");

    signIn(s.manager);
    // nothing ticked, or undeliverable without a reason: refused with a Chinese message, nothing changed
    const none = await recordPaperDeliveryAction(null, form({ outcome: "DELIVERED" }));
    expect(none).toMatchObject({ status: "invalid", fieldErrors: { id: ["请至少勾选一份通知"] } });
    const noReason = await recordPaperDeliveryAction(null, form({ id: [String(c)], outcome: "UNDELIVERABLE", note: " " }));
    expect(noReason).toMatchObject({ status: "invalid", fieldErrors: { note: ["无法送达时请写明原因"] } });
    expect((await status(c)).status).toBe("PENDING");

    // another station's letter and an SMS among the ticks are left alone
    const ok = await recordPaperDeliveryAction(null, form({ id: [String(a), String(b), String(sms), String(foreign)], outcome: "DELIVERED" }));
    expect(ok).toMatchObject({ status: "ok", message: "已标记 2 份，另有 2 份已由他人处理。" });
    for (const id of [a, b]) expect(await status(id)).toMatchObject({ status: "SENT", error: null, attempts: 1 });
    expect((await status(a)).sent_at).toBeInstanceOf(Date);
    expect((await status(sms)).status).toBe("PENDING");
    expect((await status(foreign)).status).toBe("PENDING");

    // a second click finds nothing left to mark
    const again = await recordPaperDeliveryAction(null, form({ id: [String(a), String(b)], outcome: "DELIVERED" }));
    expect(again).toMatchObject({ status: "error", code: "OUTBOX_NOTHING_TO_MARK" });
    expect((again as { message: string }).message).toMatch(/未作更改/);

    const returned = await recordPaperDeliveryAction(null, form({ id: String(c), outcome: "UNDELIVERABLE", note: "地址不详，退回" }));
    expect(returned).toMatchObject({ status: "ok", message: "已标记 1 份。" });
    expect(await status(c)).toMatchObject({ status: "FAILED", sent_at: null, error: "UNDELIVERABLE: 地址不详，退回" });

    const audit = (await pool.query(
      `select action, actor_id, target_id, reason, after from audit_log where station_id = $1 and target_type = 'outbox_message' order by id`, [s.stationId])).rows;
    expect(audit.map((x) => [x.action, x.actor_id, Number(x.target_id), x.reason])).toEqual([
      ["outbox.delivered", s.manager.id, a, null], ["outbox.delivered", s.manager.id, b, null],
      ["outbox.undeliverable", s.manager.id, c, "地址不详，退回"],
    ]);
    expect(await printQueue(s.stationId)).toEqual([]);
    signIn(null);
  });
});
