// The audit worklist, release and corrections against a real database: clearing records who
// and why and unholds the bill; correcting a reading recomputes the bill like the run; changing
// the tariff reprices; proposing closure creates the workflow's records; release writes the BILL
// ledger entries and bill notices once; a released bill is corrected by reversal and rebill.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { executeBillingRun } from "@/lib/jobs/billing-run";
import { acceptMany, clearException } from "@/lib/data/audit-exceptions";
import { releaseRun } from "@/lib/data/billing";
import { getBill, reverseAndRebill } from "@/lib/data/bills";
import { localDate } from "@/lib/domain/calendar";
import { recordPayment } from "@/lib/data/payments";
import { checkLedger } from "@/lib/data/ledger";
import { addCustomers, seedBillingBase, type BillingBase } from "./billing-fixtures";

const P = "2026-11";
let base: BillingBase;
let actor: Actor;
let ids: number[];
let runId: number;

const reads = (prev: string, cur: string, extra = {}) => ({ "2026-10": { total: prev }, [P]: { total: cur, ...extra } });
const history = (kwh: number | number[]) => Object.fromEntries(Array.from({ length: 12 }, (_, k) => {
  const d = new Date(Date.UTC(2026, 9 - (11 - k), 1)).toISOString().slice(0, 7); // 2025-11 … 2026-10
  return [d, Array.isArray(kwh) ? kwh[k] : kwh];
}));

async function exc(customerId: number) {
  return (await pool.query<{ id: number; code: string; status: string; resolution: string | null; note: string | null; cleared_by: number | null }>(
    `select id, code, status::text as status, resolution, note, cleared_by from audit_exception where customer_id = $1 order by code`, [customerId])).rows;
}
async function bill(customerId: number) {
  return (await pool.query(`select id, version, status::text as status, kwh, amount::text as amount from bill where customer_id = $1 and period = $2 order by version`,
    [customerId, P])).rows;
}

beforeAll(async () => {
  base = await seedBillingBase(pool);
  const u = base.users.find((x) => x.role === "AUDITOR")!;
  actor = { id: u.id, stationId: base.stationId, role: "AUDITOR", name: u.name, username: u.username };
  ids = await addCustomers(pool, base, [
    /* 0 */ { tariff: "SD-RES", readings: reads("5000", "4990"), history: history(200) }, // reading lower
    /* 1 */ { tariff: "SD-RES", readings: reads("1000", "3500"), history: history(200) }, // a shop in a home
    /* 2 */ { tariff: "SD-RES", readings: reads("800", "800"), history: history([200, 200, 200, 200, 200, 200, 200, 0, 0, 0, 0, 0]) }, // 6th zero
    /* 3 */ { tariff: "SD-RES", readings: reads("1000", "1200", { source: "ESTIMATED" }), history: history(200) }, // estimated
    /* 4 */ { tariff: "SD-RES", readings: reads("1000", "1200"), history: history(200) }, // clean
    /* 5 */ { tariff: "SD-RES", readings: reads("1000", "1300", { readOn: "2026-11-22" }), history: history(300) }, // off day
  ]);
  runId = (await pool.query<{ id: number }>(`insert into billing_run (station_id, period) values ($1, $2) returning id`, [base.stationId, P])).rows[0].id;
  await executeBillingRun(pool, runId, { asOf: "2026-11-19" });
});

afterAll(async () => {
  const g = globalThis as { pool?: { end(): Promise<void> } };
  await g.pool?.end().catch(() => {});
  delete g.pool;
  await new Promise((r) => setTimeout(r, 200));
});

describe("audit worklist", () => {
  it("correcting a reading recomputes the bill and clears what no longer holds", async () => {
    const before = await exc(ids[0]);
    expect(before.map((e) => e.code)).toEqual(["HISTORY_LOW", "READING_LOWER"]);
    const lower = before.find((e) => e.code === "READING_LOWER")!;
    await clearException(actor, { resolution: "CORRECT_READING", exceptionId: lower.id, total: "5210", peak: "", note: "复抄确认读数为 5210" });
    expect(await bill(ids[0])).toMatchObject([{ kwh: 210, amount: "114.85", status: "DRAFT" }]); // 210 × 0.5469 = 114.849
    const after = await exc(ids[0]);
    expect(after.every((e) => e.status === "CLEARED" && e.resolution === "CORRECT_READING" && e.cleared_by === actor.id)).toBe(true);
    const logs = (await pool.query(`select action from audit_log where actor_id = $1 order by id`, [actor.id])).rows.map((r) => r.action);
    expect(logs).toEqual(expect.arrayContaining(["reading.correct", "bill.recompute", "audit.clear"]));
  });

  it("a residential customer at business level: change usage type and tariff reprices the bill", async () => {
    const e = (await exc(ids[1])).find((x) => x.code === "RESIDENTIAL_BUSINESS_LEVEL")!;
    await clearException(actor, { resolution: "CHANGE_TARIFF", exceptionId: e.id, usageType: "COMMERCIAL", tariffId: base.tariffId("NONRES-FLAT"), note: "现场为小超市" });
    const c = (await pool.query(`select category::text, usage_type::text, tariff_id from customer where id = $1`, [ids[1]])).rows[0];
    expect(c).toEqual({ category: "NON_RESIDENTIAL", usage_type: "COMMERCIAL", tariff_id: base.tariffId("NONRES-FLAT") });
    // 2500 kWh × 0.6394 (NONRES-FLAT from 2026-07-01) = 1598.50; the jump findings stay open
    expect(await bill(ids[1])).toMatchObject([{ kwh: 2500, amount: "1598.50", status: "HELD" }]);
    expect((await exc(ids[1])).filter((x) => x.status === "OPEN").map((x) => x.code)).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]);
  });

  it("six periods of zero: proposing closure creates the site check, the notice and the manager's approval", async () => {
    const e = (await exc(ids[2])).find((x) => x.code === "ZERO_CLOSURE")!;
    await clearException(actor, { resolution: "PROPOSE_CLOSURE", exceptionId: e.id, note: "连续六个月零电量" });
    expect((await pool.query(`select status::text from customer where id = $1`, [ids[2]])).rows[0].status).toBe("CLOSURE_PROPOSED");
    expect((await pool.query(`select purpose from visit where customer_id = $1`, [ids[2]])).rows).toEqual([{ purpose: "SITE_CHECK" }]);
    const notice = (await pool.query(`select template, dedupe_key, status from outbox_message where customer_id = $1`, [ids[2]])).rows;
    expect(notice).toEqual([{ template: "closure-notice", dedupe_key: `closure-notice:${ids[2]}:${P}`, status: "PENDING" }]);
    const ap = (await pool.query(`select kind, payload from approval where target_id = $1`, [ids[2]])).rows[0];
    expect(ap.kind).toBe("ACCOUNT_CLOSURE");
    expect(ap.payload).toMatchObject({ period: P, balanceHandling: "NONE" });
    await expect(clearException(actor, { resolution: "ACCEPT", exceptionId: e.id, note: "再次" })).rejects.toMatchObject({ code: "EXCEPTION_CLEARED" });
  });

  it("ordering a re-read keeps the bill held and plans a catch-up visit", async () => {
    const e = (await exc(ids[3])).find((x) => x.code === "ESTIMATED_READING")!;
    await clearException(actor, { resolution: "REREAD", exceptionId: e.id, note: "客户在家时复抄" });
    expect((await exc(ids[3]))[0]).toMatchObject({ status: "OPEN", resolution: "REREAD" });
    expect((await pool.query(`select purpose from visit where customer_id = $1`, [ids[3]])).rows).toEqual([{ purpose: "CATCH_UP_READING" }]);
    expect((await bill(ids[3]))[0].status).toBe("HELD");
  });

  it("bulk accept records one reason for each and unholds the bills", async () => {
    const e = await exc(ids[5]);
    expect(e.map((x) => x.code)).toEqual(["OFF_READING_DAY"]);
    const out = await acceptMany(actor, [e[0].id], "抄表员病假，延后三天抄表");
    expect(out.cleared).toBe(1);
    expect((await exc(ids[5]))[0]).toMatchObject({ status: "CLEARED", resolution: "ACCEPT", note: "抄表员病假，延后三天抄表" });
    expect((await bill(ids[5]))[0].status).toBe("DRAFT");
  });
});

describe("release and correction", () => {
  it("release issues the DRAFT bills once: BILL ledger entries, bill notices; held ones stay; prepaid funds pay their bill", async () => {
    // customer 5 paid 500.00 ahead at the counter: its bill is paid from those funds as it is issued
    await recordPayment({ stationId: base.stationId, target: { customerId: ids[5] }, amount: 50000, channel: "COUNTER_CASH", idempotencyKey: `ahead-${ids[5]}`, clerkId: actor.id });
    const first = await releaseRun(actor, runId);
    const statuses = new Map<number, string>();
    for (const id of ids) statuses.set(id, (await bill(id))[0].status);
    // 1: jump findings open; 2: the drop below its history still open; 3: re-read pending
    expect([...statuses.values()]).toEqual(["RELEASED", "HELD", "HELD", "HELD", "RELEASED", "RELEASED"]);
    expect(first.bills).toBe(3);
    const today = localDate(new Date(), "Asia/Shanghai");
    const led = (await pool.query(`select customer_id, kind::text, amount::text, value_date::text, book_month from ledger_entry where customer_id = any($1) and kind = 'BILL' order by customer_id`, [ids])).rows;
    expect(led).toHaveLength(3);
    expect(led.every((l) => l.kind === "BILL" && l.value_date === today && l.book_month === today.slice(0, 7))).toBe(true);
    expect(led.find((l) => l.customer_id === ids[4])!.amount).toBe("109.38");
    const prepaid = (await bill(ids[5]))[0];
    expect(first.prepaidCustomers).toBe(1);
    expect(first.prepaidApplied).toBe(prepaid.amount);
    expect((await pool.query(`select paid_amount::text paid, settled_on::text settled from bill where id = $1`, [prepaid.id])).rows[0]).toEqual({ paid: prepaid.amount, settled: today });
    expect((await checkLedger(base.stationId)).problems).toEqual([]);
    const texts = (await pool.query(`select customer_id, content from outbox_message where template = 'bill-notice' and customer_id = any($1)`, [ids])).rows;
    expect(texts.filter((x) => x.content.includes("已从您的预存电费中扣除")).map((x) => x.customer_id)).toEqual([ids[5]]);
    expect(texts.find((x) => x.customer_id === ids[5])!.content).toContain(prepaid.amount);
    const notices = (await pool.query(`select count(*)::int as n from outbox_message where template = 'bill-notice' and customer_id = any($1)`, [ids])).rows[0].n;
    expect(notices).toBe(3);
    // again: nothing new
    const second = await releaseRun(actor, runId);
    expect(second.bills).toBe(0);
    expect((await pool.query(`select count(*)::int as n from ledger_entry where customer_id = any($1) and kind = 'BILL'`, [ids])).rows[0].n).toBe(3);
  });

  it("a released bill is corrected by reversal and rebill, never edited", async () => {
    const old = (await bill(ids[4]))[0];
    const out = await reverseAndRebill(actor, { billId: old.id, total: "1250", note: "客户投诉抄错，核实为 1250" });
    const versions = await bill(ids[4]);
    expect(versions).toMatchObject([
      { id: old.id, version: 1, status: "REVERSED", kwh: 200, amount: "109.38" },
      { id: out.id, version: 2, status: "RELEASED", kwh: 250, amount: "138.73" }, // 210 × 0.5469 = 114.85 + 40 × 0.5969 = 23.88
    ]);
    const led = (await pool.query(`select kind::text, amount::text, bill_id from ledger_entry where customer_id = $1 order by id`, [ids[4]])).rows;
    expect(led).toEqual([
      { kind: "BILL", amount: "109.38", bill_id: old.id },
      { kind: "REVERSAL", amount: "-109.38", bill_id: old.id },
      { kind: "BILL", amount: "138.73", bill_id: out.id },
    ]);
    const logs = (await pool.query(`select action, reason from audit_log where target_type = 'bill' and target_id in ($1, $2) order by id`, [String(old.id), String(out.id)])).rows;
    expect(logs.map((l) => l.action)).toEqual(["bill.reverse", "bill.rebill"]);
    expect(logs.every((l) => l.reason === "客户投诉抄错，核实为 1250")).toBe(true);
    await expect(reverseAndRebill(actor, { billId: old.id, note: "再冲一次" })).rejects.toMatchObject({ code: "BILL_NOT_RELEASED" });
    const page = await getBill(actor, out.id);
    expect(page).toMatchObject({ version: 2, kwh: 250, reversalOfId: old.id, readings: [{ previous: "1000.00", current: "1250.00" }] });
    expect(page!.history.at(-1)).toEqual({ period: P, kwh: 250 });
    expect(page!.history.filter((h) => h.kwh !== null)).toHaveLength(12);
  });
  it("a paid bill is corrected too: what was paid pays the rebill, the difference stays as prepaid funds", async () => {
    // customer 4's version 2 (138.73) paid in full at the counter, then found overstated
    const v2 = (await bill(ids[4])).at(-1)!;
    const p = await recordPayment({ stationId: base.stationId, target: { customerId: ids[4] }, amount: 13873, channel: "COUNTER_CASH", idempotencyKey: `pay-${v2.id}`, clerkId: actor.id });
    expect(p.allocations).toEqual([{ billId: v2.id, customerId: ids[4], principal: 13873, lateFee: 0 }]);
    const out = await reverseAndRebill(actor, { billId: v2.id, total: "1200", note: "复核：实际读数 1200" });
    expect(out).toMatchObject({ version: 3, amount: "109.38", paidFromPrepaid: "109.38" }); // 200 kWh again
    const rows = (await pool.query(`select id, status::text status, paid_amount::text paid, settled_on is not null settled from bill where customer_id = $1 and period = $2 order by version`, [ids[4], P])).rows;
    expect(rows.slice(1)).toEqual([
      { id: v2.id, status: "REVERSED", paid: "0.00", settled: false },
      { id: out.id, status: "RELEASED", paid: "109.38", settled: true },
    ]);
    const funds = (await pool.query(`select sum(principal)::text s from payment_allocation where customer_id = $1 and bill_id is null`, [ids[4]])).rows[0].s;
    expect(funds).toBe("29.35"); // 138.73 − 109.38
    expect((await pool.query(`select coalesce(sum(amount), 0)::text s from ledger_entry where customer_id = $1`, [ids[4]])).rows[0].s).toBe("-29.35");
    const pay = (await pool.query(`select sum(principal + late_fee)::text s from payment_allocation where payment_id = $1`, [p.paymentId])).rows[0].s;
    expect(pay).toBe("138.73");
    expect((await checkLedger(base.stationId)).problems).toEqual([]);
  });
});
