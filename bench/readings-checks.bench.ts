// Reading-day checks over a 1,000,000-customer period (issue 3, target under 10 s): the same
// call the page makes (lib/data/reading-checks.ts: per-route aggregates + the first page of
// exception rows, one pass in SQL). Uses the scratch database of readings-import.bench.ts
// (<name>_readings_bench) and its fixture; the checked period gets a believable mix of readings
// (on the day, a day or more off, collected, estimated twice in a row, refused, not taken).
//   READINGS_BENCH_ROWS (default 1000000)
import pg from "pg";
import { readingsFixture, scratchDatabase } from "./readings-import.bench";

const ROWS = Number(process.env.READINGS_BENCH_ROWS ?? 1_000_000);
const PERIOD = "2026-07";
const BEFORE = "2026-06";

/** One reading per meter for BEFORE and PERIOD, by the customer number's last two digits:
 *  00–02 not taken, 03 refused (recorded, no value), 04–05 estimated (04 also the month before),
 *  06–09 read 2–3 days off, 10–29 collected remotely, the rest on the day or the day after. */
async function periodReadings(db: pg.Pool, stationId: number) {
  const have = Number((await db.query(`select count(*) from reading where station_id = $1 and period = $2`, [stationId, PERIOD])).rows[0].count);
  if (have > 0) return;
  const t0 = performance.now();
  for (const [period, estimatedOnly] of [[BEFORE, true], [PERIOD, false]] as const) {
    await db.query(
      `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source, reason_code)
       select $1, c.id, i.id, $2::text, s.day, t.read_at, t.total, t.source::"ReadingSource", t.reason
       from customer c
       join route r on r.id = c.route_id
       join meter_installation i on i.customer_id = c.id and i.removed_on is null
       cross join lateral (select ($2::text || '-' || lpad(r.reading_day::text, 2, '0'))::date as day, right(c.customer_no, 2)::int as k) s
       cross join lateral (select
           case when s.k = 3 then (s.day + time '10:00') at time zone 'Asia/Shanghai'
                when s.k in (4, 5) then null
                when s.k between 6 and 9 then (s.day + (2 + s.k % 2) + time '10:00') at time zone 'Asia/Shanghai'
                else (s.day + (s.k % 2) + time '09:00') at time zone 'Asia/Shanghai' end as read_at,
           case when s.k = 3 then null else 2000 + c.id % 500 end as total,
           case when s.k in (4, 5) then 'ESTIMATED' when s.k between 10 and 29 then 'REMOTE' else 'MANUAL' end as source,
           case when s.k = 3 then 'CUSTOMER_REFUSED' when s.k in (4, 5) then 'NO_ACCESS' end as reason) t
       where c.station_id = $1 and s.k >= 3 and ($3::boolean = false or s.k = 4)
       on conflict do nothing`, [stationId, period, estimatedOnly]);
  }
  await db.query(`vacuum analyze reading`);
  console.log(`  period readings written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

export default async function bench() {
  const url = await scratchDatabase("readings_bench");
  process.env.DATABASE_URL = url;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const stationId = await readingsFixture(admin, ROWS);
  await periodReadings(admin, stationId);
  const { runReadingChecks } = await import("../lib/data/reading-checks");
  for (const label of ["cold", "warm"]) {
    const t0 = performance.now();
    const r = await runReadingChecks(stationId, PERIOD, { kind: "station" }, { filter: "EXCEPTIONS", limit: 100 });
    const s = (performance.now() - t0) / 1000;
    const tot = r.total;
    console.log(`checks (${label}): ${tot.due.toLocaleString()} due, ${r.routes.length} routes, ${r.readers.length} readers — ` +
      `taken ${tot.taken.toLocaleString()}, on time ${tot.onTime.toLocaleString()}, estimated ${tot.estimated.toLocaleString()} ` +
      `(${tot.estimateExceptions.toLocaleString()} twice in a row), not taken ${tot.notTaken.toLocaleString()}; ` +
      `completion ${((tot.completionRate ?? 0) * 100).toFixed(1)}%, on time ${((tot.onTimeRate ?? 0) * 100).toFixed(1)}%; ` +
      `${r.rows.length} rows on the page; ${s.toFixed(2)} s (target < 10 s)`);
    if (tot.due < ROWS) throw new Error(`expected ${ROWS} meters due, got ${tot.due}`);
  }
  await admin.end();
  // lib/db's pool stays open: bench/run.ts runs the next bench in this process and exits at the end
}
