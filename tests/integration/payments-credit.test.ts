// Prepaid funds meet bills (settleCredit): funds pay bills as they are issued, and funds that
// vanish (their payment reversed) take back what they paid. Against a real PostgreSQL.
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { amountDue, getReceipt, recordPayment, settleCredit } from "@/lib/data/payments";
import { checkLedger, withTx } from "@/lib/data/ledger";
import { decideApproval, requestReversal } from "@/lib/data/approvals";
import { balanceOf, makeCustomer, makeStation, releaseBill, type TestStation } from "./payments-fixtures";

const key = () => `test-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const pay = (s: TestStation, c: number, yuan: number, valueDate: string) =>
  recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Math.round(yuan * 100), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate });
const settle = (s: TestStation, ids: number[], valueDate: string) =>
  withTx((c) => settleCredit(c, { stationId: s.stationId, customerIds: ids, valueDate, bookMonth: valueDate.slice(0, 7), actorId: s.clerk.id }));
const billRow = async (id: number) =>
  (await pool.query(`select paid_amount::text paid, settled_on::text settled, late_fee_through::text through from bill where id = $1`, [id])).rows[0];
const credit = async (c: number) =>
  (await pool.query(`select coalesce(sum(principal + late_fee), 0)::text s from payment_allocation where customer_id = $1 and bill_id is null`, [c])).rows[0].s;
const paymentSums = async (stationId: number) =>
  (await pool.query(
    `select p.id, p.amount::text amount, coalesce(sum(pa.principal + pa.late_fee), 0)::text allocated from payment p
     left join payment_allocation pa on pa.payment_id = p.id where p.station_id = $1 and p.status = 'POSTED' group by p.id`, [stationId])).rows;
const reverse = async (s: TestStation, paymentId: number) => decideApproval(s.manager, await requestReversal(s.clerk, paymentId, "收错户"), true);

describe("prepaid funds pay a bill when it is issued", () => {
  it("funds above the bill settle it the day it is issued: no debt, no charge, the balance unchanged", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const p = await pay(s, c, 200, "2026-11-01");
    const b = await releaseBill(s, c, { period: "2026-11", amount: "150.00", issueDate: "2026-11-20", dueDate: "2026-12-20" });
    expect(await balanceOf(c)).toBe("-50.00");
    const out = await settle(s, [c], "2026-11-20");
    expect(out).toEqual({ customers: 1, applied: 15000, feeCharged: 0, clawedBack: 0, settledBillIds: [b] });
    expect(await billRow(b)).toEqual({ paid: "150.00", settled: "2026-11-20", through: "2026-11-20" });
    expect(await credit(c)).toBe("50.00");
    expect(await balanceOf(c)).toBe("-50.00");
    const due = (await amountDue(s.stationId, { customerId: c }, "2027-01-10"))!;
    expect(due.total).toBe(0); // long past the due date: nothing owed, no late fee
    // the move is booked on the payment that brought the funds, which still sums to its amount
    expect((await paymentSums(s.stationId)).find((x) => x.id === p.paymentId)).toMatchObject({ amount: "200.00", allocated: "200.00" });
    expect((await pool.query(`select count(*)::int n from audit_log where action = 'prepaid.settle' and target_id = $1`, [String(c)])).rows[0].n).toBe(1);
    // each row says why it exists; a reprinted receipt shows the posting as the customer got it
    expect((await pool.query(`select origin::text, bill_id is null to_funds, principal::text from payment_allocation where payment_id = $1 order by id`, [p.paymentId])).rows).toEqual([
      { origin: "PAYMENT", to_funds: true, principal: "200.00" },
      { origin: "PREPAID_APPLIED", to_funds: false, principal: "150.00" },
      { origin: "PREPAID_APPLIED", to_funds: true, principal: "-150.00" },
    ]);
    expect(await getReceipt(s.stationId, p.paymentId)).toMatchObject({ lines: [], toPrepaid: 20000, fromPrepaid: 0 });
    expect((await checkLedger(s.stationId)).problems).toEqual([]);
    // settling again finds nothing to do
    expect(await settle(s, [c], "2026-11-21")).toEqual({ customers: 0, applied: 0, feeCharged: 0, clawedBack: 0, settledBillIds: [] });
  });

  it("funds below the bill pay part of it; an overdue bill's charge to date is charged and paid first", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const b = await releaseBill(s, c, { period: "2026-09", amount: "150.00", dueDate: "2026-10-25" });
    // funds arriving for another customer number and moved here are modelled by a payment made
    // before the bill existed: the payment goes wholly to prepaid funds
    await pool.query(`update bill set status = 'DRAFT' where id = $1`, [b]);
    await pay(s, c, 100, "2026-10-01");
    await pool.query(`update bill set status = 'RELEASED' where id = $1`, [b]);
    const out = await settle(s, [c], "2026-11-22");
    expect(out).toEqual({ customers: 1, applied: 10000, feeCharged: 420, clawedBack: 0, settledBillIds: [] }); // 28 days × 0.001 × 150.00
    expect(await billRow(b)).toEqual({ paid: "95.80", settled: null, through: "2026-11-22" });
    expect(await balanceOf(c)).toBe("54.20");
    expect((await amountDue(s.stationId, { customerId: c }, "2026-11-22"))!.total).toBe(5420);
    expect((await checkLedger(s.stationId)).problems).toEqual([]);
  });

  it("customers without funds or without open bills are left alone", async () => {
    const s = await makeStation();
    const a = await makeCustomer(s);
    const b = await makeCustomer(s);
    await releaseBill(s, a, { period: "2026-11", amount: "80.00", dueDate: "2026-12-20" });
    await pay(s, b, 30, "2026-11-01");
    expect((await settle(s, [a, b], "2026-11-20")).customers).toBe(0);
    expect(await credit(b)).toBe("30.00");
  });
});

describe("reversing a payment whose funds were spent", () => {
  it("funds pooled into a later payment: the bill they paid is open again, by exactly those funds", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const p1 = await pay(s, c, 100, "2026-11-01"); // overpayment: 100.00 of prepaid funds
    const b = await releaseBill(s, c, { period: "2026-11", amount: "150.00", issueDate: "2026-11-20", dueDate: "2026-12-20" });
    // released outside a run (no settle): the next payment pools the funds with its money
    const p2 = await pay(s, c, 50, "2026-11-21");
    expect(await billRow(b)).toMatchObject({ paid: "150.00", settled: "2026-11-21" });
    await reverse(s, p1.paymentId);
    expect(await billRow(b)).toMatchObject({ paid: "50.00", settled: null });
    expect(await credit(c)).toBe("0.00");
    expect(await balanceOf(c)).toBe("100.00");
    expect((await amountDue(s.stationId, { customerId: c }, "2026-11-25"))!.total).toBe(10000);
    expect((await paymentSums(s.stationId)).find((x) => x.id === p2.paymentId)).toMatchObject({ amount: "50.00", allocated: "50.00" });
    expect((await checkLedger(s.stationId)).problems).toEqual([]);
  });

  it("reversing the payment that used the funds gives them back to pay what is open", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    await pay(s, c, 100, "2026-11-01");
    const b = await releaseBill(s, c, { period: "2026-11", amount: "150.00", issueDate: "2026-11-20", dueDate: "2026-12-20" });
    const p2 = await pay(s, c, 50, "2026-11-21");
    await reverse(s, p2.paymentId);
    expect(await billRow(b)).toMatchObject({ paid: "100.00", settled: null });
    expect(await credit(c)).toBe("0.00");
    expect(await balanceOf(c)).toBe("50.00");
    expect((await checkLedger(s.stationId)).problems).toEqual([]);
  });

  it("funds applied at issue, then their payment reversed: the bill is owed in full again", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const p = await pay(s, c, 200, "2026-11-01");
    const b = await releaseBill(s, c, { period: "2026-11", amount: "150.00", issueDate: "2026-11-20", dueDate: "2026-12-20" });
    await settle(s, [c], "2026-11-20");
    await reverse(s, p.paymentId);
    expect(await billRow(b)).toMatchObject({ paid: "0.00", settled: null });
    expect(await getReceipt(s.stationId, p.paymentId)).toMatchObject({ status: "REVERSED", lines: [], toPrepaid: 20000 });
    expect(await credit(c)).toBe("0.00");
    expect(await balanceOf(c)).toBe("150.00");
    expect((await checkLedger(s.stationId)).problems).toEqual([]);
  });
});
