// 销户 end to end against a real database: proposed from the audit worklist, the site check's
// result (in use cancels; no access replans; vacant goes to the manager), the manager's approval
// (refused until the site check is done and every bill is released; a non-manager cannot), the
// refund of prepaid funds with a consistent ledger, arrears kept and still payable, and the
// closed customer gone from the next billing run and the reading route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { executeBillingRun } from "@/lib/jobs/billing-run";
import { acceptMany, clearException } from "@/lib/data/audit-exceptions";
import { releaseRun } from "@/lib/data/billing";
import { decideApproval } from "@/lib/data/approvals";
import { listClosureCases, recordSiteCheck, siteChecksFor } from "@/lib/data/closures";
import { payRefund } from "@/lib/data/refunds";
import { cashupDay } from "@/lib/data/cashup";
import { checkLedger, monthFigures } from "@/lib/data/ledger";
import { amountDue, recordPayment } from "@/lib/data/payments";
import { routeSheet } from "@/lib/data/readings";
import { localDate, periodOf } from "@/lib/domain/calendar";
import { addCustomers, seedBillingBase, staffOf, type BillingBase } from "./billing-fixtures";

const P = "2026-11";
const NEXT = "2026-12";
const today = () => localDate(new Date(), "Asia/Shanghai");
const code = (e: unknown) => (e instanceof AppError ? e.code : String(e));
const key = () => `closure-${Math.random().toString(36).slice(2)}-${Date.now()}`;

let base: BillingBase;
let auditor: Actor, manager: Actor, reader: Actor, reader2: Actor, clerk: Actor;
let runId: number;
// A: vacant, prepaid funds → refund · B: found in use · C: arrears · E: site check not done
// F: final bill still held by another exception · G: rejected by the manager · D: an ordinary customer
let A: number, B: number, C: number, D: number, E: number, F: number, G: number;

const history = (kwh: number[]) => Object.fromEntries(kwh.map((k, i) => {
  const d = new Date(Date.UTC(2025, 10 + i, 1)).toISOString().slice(0, 7); // 2025-11 … 2026-10
  return [d, k];
}));
const zeros = history(Array(12).fill(0));
const zeroRead = { "2026-10": { total: "800" }, [P]: { total: "800" } };

const one = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await pool.query(sql, args)).rows[0] as T;
const approvalOf = (customerId: number) => one<{ id: number; status: string; payload: Record<string, unknown> }>(
  `select id, status::text status, payload from approval where kind = 'ACCOUNT_CLOSURE' and target_id = $1 order by id desc limit 1`, [customerId]);
const statusOf = async (customerId: number) => (await one<{ s: string }>(`select status::text s from customer where id = $1`, [customerId])).s;
const balanceOf = async (customerId: number) => (await one<{ s: string }>(`select coalesce(sum(amount), 0)::text s from ledger_entry where customer_id = $1`, [customerId])).s;
const visitOf = async (customerId: number) => Number((await approvalOf(customerId)).payload.siteCheckVisitId);

beforeAll(async () => {
  base = await seedBillingBase(pool);
  ({ auditor, manager, reader, reader2, clerk } = staffOf(base));
  await pool.query(`update route set reader_id = $1 where id = $2`, [reader.id, base.routeIds[0]]);
  [A, B, C, D, E, F, G] = await addCustomers(pool, base, [
    { tariff: "SD-RES", readings: zeroRead, history: zeros },
    { tariff: "SD-RES", readings: zeroRead, history: zeros },
    { tariff: "SD-RES", readings: zeroRead, history: zeros },
    { tariff: "SD-RES", readings: { "2026-10": { total: "1000" }, [P]: { total: "1200" }, [NEXT]: { total: "1400" } }, history: history(Array(12).fill(200)) },
    { tariff: "SD-RES", readings: zeroRead, history: zeros },
    { tariff: "SD-RES", readings: zeroRead, history: history([200, 200, 200, 200, 200, 200, 200, 0, 0, 0, 0, 0]) },
    { tariff: "SD-RES", readings: zeroRead, history: zeros },
  ]);
  // C owes an old bill (released, with its BILL entry)
  const old = await one<{ id: number }>(
    `insert into bill (station_id, customer_id, period, kwh, amount, lines, status, issue_date, due_date, released_at)
     values ($1, $2, '2025-05', 160, '88.00', '[]', 'RELEASED', '2025-05-22', '2025-06-25', now()) returning id`, [base.stationId, C]);
  await pool.query(
    `insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id) values ($1, $2, 'BILL', '88.00', '2025-05-22', '2025-05', $3)`,
    [base.stationId, C, old.id]);
  runId = (await one<{ id: number }>(`insert into billing_run (station_id, period) values ($1, $2) returning id`, [base.stationId, P])).id;
  await executeBillingRun(pool, runId, { asOf: "2026-11-19" });
  for (const id of [A, B, C, E, F, G]) {
    const ex = (await pool.query(`select id, code from audit_exception where customer_id = $1 and status = 'OPEN' order by code`, [id])).rows;
    const z = ex.find((x) => x.code === "ZERO_CLOSURE");
    expect(z, `customer ${id}: ${JSON.stringify(ex)}`).toBeTruthy();
    await clearException(auditor, { resolution: "PROPOSE_CLOSURE", exceptionId: z.id, note: "连续六个月零电量，提出销户" });
    const others = ex.filter((x) => x.code !== "ZERO_CLOSURE").map((x) => x.id);
    if (id !== F && others.length) await acceptMany(auditor, others, "零电量属实");
  }
  expect((await pool.query(`select status::text s from bill where customer_id = $1 and period = $2`, [F, P])).rows[0].s).toBe("HELD");
  await releaseRun(auditor, runId);
  // A tops up 50.00 while the closure is pending: prepaid funds to refund
  await recordPayment({ stationId: base.stationId, target: { customerId: A }, amount: 5000, channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: clerk.id });
  expect(await balanceOf(A)).toBe("-50.00");
});

afterAll(async () => {
  const g = globalThis as { pool?: { end(): Promise<void> } };
  await g.pool?.end().catch(() => {});
  delete g.pool;
  await new Promise((r) => setTimeout(r, 200));
});

describe("the closures list", () => {
  it("shows every proposed customer with its steps and its balance", async () => {
    const cases = await listClosureCases(base.stationId);
    expect(cases.map((c) => c.customerId).sort((a, b) => a - b)).toEqual([A, B, C, E, F, G].sort((a, b) => a - b));
    const a = cases.find((c) => c.customerId === A)!;
    expect(a).toMatchObject({ approvalStatus: "PENDING", statusBefore: "ACTIVE", balance: -5000, pool: 5000, openPrincipal: 0, unreleased: [] });
    expect(a.visit).toMatchObject({ staffId: reader.id, doneAt: null });
    expect(a.notice).toMatchObject({ status: "PENDING" });
    expect(a.finalBill).toMatchObject({ period: P, status: "RELEASED" });
    const f = cases.find((c) => c.customerId === F)!;
    expect(f.unreleased).toEqual([{ period: P, status: "HELD", codes: ["HISTORY_LOW"] }]);
    expect(cases.find((c) => c.customerId === C)!.balance).toBe(8800);
    // the reader's list: his open site checks up to the planned day
    const mine = await siteChecksFor(reader, "2099-01-01");
    expect(mine.map((v) => v.customerId).sort((x, y) => x - y)).toEqual([A, B, C, E, F, G].sort((x, y) => x - y));
    expect(await siteChecksFor(reader2, "2099-01-01")).toEqual([]);
  });
});

describe("the site check", () => {
  it("only the assigned reader (or an auditor) records it; a register that moved on cannot be 'vacant'", async () => {
    const v = await visitOf(B);
    expect(code(await recordSiteCheck(reader2, { visitId: v, result: "VACANT", note: "空置", finalReading: null }).catch((e) => e))).toBe("VISIT_NOT_YOURS");
    const refused = await recordSiteCheck(reader, { visitId: v, result: "VACANT", note: "空置", finalReading: "812.00" }).catch((e) => e);
    expect(code(refused)).toBe("SITE_CHECK_READING_ADVANCED");
    expect((refused as AppError).params).toMatchObject({ last: "800.00", kwh: 12 });
    expect(code(await recordSiteCheck(reader, { visitId: v, result: "IN_USE", note: "读错", finalReading: "790.00" }).catch((e) => e))).toBe("SITE_CHECK_READING_LOWER");
    expect((await one<{ done_at: Date | null }>(`select done_at from visit where id = $1`, [v])).done_at).toBeNull();
  });

  it("found in use: the closure is withdrawn in one step, customer back to ACTIVE, notice withdrawn", async () => {
    const ap = await approvalOf(B);
    const noticeId = Number(ap.payload.noticeId);
    const r = await recordSiteCheck(reader, { visitId: await visitOf(B), result: "IN_USE", note: "已出租，租户正常用电", finalReading: "812.00" });
    expect(r).toMatchObject({ result: "IN_USE", customerStatus: "ACTIVE" });
    expect(await statusOf(B)).toBe("ACTIVE");
    expect(await approvalOf(B)).toMatchObject({ status: "CANCELLED" });
    expect((await one<{ status: string }>(`select status from outbox_message where id = $1`, [noticeId])).status).toBe("SUPPRESSED");
    const v = await one<{ outcome: string; note: string; final_reading: string; recorded_by: number }>(
      `select outcome, note, final_reading::text final_reading, recorded_by from visit where id = $1`, [await visitOf(B)]);
    expect(v).toEqual({ outcome: "IN_USE", note: "已出租，租户正常用电", final_reading: "812.00", recorded_by: reader.id });
    const logs = (await pool.query(`select action, before, after from audit_log where (target_type = 'customer' and target_id = $1) or (target_type = 'approval' and target_id = $2) order by id`,
      [String(B), String(ap.id)])).rows;
    expect(logs.map((l) => l.action)).toEqual(expect.arrayContaining(["customer.proposeClosure", "customer.cancelClosure", "approval.cancel"]));
    expect(logs.find((l) => l.action === "customer.cancelClosure")).toMatchObject({ before: { status: "CLOSURE_PROPOSED" }, after: { status: "ACTIVE" } });
    // withdrawn: nothing left to approve, nothing left to record
    expect(code(await decideApproval(manager, ap.id, true).catch((e) => e))).toBe("APPROVAL_ALREADY_DECIDED");
    expect(code(await recordSiteCheck(reader, { visitId: await visitOf(B), result: "VACANT", note: "再次", finalReading: null }).catch((e) => e))).toBe("SITE_CHECK_ALREADY_RECORDED");
  });
});

describe("the manager's approval", () => {
  it("is refused while the site check is not done (no access replans it); a non-manager cannot approve", async () => {
    const ap = await approvalOf(E);
    expect(code(await decideApproval(auditor, ap.id, true).catch((e) => e))).toBe("FORBIDDEN");
    expect(code(await decideApproval(manager, ap.id, true).catch((e) => e))).toBe("CLOSURE_SITE_CHECK_PENDING");
    const first = await visitOf(E);
    const r = await recordSiteCheck(auditor, { visitId: first, result: "NO_ACCESS", note: "铁门上锁，电话未接", finalReading: null });
    expect(r.result).toBe("NO_ACCESS");
    const second = await visitOf(E);
    expect(second).not.toBe(first);
    expect(await one(`select purpose, staff_id, done_at, planned_on::text > $2 later from visit where id = $1`, [second, today()]))
      .toEqual({ purpose: "SITE_CHECK", staff_id: reader.id, done_at: null, later: true });
    expect(code(await decideApproval(manager, ap.id, true).catch((e) => e))).toBe("CLOSURE_SITE_CHECK_PENDING");
    expect(await statusOf(E)).toBe("CLOSURE_PROPOSED");
    expect(await approvalOf(E)).toMatchObject({ status: "PENDING" });
  });

  it("a rejection withdraws the closure: customer back to ACTIVE, notice and open site check withdrawn", async () => {
    const ap = await approvalOf(G);
    const visit = await visitOf(G);
    await decideApproval(manager, ap.id, false, "户主来电，下月起出租，继续用电");
    expect(await approvalOf(G)).toMatchObject({ status: "REJECTED" });
    expect(await statusOf(G)).toBe("ACTIVE");
    expect((await one<{ status: string }>(`select status from outbox_message where id = $1`, [Number(ap.payload.noticeId)])).status).toBe("SUPPRESSED");
    expect(await one(`select outcome, done_at is not null done from visit where id = $1`, [visit])).toEqual({ outcome: "CANCELLED", done: true });
    const log = await one<{ reason: string; after: Record<string, unknown> }>(`select reason, after from audit_log where action = 'customer.cancelClosure' and target_id = $1`, [String(G)]);
    expect(log).toMatchObject({ reason: "户主来电，下月起出租，继续用电", after: { status: "ACTIVE", visitsCancelled: [visit] } });
  });

  it("is refused while the final bill is held by the audit; once cleared and released it goes through", async () => {
    await recordSiteCheck(reader, { visitId: await visitOf(F), result: "VACANT", note: "空置，户主同意", finalReading: "800.00" });
    const ap = await approvalOf(F);
    const held = await decideApproval(manager, ap.id, true).catch((e) => e);
    expect(code(held)).toBe("CLOSURE_BILL_HELD");
    expect((held as AppError).params).toEqual({ period: P });
    const ex = (await pool.query(`select id from audit_exception where customer_id = $1 and status = 'OPEN'`, [F])).rows.map((x) => x.id);
    await acceptMany(auditor, ex, "空置属实");
    await releaseRun(auditor, runId);
    await decideApproval(manager, ap.id, true);
    expect(await statusOf(F)).toBe("CLOSED");
  });

  it("vacant → approved: CLOSED today, prepaid funds refunded exactly, meter off, ledger consistent", async () => {
    await recordSiteCheck(reader, { visitId: await visitOf(A), result: "VACANT", note: "房屋空置，户主同意销户", finalReading: "800.00" });
    const ap = await approvalOf(A);
    await decideApproval(manager, ap.id, true, "同意");
    expect(await one(`select status::text status, closed_on::text closed_on from customer where id = $1`, [A])).toEqual({ status: "CLOSED", closed_on: today() });
    expect(await approvalOf(A)).toMatchObject({ status: "APPROVED" });
    const refund = await one<{ id: number; amount: string; channel: string; status: string; approval_id: number }>(
      `select id, amount::text amount, channel, status, approval_id from refund where customer_id = $1`, [A]);
    expect(refund).toMatchObject({ amount: "50.00", channel: "CASH", status: "PENDING", approval_id: ap.id });
    const entries = (await pool.query(`select kind::text, amount::text from ledger_entry where customer_id = $1 and kind = 'REFUND'`, [A])).rows;
    expect(entries).toEqual([{ kind: "REFUND", amount: "50.00" }]);
    expect(await balanceOf(A)).toBe("0.00");
    const pool_ = await one<{ s: string }>(`select coalesce(sum(principal + late_fee), 0)::text s from payment_allocation where customer_id = $1 and bill_id is null`, [A]);
    expect(pool_.s).toBe("0.00");
    const inst = await one(`select removed_on::text removed_on, final_reading::text final_reading, reason from meter_installation where customer_id = $1`, [A]);
    expect(inst).toEqual({ removed_on: today(), final_reading: "800.00", reason: "销户拆表" });
    const actions = (await pool.query(`select action from audit_log where actor_id = $1 order by id`, [manager.id])).rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["refund.create", "customer.close", "meter.remove", "approval.approve"]));
    const check = await checkLedger(base.stationId);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    // the closed account takes no new prepaid funds
    expect(code(await recordPayment({ stationId: base.stationId, target: { customerId: A }, amount: 100, channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: clerk.id }).catch((e) => e)))
      .toBe("ACCOUNT_CLOSED_OVERPAY");
  });

  it("the counter pays the refund out once; the cash-up and the month do not count it as collected", async () => {
    const r = await one<{ id: number }>(`select id from refund where customer_id = $1`, [A]);
    const before = await cashupDay(base.stationId, today(), { clerkId: null });
    const month = await monthFigures(pool, base.stationId, periodOf(today()));
    await payRefund(clerk, { refundId: r.id, channel: "CASH", reference: null });
    expect(code(await payRefund(clerk, { refundId: r.id, channel: "CASH", reference: null }).catch((e) => e))).toBe("REFUND_ALREADY_PAID");
    const after = await cashupDay(base.stationId, today(), { clerkId: clerk.id });
    expect(after.refunds).toMatchObject({ count: 1, amount: 5000, cashAmount: 5000 });
    expect(after.total).toBe(before.total); // collected money unchanged by paying a refund out
    expect(after.total).toBe(5000); // A's top-up
    const m = await monthFigures(pool, base.stationId, periodOf(today()));
    expect(m.collected).toBe(month.collected);
    expect(m.refunded).toBe("50.00");
    expect((await checkLedger(base.stationId)).ok).toBe(true);
  });

  it("the next billing run and the reading route skip the closed customer", async () => {
    const next = (await one<{ id: number }>(`insert into billing_run (station_id, period) values ($1, $2) returning id`, [base.stationId, NEXT])).id;
    await executeBillingRun(pool, next, { asOf: "2026-12-19" });
    const billed = (await pool.query(`select customer_id from bill where billing_run_id = $1`, [next])).rows.map((r) => r.customer_id);
    expect(billed).toContain(D);
    expect(billed).not.toContain(A);
    expect(billed).not.toContain(F);
    const run = await one<{ total: number }>(`select total from billing_run where id = $1`, [next]);
    const open = await one<{ n: number }>(`select count(*)::int n from customer where station_id = $1 and status <> 'CLOSED'`, [base.stationId]);
    expect(run.total).toBe(open.n);
    const sheet = await routeSheet(reader, base.routeIds[0], NEXT);
    const onSheet = sheet.meters.map((m) => m.customerId);
    expect(onSheet).toContain(D);
    expect(onSheet).not.toContain(A);
  });

  it("a closed account keeps its arrears and still takes payment toward them", async () => {
    await recordSiteCheck(reader, { visitId: await visitOf(C), result: "VACANT", note: "人已搬走，电话同意销户", finalReading: null });
    await decideApproval(manager, (await approvalOf(C)).id, true);
    expect(await statusOf(C)).toBe("CLOSED");
    expect(await one(`select count(*)::int n from refund where customer_id = $1`, [C])).toEqual({ n: 0 });
    expect(await balanceOf(C)).toBe("88.00");
    const close = await one<{ after: { arrears: string; refund: string } }>(`select after from audit_log where action = 'customer.close' and target_id = $1`, [String(C)]);
    expect(close.after).toMatchObject({ arrears: "88.00", refund: "0.00" });
    const due = (await amountDue(base.stationId, { customerId: C }))!;
    expect(due.principal).toBe(8800);
    expect(due.fees).toBeGreaterThan(0); // overdue since June 2025
    expect(code(await recordPayment({ stationId: base.stationId, target: { customerId: C }, amount: due.total + 100, channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: clerk.id }).catch((e) => e)))
      .toBe("ACCOUNT_CLOSED_OVERPAY");
    const p = await recordPayment({ stationId: base.stationId, target: { customerId: C }, amount: due.total, channel: "COUNTER_CASH", idempotencyKey: key(), clerkId: clerk.id });
    expect(p.toPrepaid).toBe(0);
    expect(await balanceOf(C)).toBe("0.00");
    expect((await checkLedger(base.stationId)).ok).toBe(true);
  });
});
