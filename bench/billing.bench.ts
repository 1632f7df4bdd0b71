// The billing run with the audit over 1,000,000 customers, end to end through the pg-boss queue.
//   npm run bench -- billing            (BENCH_BILLING_CUSTOMERS=… to change the size)
// Works in its own database <DATABASE_URL's name>_billing_bench on the same server (created and
// migrated here, never the development data). The customers, meters, readings of the previous
// and the billed period and 12 periods of billed history are generated once with COPY and kept;
// each bench run deletes the bench period's bills and runs billing again, then a rerun (which
// must insert nothing). Prints elapsed seconds, bills/second and peak RSS.
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

    // a clean slate for the bench period (not timed)
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
      return { s, nodeCpu: (c.user + c.system) / 1e6, pgCpu, ...row! };
    };
    const first = await runOnce("run");
    const exc = Number((await pool.query(`select count(*) as n from audit_exception where period = $1`, [PERIOD])).rows[0].n);
    const rerun = await runOnce("rerun");
    await stopQueue();
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
    console.log(`peak RSS of the bench process (worker included): ${rssMb.toFixed(0)} MB`);
  } finally {
    await pool.end();
  }
}
