// The billing run against a real database: expected bills for a small fixture, golden tariff
// cases priced through the run equal the calculator's output, reruns are idempotent, and a
// cancelled run resumed completes correctly. One test drives it through the pg-boss queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { executeBillingRun, BILLING_RUN_QUEUE } from "@/lib/jobs/billing-run";
import { runCalculator } from "@/lib/domain/calculators";
import { GOLDEN } from "../unit/billing-golden";
import { addCustomers, seedBillingBase, type BillingBase, type FixtureCustomer } from "./billing-fixtures";

const P = "2026-11";
let base: BillingBase;

async function newRun(period = P, routeIds: number[] = []) {
  const r = await pool.query<{ id: number }>(
    `insert into billing_run (station_id, period, route_ids) values ($1, $2, $3) returning id`,
    [base.stationId, period, routeIds],
  );
  return r.rows[0].id;
}

async function billsOf(customerIds: number[]) {
  const r = await pool.query(
    `select customer_id, period, version, kwh, amount::text, lines, status::text, estimated, due_date::text, tariff_version_id
       from bill where customer_id = any($1) and period = $2 order by customer_id`, [customerIds, P]);
  return r.rows;
}

async function exceptionsOf(customerIds: number[]) {
  const r = await pool.query<{ customer_id: number; code: string }>(
    `select customer_id, code from audit_exception where customer_id = any($1) and period = $2 order by customer_id, code`, [customerIds, P]);
  return r.rows;
}

const reads = (prev: string, cur: string, extra: Partial<FixtureCustomer["readings"][string]> = {}) => ({
  "2026-10": { total: prev }, [P]: { total: cur, ...extra },
});
const steady = (kwh: number) => Object.fromEntries(Array.from({ length: 12 }, (_, k) => {
  const m = 11 - k; // 2025-11 … 2026-10
  const d = new Date(Date.UTC(2026, 9 - m, 1));
  return [d.toISOString().slice(0, 7), kwh];
}));

beforeAll(async () => {
  base = await seedBillingBase(pool);
});

// Close this file's connections and let their sockets finish closing before the harness
// drops the database (a connection still closing when the drop terminates it errors).
afterAll(async () => {
  const g = globalThis as { pool?: { end(): Promise<void> } };
  await g.pool?.end().catch(() => {});
  delete g.pool;
  await new Promise((r) => setTimeout(r, 200));
});

describe("billing run", () => {
  it("a small fixture gives the expected bills, exceptions and held status", async () => {
    const ids = await addCustomers(pool, base, [
      // 0: ordinary 山东 monthly customer, 200 kWh, steady history → DRAFT
      { tariff: "SD-RES", readings: reads("1000", "1200"), history: steady(200) },
      // 1: rollover at 10^5, 25 kWh; steady history of 25 → DRAFT
      { tariff: "SD-RES", digits: 5, readings: reads("99990", "15", { reasonCode: "ROLLOVER" }), history: steady(25) },
      // 2: multiplier ×30, register +10 → 300 kWh, history 300 → DRAFT
      { tariff: "NONRES-FLAT", category: "NON_RESIDENTIAL", multiplier: 30, readings: reads("100", "110"), history: steady(300) },
      // 3: a residential home using a shop's kWh, and far above its history
      { tariff: "SD-RES", readings: reads("1000", "3500"), history: steady(200) },
      // 4: reading lower than last without a meter change
      { tariff: "SD-RES", readings: reads("5000", "4990"), history: steady(200) },
      // 5: estimated reading
      { tariff: "SD-RES", readings: reads("1000", "1200", { source: "ESTIMATED" }), history: steady(200) },
      // 6: read three days after the reading day
      { tariff: "SD-RES", readings: reads("1000", "1200", { readOn: "2026-11-21" }), history: steady(200) },
      // 7: not read this period → no bill
      { tariff: "SD-RES", readings: { "2026-10": { total: "1000" } }, history: steady(200) },
      // 8: new connection (first reading ever) → first-bill review
      { tariff: "SD-RES", installedOn: "2026-11-02", start: "3", readings: { [P]: { total: "63" } } },
    ]);
    const run = await newRun();
    const out = await executeBillingRun(pool, run, { asOf: "2026-11-19" });
    expect(out.status).toBe("COMPLETED");

    const bills = await billsOf(ids);
    const by = new Map(bills.map((b) => [b.customer_id, b]));
    expect(bills).toHaveLength(8);
    expect(by.has(ids[7])).toBe(false);
    // 200 kWh 山东: 200 × 0.5469 = 109.38
    expect(by.get(ids[0])).toMatchObject({ kwh: 200, amount: "109.38", status: "DRAFT", version: 1, due_date: "2026-11-30" });
    expect(by.get(ids[1])).toMatchObject({ kwh: 25, amount: "13.67", status: "DRAFT" }); // 13.6725
    expect(by.get(ids[2])).toMatchObject({ kwh: 300, status: "DRAFT" });
    // the NONRES-FLAT seed changes price on 2026-07-01; this interval is after it: 300 × 0.6394 = 191.82
    expect(by.get(ids[2]).amount).toBe("191.82");
    expect(by.get(ids[3])).toMatchObject({ kwh: 2500, status: "HELD" });
    expect(by.get(ids[4])).toMatchObject({ kwh: 0, status: "HELD" });
    expect(by.get(ids[5])).toMatchObject({ kwh: 200, status: "HELD", estimated: true });
    expect(by.get(ids[6])).toMatchObject({ status: "HELD" });
    expect(by.get(ids[8])).toMatchObject({ kwh: 60, status: "HELD" });

    const exc = await exceptionsOf(ids);
    const codes = (i: number) => exc.filter((e) => e.customer_id === ids[i]).map((e) => e.code);
    expect(codes(0)).toEqual([]);
    expect(codes(3)).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE", "RESIDENTIAL_BUSINESS_LEVEL"]);
    expect(codes(4)).toEqual(["HISTORY_LOW", "READING_LOWER"]);
    expect(codes(5)).toEqual(["ESTIMATED_READING"]);
    expect(codes(6)).toEqual(["OFF_READING_DAY"]);
    expect(codes(8)).toEqual(["FIRST_BILL_NEW_CONNECTION"]);

    const r = await pool.query(`select status::text, total, done, billed, held from billing_run where id = $1`, [run]);
    expect(r.rows[0]).toMatchObject({ status: "COMPLETED", done: r.rows[0].total, billed: 8, held: 5 });
  });

  it("golden tariff cases priced through the run equal the calculator's output", async () => {
    const list: FixtureCustomer[] = [];
    for (const g of GOLDEN) {
      const t = await pool.query<{ id: number }>(
        `insert into tariff (code, name, category) values ($1::text, $1::text, 'RESIDENTIAL') returning id`, [`G-${list.length}`]);
      await pool.query(`insert into tariff_version (tariff_id, effective_from, definition) values ($1, '2020-01-01', $2)`,
        [t.rows[0].id, JSON.stringify(g.tariff)]);
      const tou = !!g.tariff.timeOfUse;
      const u = g.usage;
      // registers: previous 1000 (peak 400), current + kWh (+ peak kWh)
      const history: Record<string, number> = {};
      if (u.priorKwhInYear) history["2026-03"] = u.priorKwhInYear; // earlier in the tariff year (annual tiers)
      list.push({
        tariffId: t.rows[0].id, householdSize: u.householdSize, timeOfUse: tou,
        readings: {
          "2026-10": { total: "1000", peak: tou ? "400" : null },
          [P]: { total: String(1000 + u.kwh), peak: tou ? String(400 + (u.peakKwh ?? 0)) : null },
        },
        history,
      });
    }
    const ids = await addCustomers(pool, base, list);
    await executeBillingRun(pool, await newRun(), { asOf: "2026-11-19" });
    const bills = await billsOf(ids);
    expect(bills).toHaveLength(GOLDEN.length);
    GOLDEN.forEach((g, i) => {
      const calc = runCalculator("price-bill", JSON.stringify({ tariff: g.tariff, usage: g.usage }));
      expect(calc.ok).toBe(true);
      const out = (calc as { output: { lines: unknown[]; total: string } }).output;
      expect(bills[i].amount, g.name).toBe(out.total);
      expect(bills[i].amount, g.name).toBe(g.total);
      expect(bills[i].lines, g.name).toEqual(out.lines);
    });
  });

  it("a rerun is idempotent: same rows, no duplicates, nothing recomputed", async () => {
    const ids = await addCustomers(pool, base, [
      { tariff: "SD-RES", readings: reads("2000", "2300"), history: steady(300) },
      { tariff: "SD-RES", readings: reads("2000", "2100", { source: "ESTIMATED" }), history: steady(100) },
    ]);
    const run = await newRun();
    await executeBillingRun(pool, run, { asOf: "2026-11-19" });
    const before = { bills: await billsOf(ids), exc: await exceptionsOf(ids) };
    const ids1 = await pool.query(`select id from bill where customer_id = any($1) order by id`, [ids]);
    // rerun the same run, then a brand-new run for the same period
    await pool.query(`update billing_run set status = 'QUEUED' where id = $1`, [run]);
    await executeBillingRun(pool, run, { asOf: "2026-11-19" });
    const run2 = await newRun();
    const out2 = await executeBillingRun(pool, run2, { asOf: "2026-11-19" });
    expect({ bills: await billsOf(ids), exc: await exceptionsOf(ids) }).toEqual(before);
    expect((await pool.query(`select id from bill where customer_id = any($1) order by id`, [ids])).rows).toEqual(ids1.rows);
    expect(out2.billed).toBe(0);
    const dup = await pool.query(`select customer_id, period, count(*) from bill group by 1, 2 having count(*) > 1`);
    expect(dup.rowCount).toBe(0);
  });

  it("a cancelled run, resumed, completes with exactly the bills of an uninterrupted run", async () => {
    // its own route so the run sees only these 30 customers
    const route = await pool.query<{ id: number }>(
      `insert into route (station_id, code, name, reading_day) values ($1, 'RC', '取消测试', 18) returning id`, [base.stationId]);
    base.routeIds.push(route.rows[0].id);
    const ri = base.routeIds.length - 1;
    const ids = await addCustomers(pool, base, Array.from({ length: 30 }, (_, k) => ({
      tariff: "SD-RES", routeIndex: ri, readings: reads("1000", String(1000 + 100 + k)), history: steady(100 + k),
    })));
    const run = await newRun(P, [route.rows[0].id]);
    const first = await executeBillingRun(pool, run, {
      asOf: "2026-11-19", chunkSize: 7,
      // the auditor presses "stop" while the second chunk is being computed
      onChunk: async (done) => {
        if (done === 7) await pool.query(`update billing_run set status = 'CANCELLING' where id = $1`, [run]);
      },
    });
    expect(first.status).toBe("CANCELLED");
    const partial = (await billsOf(ids)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30);
    const st = await pool.query(`select status::text, done, total from billing_run where id = $1`, [run]);
    expect(st.rows[0].status).toBe("CANCELLED");
    expect(st.rows[0].done).toBeLessThan(st.rows[0].total);

    // rerun = queue it again; the worker resumes, skipping what is billed
    await pool.query(`update billing_run set status = 'QUEUED' where id = $1`, [run]);
    const second = await executeBillingRun(pool, run, { asOf: "2026-11-19", chunkSize: 7 });
    expect(second.status).toBe("COMPLETED");
    const bills = await billsOf(ids);
    expect(bills).toHaveLength(30);
    bills.forEach((b, k) => expect(b).toMatchObject({ kwh: 100 + k, version: 1 }));
    const end = await pool.query(`select status::text, done, total, billed from billing_run where id = $1`, [run]);
    expect(end.rows[0]).toMatchObject({ status: "COMPLETED", done: 30, total: 30, billed: 30 });
  });

  it("a bill written by someone else between read and write: the chunk falls back to ON CONFLICT, nothing doubled", async () => {
    const route = await pool.query<{ id: number }>(
      `insert into route (station_id, code, name, reading_day) values ($1, 'RF', '并发测试', 18) returning id`, [base.stationId]);
    base.routeIds.push(route.rows[0].id);
    const ids = await addCustomers(pool, base, Array.from({ length: 4 }, () => ({
      tariff: "SD-RES", routeIndex: base.routeIds.length - 1, readings: reads("1000", "1100"), history: steady(100),
    })));
    const run = await newRun(P, [route.rows[0].id]);
    const out = await executeBillingRun(pool, run, {
      asOf: "2026-11-19", chunkSize: 2,
      // chunk 2 (customers 3, 4) is already read when chunk 1 is written: bill customer 3 now
      onChunk: async (done) => {
        if (done === 2) {
          await pool.query(`insert into bill (station_id, customer_id, period, version, kwh, amount, lines, status, due_date)
                            values ($1, $2, $3, 1, 99, 9.99, '[]', 'DRAFT', '2026-11-30')`, [base.stationId, ids[2], P]);
        }
      },
    });
    expect(out).toMatchObject({ status: "COMPLETED", billed: 3 });
    const bills = await billsOf(ids);
    expect(bills.map((b) => b.kwh)).toEqual([100, 100, 99, 100]);
  });

  it("runs as a job on the pg-boss queue", async () => {
    const ids = await addCustomers(pool, base, [{ tariff: "SD-RES", readings: reads("0", "150"), history: steady(150) }]);
    const { startWorkers } = await import("@/lib/jobs/workers");
    const { sendJob, stopQueue } = await import("@/lib/jobs/queue");
    try {
      await startWorkers();
      const run = await newRun();
      await sendJob(BILLING_RUN_QUEUE, { runId: run });
      let status = "";
      for (let i = 0; i < 60 && status !== "COMPLETED"; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await pool.query(`select status::text from billing_run where id = $1`, [run])).rows[0].status;
      }
      expect(status).toBe("COMPLETED");
      expect(await billsOf(ids)).toHaveLength(1);
    } finally {
      await stopQueue();
    }
  });
});
