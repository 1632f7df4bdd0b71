// The billing run with the audit over 1,000,000 customers, end to end through the pg-boss queue.
//   npm run bench -- billing            (BENCH_BILLING_CUSTOMERS=… to change the size)
// Works in its own database <DATABASE_URL's name>_billing_bench on the same server (created and
// migrated here, never the development data). The customers, meters, readings of the previous
// and the billed period and 12 periods of billed history are generated once with COPY and kept;
// each bench run deletes the bench period's bills and runs billing again, then a rerun (which
// must insert nothing), then releases the run with prepaid funds for one customer in twenty.
// Prints elapsed seconds, bills/second and peak RSS.
import fs from "node:fs";
import pg from "pg";
import { createDatabaseIfMissing } from "../scripts/lib/embedded-db";
import { migrate } from "../scripts/lib/migrate";
import { bulkCustomers, seedBillingBase } from "../tests/integration/billing-fixtures";

const PERIOD = "2026-11";

/** CPU seconds (user + system) of the PostgreSQL backends serving a database, by pid. */
async function backendCpu(pool: pg.Pool, db: string): Promise<Map<number, number>> {
  const pids = (await pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1`, [db])).rows;
  const hz = 100; // USER_HZ on Linux
  const out = new Map<number, number>();
  for (const { pid } of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      out.set(pid, (Number(f[11]) + Number(f[12])) / hz);
    } catch {
      // not on this machine's /proc (remote server) or already gone
    }
  }
  return out;
}
const TIME_LIMIT_S = 600;

export default async function billingBench() {
  const n = Number(process.env.BENCH_BILLING_CUSTOMERS ?? 1_000_000);
  const src = process.env.DATABASE_URL;
  if (!src) throw new Error("DATABASE_URL is not set (run through npm run bench)");
  const u = new URL(src);
  u.pathname = `${u.pathname.slice(1)}_billing_bench`;
  const url = u.toString();
  await createDatabaseIfMissing(url);
  migrate(url, true);
  process.env.DATABASE_URL = url; // the queue and its worker connect here
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  try {
    const have = Number((await pool.query(`select count(*) as n from customer`)).rows[0].n);
    const base = await seedBillingBase(pool, 50, 18);
    if (have < n) {
      const t = performance.now();
      console.log(`generating ${n - have} customers with 12 periods of history (once; kept for later runs)…`);
      await bulkCustomers(pool, base, n - have, PERIOD, 42 + have, (m) => console.log(`  ${m}`));
      console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    const customers = Number((await pool.query(`select count(*) as n from customer where station_id = $1`, [base.stationId])).rows[0].n);

    // a clean slate for the bench period (not timed): an earlier bench's release and funds too
    await pool.query(`delete from outbox_message where template = 'bill-notice' and station_id = $1`, [base.stationId]);
    await pool.query(`delete from payment_allocation where bill_id in (select id from bill where period = $1)
                         or payment_id in (select id from payment where idempotency_key like 'bench-funds-%')`, [PERIOD]);
    await pool.query(`delete from ledger_entry where bill_id in (select id from bill where period = $1)
                         or payment_id in (select id from payment where idempotency_key like 'bench-funds-%')`, [PERIOD]);
    await pool.query(`delete from payment where idempotency_key like 'bench-funds-%'`);
    await pool.query(`delete from audit_exception where period = $1`, [PERIOD]);
    await pool.query(`delete from bill where period = $1`, [PERIOD]);
    await pool.query(`delete from billing_run`);
    await pool.query(`vacuum analyze bill`);
    await pool.query(`vacuum analyze audit_exception`);

    const { startWorkers } = await import("../lib/jobs/workers");
    const { sendJob, stopQueue } = await import("../lib/jobs/queue");
    const { BILLING_RUN_QUEUE } = await import("../lib/jobs/billing-run");
    await startWorkers();
    const dbName = u.pathname.slice(1);
    const runOnce = async (label: string) => {
      const cpu0 = process.cpuUsage();
      const pg0 = await backendCpu(pool, dbName);
      const run = (await pool.query<{ id: number }>(
        `insert into billing_run (station_id, period) values ($1, $2) returning id`, [base.stationId, PERIOD])).rows[0].id;
      const t0 = performance.now();
      await sendJob(BILLING_RUN_QUEUE, { runId: run });
      let row: { status: string; done: number; total: number; billed: number; held: number } | undefined;
      let last = -1;
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        row = (await pool.query(`select status::text, done, total, billed, held from billing_run where id = $1`, [run])).rows[0];
        if (row!.done !== last && row!.done % 200_000 < 25_000) {
          last = row!.done;
          process.stdout.write(`  ${label}: ${row!.done}/${row!.total}\r`);
        }
        if (["COMPLETED", "FAILED", "CANCELLED"].includes(row!.status)) break;
        if ((performance.now() - t0) / 1000 > TIME_LIMIT_S) throw new Error(`billing run over ${TIME_LIMIT_S} s: stopped`);
      }
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(cpu0);
      const pg1 = await backendCpu(pool, dbName);
      let pgCpu = 0;
      for (const [pid, v] of pg1) pgCpu += v - (pg0.get(pid) ?? 0);
      return { s, nodeCpu: (c.user + c.system) / 1e6, pgCpu, runId: run, ...row! };
    };
    const first = await runOnce("run");
    const exc = Number((await pool.query(`select count(*) as n from audit_exception where period = $1`, [PERIOD])).rows[0].n);
    const rerun = await runOnce("rerun");
    await stopQueue();

    // release (电费发行): every DRAFT bill of the run issued in one transaction (status, BILL
    // ledger entry, notice in the outbox); one customer in twenty holds 200.00 of prepaid funds,
    // which pay their bill as it is issued (settleCredit). Funds written in bulk, not timed.
    const funds = await pool.query(
      `with c as (select id from customer where station_id = $1 and id % 20 = 0),
       p as (insert into payment (station_id, customer_id, amount, channel, idempotency_key, value_date)
             select $1, id, 200, 'COUNTER_CASH', 'bench-funds-' || id, date '2026-11-01' from c returning id, customer_id),
       a as (insert into payment_allocation (payment_id, customer_id, bill_id, principal) select id, customer_id, null, 200 from p)
       insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, payment_id)
       select $1, customer_id, 'PAYMENT', -200, date '2026-11-01', '2026-11', id from p`, [base.stationId]);
    await pool.query(`vacuum analyze payment_allocation`);
    const { releaseRun } = await import("../lib/data/billing");
    const tr = performance.now();
    const rel = await releaseRun({ id: base.auditorId, stationId: base.stationId, role: "AUDITOR", name: "bench", username: "bench" }, first.runId);
    const releaseS = (performance.now() - tr) / 1000;
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`customers: ${customers}`);
    console.log(`billing run (queue → read → price → audit → COPY): ${first.status}, ${first.s.toFixed(1)} s`);
    console.log(`  bills: ${first.billed} (${first.held} held by ${exc} audit exceptions)`);
    console.log(`  bills/second: ${Math.round(first.billed / first.s)}`);
    console.log(`  CPU used: Node ${first.nodeCpu.toFixed(1)} s, PostgreSQL ${first.pgCpu.toFixed(1)} s ` +
      `(on an otherwise idle 2-core machine the run cannot take less than ${Math.max(first.nodeCpu, first.pgCpu, (first.nodeCpu + first.pgCpu) / 2).toFixed(1)} s)`);
    const load = fs.existsSync("/proc/loadavg") ? fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") : "?";
    console.log(`  machine load average during the bench: ${load} (other processes share the 2 cores)`);
    console.log(`rerun (idempotent): ${rerun.status}, ${rerun.s.toFixed(1)} s, new bills: ${rerun.billed} (CPU: Node ${rerun.nodeCpu.toFixed(1)} s, PostgreSQL ${rerun.pgCpu.toFixed(1)} s)`);
    console.log(`release: ${rel.bills} bills issued (${rel.notices} notices), ${releaseS.toFixed(1)} s, ${Math.round(rel.bills / releaseS)} bills/second; ` +
      `prepaid funds of ${funds.rowCount} customers paid ${rel.prepaidCustomers} bills (${rel.prepaidApplied} 元)`);
    console.log(`peak RSS of the bench process (worker included): ${rssMb.toFixed(0)} MB`);
  } finally {
    await pool.end();
  }
}
