// Billing fixtures: a base (station, routes, the seeded tariffs) and customers with meters,
// installations, readings and billed history, written in bulk with COPY so the same builder
// serves a five-customer test and the 1,000,000-customer bench.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { seedBase, type BaseSeed } from "../../prisma/seed/base";
import { addMonths, dayOfPeriod } from "../../lib/domain/calendar";
import type { Actor } from "../../lib/auth/guard";

export type BillingBase = BaseSeed & {
  routeIds: number[];
  districtId: number;
  lineId: number;
  streetId: number;
  tariffId: (code: string) => number;
  auditorId: number;
};

export async function seedBillingBase(pool: pg.Pool, routes = 2, readingDay = 18): Promise<BillingBase> {
  const c = await pool.connect();
  try {
    const base = await seedBase(c);
    const s = base.stationId;
    const q = async (sql: string, args: unknown[]) => (await c.query<{ id: number }>(sql, args)).rows[0].id;
    const districtId = await q(`insert into district (station_id, code, name) values ($1, 'D1', '一号台区')
      on conflict (station_id, code) do update set name = excluded.name returning id`, [s]);
    const lineId = await q(`insert into line (station_id, code, name) values ($1, 'L1', '10kV 一号线')
      on conflict (station_id, code) do update set name = excluded.name returning id`, [s]);
    const streetId = await q(`insert into street (station_id, name) values ($1, '解放路')
      on conflict (station_id, name) do update set name = excluded.name returning id`, [s]);
    const routeIds: number[] = [];
    for (let i = 1; i <= routes; i++) {
      routeIds.push(await q(`insert into route (station_id, code, name, reading_day) values ($1, $2, $3, $4)
        on conflict (station_id, code) do update set reading_day = excluded.reading_day returning id`,
      [s, `R${String(i).padStart(3, "0")}`, `抄表段${i}`, readingDay]));
    }
    const byCode = new Map(base.tariffs.map((t) => [t.code, t.id]));
    const auditorId = base.users.find((u) => u.role === "AUDITOR")!.id;
    return { ...base, routeIds, districtId, lineId, streetId, tariffId: (code) => byCode.get(code)!, auditorId };
  } finally {
    c.release();
  }
}

/** The seeded staff as actors (two readers), the first of each role. */
export function staffOf(base: BillingBase) {
  const actorOf = (role: string, n = 0): Actor => {
    const u = base.users.filter((x) => x.role === role)[n];
    return { id: u.id, stationId: base.stationId, role: u.role, name: u.name, username: u.username };
  };
  return { auditor: actorOf("AUDITOR"), manager: actorOf("MANAGER"), reader: actorOf("READER"), reader2: actorOf("READER", 1), clerk: actorOf("CLERK") };
}

/** Streams rows (already tab-separated, newline-terminated) through COPY. */
export async function copyInto(client: pg.PoolClient, sql: string, rows: Iterable<string>) {
  const stream = client.query(copyFrom(sql));
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    const it = rows[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        let buf = "";
        for (let i = 0; i < 2000; i++) {
          const n = it.next();
          if (n.done) {
            if (buf) stream.write(buf);
            stream.end();
            return;
          }
          buf += n.value;
        }
        if (!stream.write(buf)) {
          stream.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

export type FixtureReading = {
  total: string; peak?: string | null; reactive?: string | null; demandKw?: string | null;
  source?: "MANUAL" | "REMOTE" | "ESTIMATED" | "CATCH_UP"; readOn?: string; reasonCode?: string | null;
};

export type FixtureCustomer = {
  category?: "RESIDENTIAL" | "NON_RESIDENTIAL" | "LARGE" | "TEMPORARY";
  tariff?: string; // tariff code
  tariffId?: number; // or the tariff's id
  householdSize?: number;
  timeOfUse?: boolean;
  capacityKva?: number | null;
  multiplier?: number;
  digits?: number;
  routeIndex?: number;
  start?: string; // installation start reading
  installedOn?: string;
  readings: Record<string, FixtureReading>; // period → reading
  history?: Record<string, number>; // period → billed kWh (RELEASED bills)
};

/** Inserts hand-made customers (one meter each). Returns their ids in order. */
export async function addCustomers(pool: pg.Pool, base: BillingBase, list: FixtureCustomer[]): Promise<number[]> {
  const ids: number[] = [];
  const c = await pool.connect();
  try {
    await c.query("begin");
    for (const f of list) {
      const routeId = base.routeIds[f.routeIndex ?? 0];
      const r = await c.query<{ id: number }>(
        `insert into customer (station_id, customer_no, name, address, category, usage_type, household_size, payment_method,
           district_id, line_id, street_id, route_id, route_seq, tariff_id, time_of_use, capacity_kva, opened_on, updated_at)
         values ($1, 'T' || nextval('customer_id_seq'), '测试客户', '解放路 1 号', $2, $3, $4, 'COUNTER', $5, $6, $7, $8, 1, $9, $10, $11, '2020-01-01', now())
         returning id`,
        [base.stationId, f.category ?? "RESIDENTIAL", (f.category ?? "RESIDENTIAL") === "RESIDENTIAL" ? "RESIDENTIAL" : "COMMERCIAL",
          f.householdSize ?? 3, base.districtId, base.lineId, base.streetId, routeId, f.tariffId ?? base.tariffId(f.tariff!), f.timeOfUse ?? false, f.capacityKva ?? null],
      );
      const customerId = r.rows[0].id;
      ids.push(customerId);
      const m = await c.query<{ id: number }>(
        `insert into meter (station_id, meter_no, digits) values ($1, 'M' || $2, $3) returning id`,
        [base.stationId, customerId, f.digits ?? 6],
      );
      const inst = await c.query<{ id: number }>(
        `insert into meter_installation (customer_id, meter_id, multiplier, installed_on, start_reading, start_peak)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [customerId, m.rows[0].id, f.multiplier ?? 1, f.installedOn ?? "2020-01-01", f.start ?? "0", f.timeOfUse ? "0" : null],
      );
      for (const [period, rd] of Object.entries(f.readings)) {
        const readOn = rd.readOn ?? dayOfPeriod(period, 18);
        await c.query(
          `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, peak, reactive, demand_kw, source, reason_code)
           values ($1, $2, $3, $4, $5, ($6 || 'T10:00:00+08:00')::timestamptz, $7, $8, $9, $10, $11, $12)`,
          [base.stationId, customerId, inst.rows[0].id, period, dayOfPeriod(period, 18), rd.source === "ESTIMATED" ? null : readOn,
            rd.total, rd.peak ?? null, rd.reactive ?? null, rd.demandKw ?? null, rd.source ?? "MANUAL", rd.reasonCode ?? null],
        );
      }
      for (const [period, kwh] of Object.entries(f.history ?? {})) {
        await c.query(
          `insert into bill (station_id, customer_id, period, version, kwh, amount, lines, status, due_date)
           values ($1, $2, $3, 1, $4, 0, '[]', 'RELEASED', $5)`,
          [base.stationId, customerId, period, kwh, dayOfPeriod(period, 28)],
        );
      }
    }
    await c.query("commit");
  } catch (e) {
    await c.query("rollback");
    throw e;
  } finally {
    c.release();
  }
  return ids;
}

// ─── bulk: the bench's million ───

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` customers billed for 12 periods before `period`, read in the previous and this period.
 * Mix: residential annual (浙江) 60 %, monthly (山东) 20 %, residential TOU 5 %, flat
 * non-residential 10 %, TOU non-residential 4 %, two-part 1 %; about 3 % spikes, 2 % zeros,
 * 1 % estimated readings, 1 % read off the reading day: the audit has work to do.
 */
export async function bulkCustomers(pool: pg.Pool, base: BillingBase, n: number, period: string, seed = 42, log = (_: string) => {}) {
  const r = rng(seed);
  const c = await pool.connect();
  try {
    const ids = await c.query<{ c: string; m: string; i: string; r: string; b: string }>(
      `select (select coalesce(max(id),0) from customer) c, (select coalesce(max(id),0) from meter) m,
              (select coalesce(max(id),0) from meter_installation) i, (select coalesce(max(id),0) from reading) r,
              (select coalesce(max(id),0) from bill) b`);
    let cid = Number(ids.rows[0].c), mid = Number(ids.rows[0].m), iid = Number(ids.rows[0].i), rid = Number(ids.rows[0].r), bid = Number(ids.rows[0].b);
    const firstCustomer = cid + 1;
    type Plan = { id: number; mid: number; iid: number; tariff: number; cat: string; tou: boolean; cap: number | null; base: number; route: number; hist: number[]; cur: number; est: boolean; off: boolean; r0: number };
    const mix: [number, string, string, boolean][] = [
      [0.6, "ZJ-RES", "RESIDENTIAL", false], [0.8, "SD-RES", "RESIDENTIAL", false], [0.85, "ZJ-RES-TOU", "RESIDENTIAL", true],
      [0.95, "NONRES-FLAT", "NON_RESIDENTIAL", false], [0.99, "NONRES-TOU", "NON_RESIDENTIAL", true], [1.01, "LARGE-2P-CAP", "LARGE", true],
    ];
    const plans: Plan[] = [];
    for (let k = 0; k < n; k++) {
      const x = r();
      const [, code, cat, tou] = mix.find(([p]) => x < p)!;
      const baseKwh = cat === "LARGE" ? 20000 + Math.floor(r() * 80000) : cat === "NON_RESIDENTIAL" ? 300 + Math.floor(r() * 1500) : 80 + Math.floor(r() * 320);
      const hist = Array.from({ length: 12 }, () => Math.max(0, Math.round(baseKwh * (0.85 + r() * 0.3))));
      const y = r();
      const cur = y < 0.02 ? 0 : y < 0.05 ? Math.round(baseKwh * 1.8) : Math.round(baseKwh * (0.85 + r() * 0.3));
      plans.push({
        id: ++cid, mid: ++mid, iid: ++iid, tariff: base.tariffId(code), cat, tou, cap: cat === "LARGE" ? 400 : null, base: baseKwh,
        route: base.routeIds[k % base.routeIds.length], hist, cur, est: r() < 0.01, off: r() < 0.01, r0: Math.floor(r() * 50000),
      });
    }
    const now = new Date().toISOString();
    const prev = addMonths(period, -1);
    log(`customers…`);
    await copyInto(c, `copy customer (id, station_id, customer_no, name, address, category, usage_type, household_size, payment_method,
      district_id, line_id, street_id, route_id, route_seq, tariff_id, time_of_use, capacity_kva, opened_on, updated_at) from stdin`,
    (function* () {
      for (const p of plans) {
        yield `${p.id}\t${base.stationId}\tB${p.id}\t客户${p.id}\t解放路${p.id % 999}号\t${p.cat}\t${p.cat === "RESIDENTIAL" ? "RESIDENTIAL" : "COMMERCIAL"}\t${p.id % 17 === 0 ? 5 : 3}\tCOUNTER\t${base.districtId}\t${base.lineId}\t${base.streetId}\t${p.route}\t${p.id}\t${p.tariff}\t${p.tou ? "t" : "f"}\t${p.cap ?? "\\N"}\t2020-01-01\t${now}\n`;
      }
    })());
    log(`meters…`);
    await copyInto(c, `copy meter (id, station_id, meter_no, digits) from stdin`, (function* () {
      for (const p of plans) yield `${p.mid}\t${base.stationId}\tBM${p.mid}\t6\n`;
    })());
    await copyInto(c, `copy meter_installation (id, customer_id, meter_id, multiplier, installed_on, start_reading, start_peak) from stdin`, (function* () {
      for (const p of plans) yield `${p.iid}\t${p.id}\t${p.mid}\t${p.cat === "LARGE" ? 100 : 1}\t2020-01-01\t0\t${p.tou ? "0" : "\\N"}\n`;
    })());
    log(`readings…`);
    const reg = (v: number) => `${v % 1000000}.00`;
    const prevDay = dayOfPeriod(prev, 18);
    const curDay = dayOfPeriod(period, 18);
    const offDay = dayOfPeriod(period, 21);
    await copyInto(c, `copy reading (id, station_id, customer_id, installation_id, period, scheduled_on, read_at, total, peak, reactive, demand_kw, source) from stdin`, (function* () {
      for (const p of plans) {
        const mult = p.cat === "LARGE" ? 100 : 1;
        const prevReg = p.r0;
        const curReg = p.r0 + Math.round(p.cur / mult);
        const pk = (v: number) => (p.tou ? reg(Math.floor(v * 0.6)) : "\\N");
        const rq = (v: number) => (p.cat === "LARGE" ? reg(Math.floor(v * 0.45)) : "\\N");
        yield `${++rid}\t${base.stationId}\t${p.id}\t${p.iid}\t${prev}\t${prevDay}\t${prevDay}T10:00:00+08:00\t${reg(prevReg)}\t${pk(prevReg)}\t${rq(prevReg)}\t\\N\tREMOTE\n`;
        const day = p.off ? offDay : curDay;
        yield `${++rid}\t${base.stationId}\t${p.id}\t${p.iid}\t${period}\t${curDay}\t${p.est ? "\\N" : `${day}T10:00:00+08:00`}\t${reg(curReg)}\t${pk(curReg)}\t${rq(curReg)}\t${p.cat === "LARGE" ? "3.20" : "\\N"}\t${p.est ? "ESTIMATED" : "REMOTE"}\n`;
      }
    })());
    log(`billed history (12 periods)…`);
    await copyInto(c, `copy bill (id, station_id, customer_id, period, version, kwh, amount, lines, status, due_date) from stdin`, (function* () {
      for (const p of plans) {
        for (let k = 0; k < 12; k++) {
          const per = addMonths(period, -(12 - k));
          yield `${++bid}\t${base.stationId}\t${p.id}\t${per}\t1\t${p.hist[k]}\t0\t[]\tRELEASED\t${dayOfPeriod(per, 28)}\n`;
        }
      }
    })());
    for (const [t, v] of [["customer", cid], ["meter", mid], ["meter_installation", iid], ["reading", rid], ["bill", bid]] as const) {
      await c.query(`select setval(pg_get_serial_sequence('${t}', 'id'), $1)`, [v]);
    }
    await c.query("analyze customer; analyze reading; analyze bill; analyze meter_installation; analyze meter");
    return { firstCustomer, lastCustomer: cid };
  } finally {
    c.release();
  }
}
