// The counter's figures (issue 5): search p95 at 1,000,000 customers, and sustained postings per
// second with 32 concurrent clients calling lib/data/payments.ts recordPayment over one pool
// (target ≥ 300/s with no duplicate). A tenth of the postings re-send an earlier idempotency key
// (a double click or a retry); afterwards the database must hold exactly one payment per key and
// the ledger check must pass for the station. Bounded in time (COUNTER_BENCH_SECONDS, default 20).
import pg from "pg";
import { ensureBenchBills, percentile } from "./counter-fixtures";
import { benchSearch, pickStation } from "./counter-search.bench";

export async function benchPostings(opts: { seconds?: number; clients?: number } = {}) {
  const clients = opts.clients ?? 32;
  const seconds = opts.seconds ?? Number(process.env.COUNTER_BENCH_SECONDS ?? 20);
  const want = Number(process.env.COUNTER_BENCH_CUSTOMERS ?? 1_000_000);
  // one pool for the whole "server", as many connections as clients
  (globalThis as { pool?: pg.Pool }).pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: clients });
  const admin = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const { stationId, customers } = await pickStation(admin, want);
  const billed = await ensureBenchBills(admin, stationId, 50_000);
  const ids = (await admin.query(
    `select customer_id id from bill where station_id = $1 and status = 'RELEASED' and settled_on is null order by customer_id limit 50000`, [stationId])).rows.map((r) => r.id as number);
  const { recordPayment } = await import("../lib/data/payments");
  const { checkLedger } = await import("../lib/data/ledger");
  const run = `bench-${Date.now()}`;
  const sent: { key: string; customerId: number; amount: number }[] = [];
  const lat: number[] = [];
  let ok = 0, dupAnswers = 0, errors = 0, seq = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, w) => {
    while (performance.now() < end) {
      // 1 in 10: re-send an earlier posting (same key, same amount) as a retry would
      const again = sent.length > 0 && (seq % 10 === 9);
      const p = again ? sent[(seq * 7919) % sent.length] : { key: `${run}-${w}-${seq}`, customerId: ids[(seq * 104729 + w) % ids.length], amount: 1000 + (seq % 50) * 100 };
      seq++;
      const s = performance.now();
      try {
        const r = await recordPayment({ stationId, target: { customerId: p.customerId }, amount: p.amount, channel: "COUNTER_CASH", idempotencyKey: p.key, clerkId: null });
        lat.push(performance.now() - s);
        if (r.duplicate) dupAnswers++;
        else { ok++; sent.push(p); }
      } catch (e) {
        errors++;
        if (errors < 5) console.error("  posting failed:", (e as Error).message);
      }
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  const db = (await admin.query(
    `select count(*)::int n, count(distinct idempotency_key)::int keys from payment where idempotency_key like $1`, [`${run}-%`])).rows[0];
  const check = await checkLedger(stationId);
  await admin.end();
  console.log(`postings: ${clients} concurrent clients, ${secs.toFixed(1)} s, station with ${customers.toLocaleString()} customers (${billed} bills added)`);
  console.log(`  ${ok} payments posted = ${(ok / secs).toFixed(0)} postings/s; ${dupAnswers} re-sent keys answered with the first payment; ${errors} errors`);
  console.log(`  latency p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms`);
  console.log(`  database: ${db.n} payments for ${db.keys} keys (${db.n === db.keys && db.n === ok ? "no duplicate" : "MISMATCH"}); ledger check ${check.ok ? "passes" : `FAILS (${check.problems.length} problems)`} over ${check.customers} customers`);
  return { perSecond: ok / secs, duplicates: db.n - db.keys, ledgerOk: check.ok };
}

export default async function main() {
  const s = await benchSearch();
  const p = await benchPostings();
  console.log(`summary: search p95 ${s.p95.toFixed(1)} ms at ${s.customers.toLocaleString()} customers (target < 50 ms); ${p.perSecond.toFixed(0)} postings/s with 32 clients (target ≥ 300), ${p.duplicates} duplicates, ledger ${p.ledgerOk ? "ok" : "NOT ok"}`);
}
