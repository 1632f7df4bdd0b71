// 预购电 / 费控 end to end against PostgreSQL: warnings at the thresholds through the outbox, the
// agreed stop order only after the warnings, executed after the grace, never for 保电 customers,
// restored automatically by a top-up above zero.
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { recordPayment } from "@/lib/data/payments";
import { runFeeControlSweep } from "@/lib/data/prepaid";
import { checkLedger } from "@/lib/data/ledger";
import { balanceOf, makeCustomer, makeStation, releaseBill } from "./payments-fixtures";

const key = () => `pp-${Math.random().toString(36).slice(2)}`;
const state = async (id: number) => (await pool.query(`select fee_control_state s from customer where id = $1`, [id])).rows[0].s;
const outbox = async (id: number) => (await pool.query(`select template, recipient, status from outbox_message where customer_id = $1 order by id`, [id])).rows;
const orders = async (id: number) => (await pool.query(`select reason, status from disconnection_order where customer_id = $1 order by id`, [id])).rows;

describe("prepaid fee control", () => {
  it("warns at 30 and 10 yuan, serves the stop notice below zero, stops after the grace, restores on a top-up", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { paymentMethod: "PREPAID", phone: "13911112222" });
    const t0 = new Date("2026-11-20T02:00:00Z");
    const topUp = (amount: number, now: Date) =>
      recordPayment({ stationId: s.stationId, target: { customerId: c }, amount, channel: "PREPAID_TOPUP", idempotencyKey: key(), clerkId: s.clerk.id, now, valueDate: "2026-11-20" });
    await topUp(5000, t0);
    expect(await state(c)).toBe("NORMAL");
    await releaseBill(s, c, { period: "2026-10", amount: "25.00", dueDate: "2026-11-30" });
    await runFeeControlSweep(s.stationId, t0);
    expect(await state(c)).toBe("WARNED1");
    await runFeeControlSweep(s.stationId, t0); // a second sweep sends nothing new
    expect((await outbox(c)).map((m) => m.template)).toEqual(["prepaid-warning-1"]);
    await releaseBill(s, c, { period: "2026-11", amount: "20.00", dueDate: "2026-12-30" });
    await runFeeControlSweep(s.stationId, t0);
    expect(await state(c)).toBe("WARNED2");
    await releaseBill(s, c, { period: "2026-12", amount: "10.00", dueDate: "2027-01-30" });
    await runFeeControlSweep(s.stationId, t0);
    expect(await balanceOf(c)).toBe("5.00"); // funds −5.00
    expect(await state(c)).toBe("NOTICED");
    expect(await orders(c)).toEqual([{ reason: "FEE_CONTROL", status: "NOTICE_SERVED" }]);
    await runFeeControlSweep(s.stationId, new Date(t0.getTime() + 23 * 3_600_000));
    expect(await state(c)).toBe("NOTICED"); // not before the grace (24 h default)
    await runFeeControlSweep(s.stationId, new Date(t0.getTime() + 25 * 3_600_000));
    expect(await state(c)).toBe("STOPPED");
    expect(await orders(c)).toEqual([{ reason: "FEE_CONTROL", status: "EXECUTED" }]);
    await topUp(300, new Date(t0.getTime() + 26 * 3_600_000)); // −2.00: still not above zero
    expect(await state(c)).toBe("STOPPED");
    await topUp(1000, new Date(t0.getTime() + 27 * 3_600_000)); // 8.00 above zero: restore, and warn (below 10)
    expect(await state(c)).toBe("WARNED2");
    const rec = (await pool.query(`select executed_at is not null done from reconnection_order where customer_id = $1`, [c])).rows;
    expect(rec).toEqual([{ done: true }]);
    expect((await outbox(c)).map((m) => m.template)).toEqual([
      "prepaid-warning-1", "prepaid-warning-2", "prepaid-stop-notice", "prepaid-stopped", "prepaid-restored", "prepaid-warning-2",
    ]);
    expect((await outbox(c)).every((m) => m.recipient === "13911112222" && m.status === "PENDING")).toBe(true);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("a top-up before the stop cancels the order", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { paymentMethod: "PREPAID" });
    await releaseBill(s, c, { period: "2026-10", amount: "5.00", dueDate: "2026-11-30" });
    const now = new Date("2026-11-20T02:00:00Z");
    await runFeeControlSweep(s.stationId, now);
    expect(await orders(c)).toEqual([{ reason: "FEE_CONTROL", status: "NOTICE_SERVED" }]);
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: 10000, channel: "PREPAID_TOPUP", idempotencyKey: key(), clerkId: null, now, valueDate: "2026-11-20" });
    expect(await orders(c)).toEqual([{ reason: "FEE_CONTROL", status: "CANCELLED" }]);
    expect(await state(c)).toBe("NORMAL");
  });

  it("never a stop order for a protected (保电) customer: warned only", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { paymentMethod: "PREPAID", flags: ["PROTECTED"] });
    await releaseBill(s, c, { period: "2026-10", amount: "500.00", dueDate: "2026-11-30" });
    const now = new Date("2026-11-20T02:00:00Z");
    await runFeeControlSweep(s.stationId, now);
    await runFeeControlSweep(s.stationId, new Date(now.getTime() + 100 * 3_600_000));
    expect(await orders(c)).toEqual([]);
    expect((await outbox(c)).map((m) => m.template)).toEqual(["prepaid-warning-2"]);
  });
});
