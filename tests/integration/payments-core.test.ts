// recordPayment, reversal and waiver through approvals, the ledger check, month close: against
// a real PostgreSQL (this file's own database).
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { amountDue, recordPayment } from "@/lib/data/payments";
import { checkLedger, closeMonth, monthFigures } from "@/lib/data/ledger";
import { decideApproval, requestReversal, requestWaiver } from "@/lib/data/approvals";
import { balanceOf, counts, makeCustomer, makePaymentAccount, makeStation, releaseBill } from "./payments-fixtures";

const Y = (s: string) => Math.round(Number(s) * 100); // test-side yuan → fen for literals only
const key = () => `test-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const code = (e: unknown) => (e instanceof AppError ? e.code : String(e));

describe("recordPayment", () => {
  it("pays the total due: late fee charged on the overdue bill, bills settled, receipt numbered, ledger agrees", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const b1 = await releaseBill(s, c, { period: "2026-09", amount: "150.00", dueDate: "2026-10-25" });
    const b2 = await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2026-11-25" });
    const due = (await amountDue(s.stationId, { customerId: c }, "2026-11-22"))!;
    expect(due.bills.map((b) => [b.billId, b.fee])).toEqual([[b1, 420], [b2, 0]]); // contract example: 28 days, 4.20
    expect(due.total).toBe(15000 + 420 + 8000);
    const r = await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: due.total, channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" });
    expect(r.duplicate).toBe(false);
    expect(r.receiptNo).toMatch(new RegExp(`^${s.code}\\d{8}$`));
    expect(r.allocations).toEqual([
      { billId: b1, customerId: c, principal: 15000, lateFee: 420 },
      { billId: b2, customerId: c, principal: 8000, lateFee: 0 },
    ]);
    const bills = (await pool.query(`select id, paid_amount::text, settled_on::text, late_fee_through::text from bill where customer_id = $1 order by id`, [c])).rows;
    expect(bills).toEqual([
      { id: b1, paid_amount: "150.00", settled_on: "2026-11-22", late_fee_through: "2026-11-22" },
      { id: b2, paid_amount: "80.00", settled_on: "2026-11-22", late_fee_through: "2026-11-22" },
    ]);
    expect(await balanceOf(c)).toBe("0.00");
    const kinds = (await pool.query(`select kind::text, amount::text from ledger_entry where customer_id = $1 and kind <> 'BILL' order by id`, [c])).rows;
    expect(kinds).toEqual([{ kind: "LATE_FEE", amount: "4.20" }, { kind: "PAYMENT", amount: "-234.20" }]);
    const audit = (await pool.query(`select action from audit_log where target_type = 'payment' and target_id = $1`, [String(r.paymentId)])).rows;
    expect(audit).toEqual([{ action: "payment.record" }]);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("a partial payment settles the charge to date first; the rest of the principal accrues from the payment day", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const b = await releaseBill(s, c, { period: "2026-09", amount: "150.00", dueDate: "2026-10-25" });
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("50.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" });
    const row = (await pool.query(`select paid_amount::text, settled_on, late_fee_through::text from bill where id = $1`, [b])).rows[0];
    expect(row).toEqual({ paid_amount: "45.80", settled_on: null, late_fee_through: "2026-11-22" }); // 4.20 fee + 45.80
    // ten days later: 104.20 × 0.001 × 10 = 1.042 → 1.04 (the minimum does not apply: above 1.00)
    const due = (await amountDue(s.stationId, { customerId: c }, "2026-12-02"))!;
    expect(due.bills[0]).toMatchObject({ unpaid: 10420, feeAccrued: 104, feeOutstanding: 0, days: 10 });
    expect(due.total).toBe(10420 + 104);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("an overpayment becomes prepaid funds (a negative balance), used for the next bill at the next payment", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2026-11-25" });
    const r = await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("200.00"), channel: "WECHAT", idempotencyKey: key(), clerkId: null, valueDate: "2026-11-20" });
    expect(r.toPrepaid).toBe(12000);
    expect(await balanceOf(c)).toBe("-120.00");
    const b2 = await releaseBill(s, c, { period: "2026-11", amount: "90.00", dueDate: "2026-12-25" });
    const due = (await amountDue(s.stationId, { customerId: c }, "2026-12-20"))!;
    expect(due).toMatchObject({ total: 9000, prepaidFunds: 12000, payable: 0 });
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("10.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-12-20" });
    expect((await pool.query(`select paid_amount::text from bill where id = $1`, [b2])).rows[0].paid_amount).toBe("90.00");
    expect(await balanceOf(c)).toBe("-40.00");
    expect((await amountDue(s.stationId, { customerId: c }, "2026-12-20"))!.prepaidFunds).toBe(4000);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("paying by payment number settles all its customers, oldest bill first", async () => {
    const s = await makeStation();
    const pa = await makePaymentAccount(s, `P${s.code}`);
    const ids = [await makeCustomer(s, { paymentAccountId: pa }), await makeCustomer(s, { paymentAccountId: pa }), await makeCustomer(s, { paymentAccountId: pa })];
    for (const [i, id] of ids.entries()) await releaseBill(s, id, { period: "2026-10", amount: `${100 + i}.00`, dueDate: "2026-11-25" });
    const due = (await amountDue(s.stationId, { paymentAccountId: pa }, "2026-11-22"))!;
    expect(due.total).toBe(30300);
    const r = await recordPayment({ stationId: s.stationId, target: { paymentAccountId: pa }, amount: due.total, channel: "BANK_DEBIT", idempotencyKey: key(), clerkId: null, valueDate: "2026-11-22" });
    expect(new Set(r.allocations.map((a) => a.customerId))).toEqual(new Set(ids));
    for (const id of ids) expect(await balanceOf(id)).toBe("0.00");
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("the same idempotency key twice posts once and answers with the first payment; a reused key for another amount is refused", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2026-11-25" });
    const k = key();
    const input = { stationId: s.stationId, target: { customerId: c }, amount: Y("80.00"), channel: "COUNTER_CASH" as const, idempotencyKey: k, clerkId: s.clerk.id, valueDate: "2026-11-22" };
    const a = await recordPayment(input);
    const b = await recordPayment(input);
    expect(b).toMatchObject({ paymentId: a.paymentId, receiptNo: a.receiptNo, duplicate: true, amount: 8000 });
    expect((await counts(s.stationId)).payments).toBe(1);
    await expect(recordPayment({ ...input, amount: Y("81.00") })).rejects.toThrow(expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED" }));
    expect(await balanceOf(c)).toBe("0.00");
  });

  it("bad input changes nothing: zero, negative, absurd amounts, an unknown customer", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2026-11-25" });
    const before = await counts(s.stationId);
    const base = { stationId: s.stationId, target: { customerId: c }, channel: "COUNTER_CASH" as const, clerkId: s.clerk.id };
    for (const amount of [0, -100, 1.5, 1e15]) {
      const e = await recordPayment({ ...base, amount, idempotencyKey: key() }).catch((x) => x);
      expect(code(e)).toBe("PAYMENT_AMOUNT_INVALID");
    }
    expect(code(await recordPayment({ ...base, target: { customerId: 99_999_999 }, amount: 100, idempotencyKey: key() }).catch((x) => x))).toBe("CUSTOMER_NOT_FOUND");
    const other = await makeStation();
    expect(code(await recordPayment({ ...base, stationId: other.stationId, amount: 100, idempotencyKey: key() }).catch((x) => x))).toBe("CUSTOMER_NOT_FOUND");
    expect(await counts(s.stationId)).toEqual(before);
  });

  it("a closed account with arrears still accepts payment toward them, but not more", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { status: "CLOSED" });
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2026-11-25" });
    const e = await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("100.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" }).catch((x) => x);
    expect(code(e)).toBe("ACCOUNT_CLOSED_OVERPAY");
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("80.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" });
    expect(await balanceOf(c)).toBe("0.00");
  });
});

describe("exactly once under concurrency", () => {
  it("50 concurrent postings, a third of them duplicates of others: exactly the right total, no duplicate, ledger check passes", async () => {
    const s = await makeStation();
    const customers = [await makeCustomer(s), await makeCustomer(s), await makeCustomer(s), await makeCustomer(s), await makeCustomer(s)];
    for (const c of customers) await releaseBill(s, c, { period: "2026-10", amount: "500.00", dueDate: "2026-11-25" });
    const originals = Array.from({ length: 34 }, (_, i) => ({ key: `conc-${s.code}-${i}`, customer: customers[i % 5], amount: 1000 + i * 37 }));
    const dups = Array.from({ length: 16 }, (_, i) => originals[(i * 7) % 34]); // 16 of 50 repeat an earlier key
    const all = [...originals, ...dups].sort(() => Math.random() - 0.5);
    const results = await Promise.all(all.map((p) => recordPayment({
      stationId: s.stationId, target: { customerId: p.customer }, amount: p.amount, channel: "COUNTER_CASH", idempotencyKey: p.key, clerkId: s.clerk.id, valueDate: "2026-11-22",
    })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(34);
    const byKey = new Map<string, number>();
    all.forEach((p, i) => {
      const prev = byKey.get(p.key);
      if (prev !== undefined) expect(results[i].paymentId).toBe(prev); // a duplicate answers with the first payment
      byKey.set(p.key, results[i].paymentId);
    });
    const r = (await pool.query(`select count(*)::int n, sum(amount)::text total, count(distinct receipt_no)::int receipts from payment where station_id = $1`, [s.stationId])).rows[0];
    const expected = originals.reduce((t, p) => t + p.amount, 0);
    expect(r).toEqual({ n: 34, total: (expected / 100).toFixed(2), receipts: 34 });
    const ledger = (await pool.query(`select (-sum(amount))::text s from ledger_entry where station_id = $1 and kind = 'PAYMENT'`, [s.stationId])).rows[0].s;
    expect(ledger).toBe((expected / 100).toFixed(2));
    const check = await checkLedger(s.stationId);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
  });
});

describe("reversal (冲正) and waiver need a manager's approval", () => {
  it("a request changes nothing; the manager's approval posts opposite entries, never a deletion", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const b = await releaseBill(s, c, { period: "2026-09", amount: "150.00", dueDate: "2026-10-25" });
    const p = await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("154.20"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" });
    const before = await counts(s.stationId);
    const approvalId = await requestReversal(s.clerk, p.paymentId, "收错了户号");
    const after = await counts(s.stationId);
    expect({ ...after, approvals: 0 }).toEqual({ ...before, approvals: 0 });
    expect((await pool.query(`select status::text from payment where id = $1`, [p.paymentId])).rows[0].status).toBe("POSTED");
    // no reversal without the approval: the requester cannot decide, a clerk cannot decide, a second request is refused
    expect(code(await decideApproval(s.clerk, approvalId, true).catch((x) => x))).toBe("FORBIDDEN");
    expect(code(await requestReversal(s.clerk2, p.paymentId, "再来一次").catch((x) => x))).toBe("APPROVAL_ALREADY_PENDING");
    await decideApproval(s.manager, approvalId, true);
    expect((await pool.query(`select status::text from payment where id = $1`, [p.paymentId])).rows[0].status).toBe("REVERSED");
    expect((await pool.query(`select count(*)::int n from payment_allocation where payment_id = $1`, [p.paymentId])).rows[0].n).toBe(2); // original + opposite
    expect((await pool.query(`select paid_amount::text, settled_on from bill where id = $1`, [b])).rows[0]).toEqual({ paid_amount: "0.00", settled_on: null });
    // the charge collected at the payment is owed again, with the principal: 150.00 + 4.20
    expect(await balanceOf(c)).toBe("154.20");
    expect(code(await decideApproval(s.manager, approvalId, true).catch((x) => x))).toBe("APPROVAL_ALREADY_DECIDED");
    expect(code(await requestReversal(s.clerk, p.paymentId, "again").catch((x) => x))).toBe("PAYMENT_ALREADY_REVERSED");
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("a rejected reversal changes nothing", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const p = await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("20.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-11-22" });
    const id = await requestReversal(s.clerk, p.paymentId, "客户要求");
    await decideApproval(s.manager, id, false);
    expect((await pool.query(`select status::text from payment where id = $1`, [p.paymentId])).rows[0].status).toBe("POSTED");
    expect(await balanceOf(c)).toBe("-20.00");
  });

  it("a late-fee waiver, once approved, forgives the charge to the request day", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const b = await releaseBill(s, c, { period: "2025-09", amount: "150.00", dueDate: "2025-10-25" });
    const id = await requestWaiver(s.clerk, b, "供电企业原因导致账单未送达");
    const before = (await amountDue(s.stationId, { customerId: c }))!;
    expect(before.fees).toBeGreaterThan(0);
    await decideApproval(s.manager, id, true);
    const after = (await amountDue(s.stationId, { customerId: c }))!;
    expect(after.fees).toBe(0);
    expect(after.total).toBe(15000);
    const kinds = (await pool.query(`select kind::text from ledger_entry where customer_id = $1 order by id`, [c])).rows.map((r) => r.kind);
    expect(kinds).toEqual(["BILL", "LATE_FEE", "WAIVER"]);
    expect(await balanceOf(c)).toBe("150.00");
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });
});

describe("month close", () => {
  it("freezes a closed month's figures; later postings with old value dates book into the open month", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    await releaseBill(s, c, { period: "2026-09", amount: "100.00", dueDate: "2026-10-25", issueDate: "2026-10-10" });
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("60.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-10-20" });
    const frozen = await closeMonth(s.stationId, "2026-10", s.manager.id, "2026-11-22");
    expect(frozen).toMatchObject({ billed: "100.00", collected: "60.00", paidOfBilled: "60.00", recoveryRateBp: 6000 });
    // a payment with a value date in the closed month books into November
    await recordPayment({ stationId: s.stationId, target: { customerId: c }, amount: Y("40.00"), channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: s.clerk.id, valueDate: "2026-10-31" });
    const months = (await pool.query(`select book_month, value_date::text from ledger_entry where customer_id = $1 and kind = 'PAYMENT' order by id`, [c])).rows;
    expect(months).toEqual([{ book_month: "2026-10", value_date: "2026-10-20" }, { book_month: "2026-11", value_date: "2026-10-31" }]);
    expect(await monthFigures(pool, s.stationId, "2026-10")).toMatchObject({ collected: "60.00" });
    const stored = (await pool.query(`select figures from month_close where station_id = $1 and month = '2026-10'`, [s.stationId])).rows[0].figures;
    expect(stored.collected).toBe("60.00");
    expect(code(await closeMonth(s.stationId, "2026-10", s.manager.id, "2026-11-22").catch((x) => x))).toBe("MONTH_ALREADY_CLOSED");
    expect(code(await closeMonth(s.stationId, "2026-11", s.manager.id, "2026-11-22").catch((x) => x))).toBe("MONTH_NOT_ENDED");
  });
});
