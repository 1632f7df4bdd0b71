// Collected-readings import at scale (issue 3): a 1,000,000-row CSV through the same code the
// page uses (lib/data/imports.ts: csv-parse → COPY into a temp table → set-based checks →
// one insert), target under 60 s. Then the same file with one bad row at the end: it must be
// refused with nothing imported. Runs in a scratch database next to DATABASE_URL's
// (<name>_readings_bench: fixtures are built once with set-based SQL and kept for reruns).
//   READINGS_BENCH_ROWS (default 1000000), READINGS_BENCH_REFUSAL=0 to skip the refusal run.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const ROWS = Number(process.env.READINGS_BENCH_ROWS ?? 1_000_000);
const PERIOD = "2026-10";
const PREV = "2026-09";
const OUT = path.join(path.dirname(new URL(import.meta.url).pathname), "out");

/** lib/data modules import "server-only" (it throws outside Next's server bundle): map it to an
 *  empty module for this process before importing them. */
// the database the run was started with (a bench switches DATABASE_URL to its scratch one)
const START_URL = process.env.DATABASE_URL!;

export async function scratchDatabase(suffix: string): Promise<string> {
  const base = new URL(START_URL);
  const name = `${base.pathname.slice(1)}_${suffix}`;
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  const exists = (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount;
  if (!exists) await c.query(`create database "${name}"`);
  await c.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const { migrate } = await import("../scripts/lib/migrate");
  migrate(url.toString(), true);
  return url.toString();
}

/** N customers on N/500 routes (reading days 17–20), one meter each, a reading for PREV. */
export async function readingsFixture(db: pg.Pool, n: number, log = console.log) {
  const have = await db.query<{ id: number; n: number }>(
    `select s.id, (select count(*)::int from customer c where c.station_id = s.id) as n from station s where code = 'RB01'`);
  if (have.rows[0] && have.rows[0].n >= n) {
    await prevReadings(db, have.rows[0].id);
    return have.rows[0].id;
  }
  const t0 = performance.now();
  const st = have.rows[0]?.id ?? (await db.query<{ id: number }>(
    `insert into station (code, name) values ('RB01', '基准测试所') returning id`)).rows[0].id;
  await db.query(`insert into app_user (station_id, username, name, password_hash, role, updated_at)
                  values ($1, 'bench-auditor', '基准核算员', 'x', 'AUDITOR', now()), ($1, 'bench-reader', '基准抄表员', 'x', 'READER', now())
                  on conflict (username) do nothing`, [st]);
  const tariff = (await db.query<{ id: number }>(
    `insert into tariff (code, name, category) values ('RB-RES', '居民', 'RESIDENTIAL')
     on conflict (code) do update set code = excluded.code returning id`)).rows[0].id;
  const one = async (sql: string) => (await db.query<{ id: number }>(sql, [st])).rows[0].id;
  const district = await one(`insert into district (station_id, code, name) values ($1, 'RB-D', '台区') on conflict (station_id, code) do update set name = excluded.name returning id`);
  const line = await one(`insert into line (station_id, code, name) values ($1, 'RB-L', '线路') on conflict (station_id, code) do update set name = excluded.name returning id`);
  const street = await one(`insert into street (station_id, name) values ($1, '街道') on conflict (station_id, name) do update set name = excluded.name returning id`);
  const routes = Math.ceil(n / 500);
  await db.query(
    `insert into route (station_id, code, name, reading_day, reader_id)
     select $1, 'RB' || lpad(g::text, 5, '0'), '段' || g, 17 + g % 4, (select id from app_user where username = 'bench-reader')
     from generate_series(1, $2::int) g on conflict (station_id, code) do nothing`, [st, routes]);
  const step = 200_000;
  for (let from = (have.rows[0]?.n ?? 0) + 1; from <= n; from += step) {
    const to = Math.min(n, from + step - 1);
    await db.query(
      `insert into customer (station_id, customer_no, name, address, category, usage_type, payment_method, district_id,
         line_id, street_id, route_id, route_seq, tariff_id, opened_on, updated_at, phone)
       select $1, 'RB' || lpad(g::text, 8, '0'), '客户' || g, '基准路' || g || '号', 'RESIDENTIAL', 'RESIDENTIAL', 'COUNTER',
              $4, $5, $6, r.id, (g - 1) % 500 + 1, $7, date '2015-01-01', now(), '139' || lpad(g::text, 8, '0')
       from generate_series($2::int, $3::int) g
       join route r on r.station_id = $1 and r.code = 'RB' || lpad(((g - 1) / 500 + 1)::text, 5, '0')`,
      [st, from, to, district, line, street, tariff]);
    await db.query(`insert into meter (station_id, meter_no, digits) select $1, 'RBM' || lpad(g::text, 9, '0'), 6 from generate_series($2::int, $3::int) g`, [st, from, to]);
    await db.query(
      `insert into meter_installation (customer_id, meter_id, installed_on, start_reading)
       select c.id, m.id, date '2015-01-01', 0 from generate_series($2::int, $3::int) g
       join customer c on c.station_id = $1 and c.customer_no = 'RB' || lpad(g::text, 8, '0')
       join meter m on m.station_id = $1 and m.meter_no = 'RBM' || lpad(g::text, 9, '0')`, [st, from, to]);
    log(`  fixture … ${to.toLocaleString()} customers (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await prevReadings(db, st);
  for (const t of ["customer", "meter", "meter_installation", "reading", "route"]) await db.query(`vacuum analyze ${t}`);
  return st;
}

/** Every installation's reading for PREV (the "last reading" the import compares with). */
async function prevReadings(db: pg.Pool, st: number) {
  await db.query(
    `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source)
     select $1, i.customer_id, i.id, $2::text, ($2::text || '-18')::date, ($2::text || '-18 09:00+08')::timestamptz,
            1000 + substr(m.meter_no, 4)::int % 997, 'REMOTE'
     from meter m join meter_installation i on i.meter_id = m.id
     where m.station_id = $1 on conflict do nothing`, [st, PREV]);
}

function writeFile(file: string, n: number, badLast: boolean) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, "meter_no,read_time,total,peak,valley\n");
  let buf = "";
  for (let g = 1; g <= n; g++) {
    const prev = 1000 + (g % 997); // not the installation id, but the same order of magnitude
    const total = prev + 150 + (g % 90);
    const day = 17 + (((g - 1) / 500) | 0) % 4;
    buf += `RBM${String(g).padStart(9, "0")},${PERIOD}-${day} 0${g % 10}:${String(g % 60).padStart(2, "0")}:00,${total}.${g % 100},${(total * 0.4) | 0},${(total * 0.5) | 0}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = "";
    }
  }
  if (badLast) buf += `RBM${String(1).padStart(9, "0")},${PERIOD}-18 10:00:00,12a4,,\n`;
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

export default async function bench() {
  const url = await scratchDatabase("readings_bench");
  process.env.DATABASE_URL = url; // lib/db reads it on first import
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  console.log(`database ${new URL(url).pathname.slice(1)}; rows ${ROWS.toLocaleString()}`);
  const stationId = await readingsFixture(admin, ROWS);
  // rerunnable: forget an earlier run's import of PERIOD (untimed)
  const del = await admin.query(`delete from reading where station_id = $1 and period = $2`, [stationId, PERIOD]);
  await admin.query(`delete from import_batch where station_id = $1`, [stationId]);
  if (del.rowCount) await admin.query(`vacuum analyze reading`);
  const auditor = (await admin.query<{ id: number }>(`select id from app_user where username = 'bench-auditor'`)).rows[0].id;
  const actor = { id: auditor, stationId, role: "AUDITOR" as const, name: "bench", username: "bench-auditor" };
  const { importCollectedReadings } = await import("../lib/data/imports");
  const now = new Date("2026-11-20T00:00:00Z");

  const good = path.join(OUT, `readings-${ROWS}.csv`);
  const t0 = performance.now();
  writeFile(good, ROWS, false);
  console.log(`file ${(fs.statSync(good).size / 1e6).toFixed(0)} MB written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  if (process.env.READINGS_BENCH_REFUSAL !== "0") {
    const bad = path.join(OUT, `readings-${ROWS}-bad.csv`);
    writeFile(bad, ROWS, true);
    const t1 = performance.now();
    const r = await importCollectedReadings(actor, { name: path.basename(bad), stream: fs.createReadStream(bad) }, now);
    const s = (performance.now() - t1) / 1000;
    const stored = Number((await admin.query(`select count(*) from reading where station_id = $1 and period = $2`, [stationId, PERIOD])).rows[0].count);
    console.log(`refusal: ${r.status}, ${r.rows.toLocaleString()} rows checked, rejected ${r.rejected} (${Object.entries(r.byCode).map(([k, v]) => `${k} ${v}`).join(", ")}), stored ${stored} — ${s.toFixed(1)} s ${JSON.stringify(r.steps)}`);
    if (r.status !== "REFUSED" || stored !== 0) throw new Error("refusal run imported something");
    fs.rmSync(bad);
  }

  const t2 = performance.now();
  const r = await importCollectedReadings(actor, { name: path.basename(good), stream: fs.createReadStream(good) }, now);
  const s = (performance.now() - t2) / 1000;
  const stored = Number((await admin.query(`select count(*) from reading where station_id = $1 and period = $2`, [stationId, PERIOD])).rows[0].count);
  console.log(`import: ${r.status}, ${r.accepted.toLocaleString()} rows in ${s.toFixed(1)} s = ${Math.round(r.accepted / s).toLocaleString()} rows/s (target < 60 s); stored ${stored.toLocaleString()} ${JSON.stringify(r.steps)}`);
  if (r.status !== "IMPORTED" || stored !== ROWS) throw new Error(`import failed: ${JSON.stringify(r.byCode)} ${r.message?.code ?? ""}`);
  fs.rmSync(good);
  await admin.end();
  // lib/db's pool stays open: bench/run.ts runs the next bench in this process and exits at the end
}
