// The payment date a partner may claim: only the agreement's window (setting partner.paidOnDaysBack,
// default today and the 3 days before, at the station), through the route handler; a back-dated
// payment pays the late fee up to its payment day; the reconciliation and the day's cash-up list
// every payment whose payment day is not the day it was posted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { pool } from "@/lib/db";
import { createPartner } from "@/lib/data/partners";
import { cashupDay } from "@/lib/data/cashup";
import { checkLedger } from "@/lib/data/ledger";
import { POST as pay } from "@/app/api/partner/v1/payments/route";
import { POST as reconcile } from "@/app/api/partner/v1/reconciliations/route";
import { GET as openapi } from "@/app/api/partner/v1/openapi.json/route";
import { balanceOf, counts, makeCustomer, makeStation, releaseBill } from "./payments-fixtures";

const url = (p: string) => `http://localhost/api/partner/v1${p}`;
const post = (p: string, body: unknown, key: string) =>
  new NextRequest(url(p), { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", "x-api-key": key } });

// 23:30 UTC on 5 December is 07:30 on 6 December in Asia/Shanghai: the station's today is the 6th,
// so its window is 3–6 December, while a UTC clock would say 2–5 December
const NOW = new Date("2026-12-05T23:30:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

async function setup() {
  const s = await makeStation();
  const c = await makeCustomer(s, { no: `${s.code}W1` });
  await releaseBill(s, c, { period: "2026-11", amount: "1000.00", dueDate: "2026-12-01", issueDate: "2026-11-20" });
  const { key } = await createPartner(s.stationId, { code: `WX${s.code}`.slice(0, 20), name: "微信服务商", channel: "WECHAT" }, null);
  return { s, c, key };
}

describe("partner payment date window", () => {
  it("takes paidOn from 3 days back to today in the station's zone, and refuses 4 days back, tomorrow, 1900 and 2099", async () => {
    const { s, key } = await setup();
    const body = (tx: string, paidOn: string) => ({ transactionId: tx, customerNo: `${s.code}W1`, amount: "1.00", paidOn });
    const before = await counts(s.stationId);
    for (const paidOn of ["2026-12-02", "2026-12-07", "1900-01-01", "2099-12-31"]) {
      const r = await pay(post("/payments", body(`out-${paidOn}`, paidOn), key));
      expect(r.status, paidOn).toBe(422);
      const j = await r.json();
      expect(j).toMatchObject({ error: "PAID_ON_OUTSIDE_WINDOW", details: { paidOn, from: "2026-12-03", to: "2026-12-06" } });
      expect(j.message).toContain("2026-12-03");
    }
    expect(await counts(s.stationId)).toEqual(before); // nothing posted, nothing booked

    const first = await pay(post("/payments", body("edge-back", "2026-12-03"), key)); // exactly 3 days back
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ valueDate: "2026-12-03" });
    const today = await pay(post("/payments", body("edge-today", "2026-12-06"), key)); // tomorrow in UTC, today at the station
    expect(today.status).toBe(201);
    const none = await pay(post("/payments", { transactionId: "no-date", customerNo: `${s.code}W1`, amount: "1.00" }, key));
    expect(await none.json()).toMatchObject({ valueDate: "2026-12-06" }); // no paidOn: the station's today
    const booked = (await pool.query(`select value_date::text d, book_month from ledger_entry where station_id = $1 and kind = 'PAYMENT' order by id`, [s.stationId])).rows;
    expect(booked).toEqual([{ d: "2026-12-03", book_month: "2026-12" }, { d: "2026-12-06", book_month: "2026-12" }, { d: "2026-12-06", book_month: "2026-12" }]);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("the window is the station's setting", async () => {
    const { s, key } = await setup();
    await pool.query(`insert into setting (station_id, key, value, effective_from) values ($1, 'partner', '{"paidOnDaysBack": 0}', '2026-01-01')`, [s.stationId]);
    const r = await pay(post("/payments", { transactionId: "y1", customerNo: `${s.code}W1`, amount: "1.00", paidOn: "2026-12-05" }, key));
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: "PAID_ON_OUTSIDE_WINDOW", details: { from: "2026-12-06", to: "2026-12-06" } });
    expect((await pay(post("/payments", { transactionId: "y2", customerNo: `${s.code}W1`, amount: "1.00", paidOn: "2026-12-06" }, key))).status).toBe(201);
  });

  it("a retry of a posted transaction answers with the first payment after its date left the window", async () => {
    const { s, key } = await setup();
    const body = { transactionId: "late-retry", customerNo: `${s.code}W1`, amount: "5.00", paidOn: "2026-12-03" };
    const first = await (await pay(post("/payments", body, key))).json();
    vi.setSystemTime(new Date("2026-12-09T02:00:00Z")); // the 3rd is now 6 days back
    const again = await pay(post("/payments", body, key));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ paymentId: first.paymentId, duplicate: true, valueDate: "2026-12-03" });
    // a new transaction with that date is refused
    expect((await pay(post("/payments", { ...body, transactionId: "late-new" }, key))).status).toBe(422);
  });

  it("a back-dated payment pays the late fee up to its payment day, not to the posting day (规则 §98: 计算至交纳日止)", async () => {
    const { s, c, key } = await setup();
    // 1,000.00 due 1 December, residential 0.1 % a day: paid on the 3rd = 2 days = 2.00 (to the
    // posting day, the 6th, it would be 5.00); 1,002.00 is exactly what settles it that day
    const r = await pay(post("/payments", { transactionId: "fee-1", customerNo: `${s.code}W1`, amount: "1002.00", paidOn: "2026-12-03" }, key));
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ valueDate: "2026-12-03", toPrepaid: "0.00" });
    const fee = (await pool.query(`select amount::text, value_date::text d from ledger_entry where customer_id = $1 and kind = 'LATE_FEE'`, [c])).rows;
    expect(fee).toEqual([{ amount: "2.00", d: "2026-12-03" }]);
    const bill = (await pool.query(`select settled_on::text, late_fee_through::text from bill where customer_id = $1`, [c])).rows[0];
    expect(bill).toEqual({ settled_on: "2026-12-03", late_fee_through: "2026-12-03" });
    expect(await balanceOf(c)).toBe("0.00");
  });

  it("the reconciliation and the day's cash-up list payments whose payment day is not their posting day", async () => {
    const { s, key } = await setup();
    await pay(post("/payments", { transactionId: "back-1", customerNo: `${s.code}W1`, amount: "30.00", paidOn: "2026-12-04" }, key));
    await pay(post("/payments", { transactionId: "same-1", customerNo: `${s.code}W1`, amount: "20.00", paidOn: "2026-12-06" }, key));
    const back = await (await reconcile(post("/reconciliations", { date: "2026-12-04", transactions: [{ transactionId: "back-1", amount: "30.00" }] }, key))).json();
    expect(back).toMatchObject({ matched: 1, mismatches: [] });
    expect(back.valueDateDiffers).toEqual([{ transactionId: "back-1", amount: "30.00", valueDate: "2026-12-04", postedOn: "2026-12-06", receiptNo: expect.any(String) }]);
    const same = await (await reconcile(post("/reconciliations", { date: "2026-12-06", transactions: [{ transactionId: "same-1", amount: "20.00" }] }, key))).json();
    expect(same).toMatchObject({ matched: 1, valueDateDiffers: [] });
    const day = await cashupDay(s.stationId, "2026-12-06", { clerkId: null });
    expect(day.payments.map((p) => [p.reference, p.valueDate])).toEqual([["back-1", "2026-12-04"], ["same-1", "2026-12-06"]]);
    expect(day.backDated).toEqual({ count: 1, amount: 3000 });
  });

  it("the OpenAPI document states the window, its error code and the reconciliation's list", async () => {
    const doc = await (await openapi()).json();
    const pay = doc.paths["/payments"].post;
    expect(pay.responses["422"].description).toContain("PAID_ON_OUTSIDE_WINDOW");
    expect(doc.components.schemas.PaymentRequest.properties.paidOn.description).toMatch(/default 3/);
    expect(doc.components.schemas.Error.properties.error.description).toContain("PAID_ON_OUTSIDE_WINDOW");
    expect(doc.components.schemas.ReconciliationReport.properties.valueDateDiffers.items.properties).toHaveProperty("postedOn");
  });
});
