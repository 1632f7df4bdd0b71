// Counter search at scale: p50/p95/p99 of lib/data/customers.ts searchCustomers over a query mix
// (customer/payment/meter numbers, phone fragments, names, 2-character fragments, addresses,
// mixed), measured at the server (the data function against PostgreSQL), target p95 < 50 ms.
// Uses the station with the most customers when it has COUNTER_BENCH_CUSTOMERS (default
// 1,000,000, e.g. the demo generator's); otherwise tops up the CB01 fixture station to that size.
import pg from "pg";
import { ensureBenchCustomers, percentile } from "./counter-fixtures";

export async function pickStation(pool: pg.Pool, want: number) {
  const r = await pool.query(`select station_id, count(*)::int n from customer group by station_id order by n desc limit 1`);
  if (r.rows[0] && r.rows[0].n >= want) return { stationId: r.rows[0].station_id as number, customers: r.rows[0].n as number };
  const s = await ensureBenchCustomers(pool, want);
  return { stationId: s.stationId, customers: s.customers };
}

export async function sampleQueries(pool: pg.Pool, stationId: number, n: number): Promise<{ kind: string; q: string }[]> {
  const rows = (await pool.query(
    `select c.customer_no, c.name, c.phone, c.address, pa.payment_no,
            (select m.meter_no from meter_installation mi join meter m on m.id = mi.meter_id where mi.customer_id = c.id limit 1) meter_no
     from customer c left join payment_account pa on pa.id = c.payment_account_id
     where c.station_id = $1 and c.id in (select id from customer where station_id = $1 order by random() limit $2)`,
    [stationId, n])).rows;
  const pas = (await pool.query(`select payment_no from payment_account where station_id = $1 order by random() limit 20`, [stationId])).rows;
  const out: { kind: string; q: string }[] = [];
  const street = (a: string) => (/^(.+?[路街道村巷])/.exec(a)?.[1] ?? a.slice(0, 3));
  rows.forEach((r, i) => {
    const name: string = r.name;
    const qs: [string, string][] = [
      ["customer no.", r.customer_no],
      ["customer no. prefix", r.customer_no.slice(0, 7)],
      ["phone", r.phone ?? ""],
      ["phone last 4", (r.phone ?? "").slice(-4)],
      ["phone prefix 7", (r.phone ?? "").slice(0, 7)],
      ["name", name],
      ["name 2 chars", name.length >= 3 ? name.slice(1, 3) : name],
      ["address street", street(r.address)],
      ["address 2 chars", street(r.address).slice(0, 2)],
      ["address fragment", r.address.slice(-8, -2)],
      ["mixed name + street", `${name.slice(0, 2)} ${street(r.address)}`],
      ["mixed surname + house", `${name.slice(0, 1)} ${r.address.slice(0, 8)}`],
    ];
    if (r.meter_no) qs.push(["meter no.", r.meter_no]);
    if (pas[i % Math.max(1, pas.length)]) qs.push(["payment no.", pas[i % pas.length].payment_no]);
    for (const [kind, q] of qs) if (q) out.push({ kind, q });
  });
  return out;
}

export async function benchSearch(opts: { customers?: number; samples?: number } = {}) {
  const want = opts.customers ?? Number(process.env.COUNTER_BENCH_CUSTOMERS ?? 1_000_000);
  const admin = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const { stationId, customers } = await pickStation(admin, want);
  const queries = await sampleQueries(admin, stationId, opts.samples ?? 60);
  await admin.end();
  const { searchCustomers } = await import("../lib/data/customers");
  for (const q of queries.slice(0, 30)) await searchCustomers(stationId, q.q); // warm the cache
  const times: number[] = [];
  const byKind = new Map<string, number[]>();
  let empty = 0;
  const deadline = performance.now() + 60_000; // bounded in time
  for (const q of queries) {
    if (performance.now() > deadline) break;
    const t0 = performance.now();
    const r = await searchCustomers(stationId, q.q);
    const ms = performance.now() - t0;
    if (r.hits.length === 0) empty++;
    times.push(ms);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
  }
  console.log(`search over ${customers.toLocaleString()} customers (station ${stationId}): ${times.length} queries, ${empty} with no hit`);
  console.log(`  p50 ${percentile(times, 50).toFixed(1)} ms   p95 ${percentile(times, 95).toFixed(1)} ms   p99 ${percentile(times, 99).toFixed(1)} ms   max ${Math.max(...times).toFixed(1)} ms`);
  for (const [k, xs] of byKind) console.log(`  ${k.padEnd(24)} p95 ${percentile(xs, 95).toFixed(1).padStart(6)} ms  (n=${xs.length})`);
  return { customers, p95: percentile(times, 95), p50: percentile(times, 50), empty, n: times.length };
}

export default async function main() {
  await benchSearch();
}
