// Test data for the reader's end-to-end runs (and a handy dev fixture): a fresh route of the
// demo station read by the given reader, due today in the station's zone, with customers,
// meters and six months of readings. Plain pg, so it runs outside Next.
import pg from "pg";

export type ReaderRoute = { routeId: number; code: string; period: string; installationIds: number[]; meterNos: string[] };

function shanghaiToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

function addMonths(p: string, n: number): string {
  const idx = Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1 + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
}

export async function makeReaderRoute(url: string, opts: { username?: string; meters?: number; kwh?: number } = {}): Promise<ReaderRoute> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("begin");
    const u = await c.query<{ id: number; station_id: number }>(`select id, station_id from app_user where username = $1`, [opts.username ?? "reader"]);
    if (!u.rows[0]) throw new Error(`no user ${opts.username ?? "reader"}: run the base seed first`);
    const { id: readerId, station_id: stationId } = u.rows[0];
    const today = shanghaiToday();
    const period = today.slice(0, 7);
    const day = Math.min(28, Number(today.slice(8, 10)));
    const tag = `E2E${Date.now().toString(36).toUpperCase()}`;
    const one = async (sql: string, params: unknown[]) => (await c.query<{ id: number }>(sql, params)).rows[0].id;
    const tariffId = (await c.query<{ id: number }>(`select id from tariff order by id limit 1`)).rows[0]?.id
      ?? await one(`insert into tariff (code, name, category) values ($1, '居民', 'RESIDENTIAL') returning id`, [`T-${tag}`]);
    const districtId = await one(`insert into district (station_id, code, name) values ($1, $2, $3) returning id`, [stationId, tag, `${tag}台区`]);
    const lineId = await one(`insert into line (station_id, code, name) values ($1, $2, $3) returning id`, [stationId, tag, `${tag}线`]);
    const streetId = await one(`insert into street (station_id, name) values ($1, $2) returning id`, [stationId, `${tag}街`]);
    const routeId = await one(
      `insert into route (station_id, code, name, reading_day, reader_id) values ($1, $2, $3, $4, $5) returning id`,
      [stationId, tag, `测试抄表段${tag.slice(-4)}`, day, readerId]);
    const n = opts.meters ?? 6;
    const kwh = opts.kwh ?? 100;
    const installationIds: number[] = [];
    const meterNos: string[] = [];
    const surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    for (let i = 0; i < n; i++) {
      const customerId = await one(
        `insert into customer (station_id, customer_no, name, phone, address, category, usage_type, payment_method, district_id, line_id,
           street_id, route_id, route_seq, tariff_id, opened_on, updated_at)
         values ($1, $2, $3, $4, $5, 'RESIDENTIAL', 'RESIDENTIAL', 'COUNTER', $6, $7, $8, $9, $10, $11, '2020-01-01', now()) returning id`,
        [stationId, `${tag}${String(i).padStart(3, "0")}`, `${surnames[i % 10]}测试${i + 1}`, `1390000${String(i).padStart(4, "0")}`,
          `测试街${i + 1}号`, districtId, lineId, streetId, routeId, i + 1, tariffId]);
      const meterNo = `${tag}M${String(i).padStart(3, "0")}`;
      const meterId = await one(`insert into meter (station_id, meter_no, digits) values ($1, $2, 6) returning id`, [stationId, meterNo]);
      const instId = await one(
        `insert into meter_installation (customer_id, meter_id, installed_on, start_reading) values ($1, $2, '2020-01-01', 1000) returning id`,
        [customerId, meterId]);
      for (let k = 6; k >= 1; k--) {
        const p = addMonths(period, -k);
        await c.query(
          `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source)
           values ($1, $2, $3, $4, $5::date, ($5::date + time '10:00') at time zone 'Asia/Shanghai', $6, 'MANUAL')`,
          [stationId, customerId, instId, p, `${p}-${String(day).padStart(2, "0")}`, 1000 + (7 - k) * kwh]);
      }
      installationIds.push(instId);
      meterNos.push(meterNo);
    }
    await c.query("commit");
    return { routeId, code: tag, period, installationIds, meterNos };
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

export async function readingsOf(url: string, installationIds: number[], period: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ installation_id: number; n: number; total: string | null }>(
      `select installation_id, count(*)::int as n, max(total)::text as total from reading
       where installation_id = any($1) and period = $2 group by installation_id`, [installationIds, period]);
    return r.rows;
  } finally {
    await c.end();
  }
}

// `npx tsx tests/e2e/reader-fixtures.ts` with DATABASE_URL: a route for the demo reader (dev use)
if (process.argv[1]?.endsWith("reader-fixtures.ts")) {
  const r = await makeReaderRoute(process.env.DATABASE_URL!, { meters: Number(process.argv[2] ?? 8) });
  console.log(JSON.stringify(r));
}
