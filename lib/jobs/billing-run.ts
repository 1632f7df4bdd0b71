// The billing run (电费计算) for one billing_run row: a station and period, optionally a set of
// routes. Runs as a pg-boss job (lib/jobs/workers.ts) and directly from the bench and tests.
//
// Shape (docs/environment.md §9, measured limits: keyset-read 50k at a time, price in JS, write bulk):
//  * customers in scope are read in keyset chunks by id; for each chunk, the installations,
//    this period's and the previous readings, and the last 12 periods' billed kWh are read with
//    a handful of range queries on the chunk's id range;
//  * consumption, price and audit are computed in JS with the domain functions (billPeriod);
//  * bills and their audit exceptions are COPYed into temp tables and inserted with one
//    statement, `ON CONFLICT (customer_id, period, version) DO NOTHING`: a rerun after a crash
//    or a cancel never creates a second bill, and customers already billed are skipped before
//    any computing;
//  * each chunk commits with the run's progress; status CANCELLING is honoured between chunks.
// Deliberately free of "server-only" and of lib/db: it takes a pg.Pool, so the bench and tests
// drive exactly the code the worker runs.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { addMonths, localDate, type IsoDate } from "@/lib/domain/calendar";
import { formatYuan } from "@/lib/domain/money";
import { resolveSettings, type Settings, type SettingRow } from "@/lib/domain/settings";
import { billPeriod, type CurrentReading, type PeriodBill, type PeriodCustomer } from "@/lib/domain/billing/bill-period";
import type { InstallationRecord, ReadingRecord } from "@/lib/domain/billing/consumption";
import { tariffDefinitionSchema, type TariffDefinition, type TariffVersionDef } from "@/lib/domain/billing/tariff";

export const BILLING_RUN_QUEUE = "billing-run";
export const DEFAULT_CHUNK = 25_000;

export type RunOutcome = {
  status: "COMPLETED" | "CANCELLED" | "SKIPPED"; done: number; billed: number; held: number; seconds: number;
  /** where the time went: waiting for reads, computing in JS, writing (COPY + insert + commit) */
  phases?: { readWait: number; compute: number; write: number };
};

/** Settings in force for a station on a day (company-wide rows, then the station's). */
export async function loadSettings(db: pg.Pool | pg.PoolClient, stationId: number, asOf: IsoDate): Promise<Settings> {
  const r = await db.query<{ key: string; value: unknown; eff: string; station_id: number | null }>(
    `select key, value, effective_from::text as eff, station_id from setting where station_id is null or station_id = $1`,
    [stationId],
  );
  const rows: SettingRow[] = r.rows.map((x) => ({ group: x.key, value: x.value, effectiveFrom: x.eff, stationScoped: x.station_id !== null }));
  return resolveSettings(rows, asOf);
}

/** Every tariff's versions, parsed once (a definition that no longer parses is left out). */
export async function loadTariffVersions(db: pg.Pool | pg.PoolClient): Promise<Map<number, TariffVersionDef[]>> {
  const r = await db.query<{ id: number; tariff_id: number; eff: string; definition: unknown }>(
    `select id, tariff_id, effective_from::text as eff, definition from tariff_version order by tariff_id, effective_from`,
  );
  const out = new Map<number, TariffVersionDef[]>();
  for (const v of r.rows) {
    const p = tariffDefinitionSchema.safeParse(v.definition);
    if (!p.success) continue;
    const list = out.get(v.tariff_id) ?? [];
    list.push({ id: v.id, effectiveFrom: v.eff, definition: p.data as TariffDefinition });
    out.set(v.tariff_id, list);
  }
  return out;
}


/** COPY text format: JSON and text need their backslashes, tabs and newlines escaped. */
function esc(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

async function copyRows(client: pg.PoolClient, sql: string, rows: string[]) {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(sql));
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    const BATCH = 2000;
    let i = 0;
    const write = () => {
      while (i < rows.length) {
        const part = rows.slice(i, i + BATCH).join("");
        i += BATCH;
        if (!stream.write(part)) {
          stream.once("drain", write);
          return;
        }
      }
      stream.end();
    };
    write();
  });
}

type Scope = { stationId: number; period: string; routeIds: number[] };

type ChunkCustomer = {
  id: number; category: PeriodCustomer["category"]; household_size: number; large_until: string | null;
  tariff_id: number; time_of_use: boolean; capacity_kva: number | null; billed: boolean;
};

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/**
 * Reads one chunk's data with range queries on the chunk's customer-id range. Whether a customer
 * is already billed this period comes from the same bill range scan as the history (periods
 * p−12 … p), read first: a chunk that is all billed (a rerun) reads nothing more. Otherwise the
 * four other queries run at once on separate connections with a Pool, one by one with a client.
 */
export async function readChunk(
  db: Queryable, s: Scope, cursor: number, limit: number, tz: string, parallel = false, skipIfAllBilled = true,
) {
  const routes = s.routeIds.length ? s.routeIds : null;
  const cust = await db.query<Omit<ChunkCustomer, "billed">>(
    `select c.id, c.category::text as category, c.household_size, c.large_household_until::text as large_until,
            c.tariff_id, c.time_of_use, c.capacity_kva
       from customer c
      where c.station_id = $1 and c.id > $2 and c.status <> 'CLOSED'
        and ($4::int[] is null or c.route_id = any($4::int[]))
      order by c.id limit $3`,
    [s.stationId, cursor, limit, routes],
  );
  if (cust.rows.length === 0) return null;
  const lo = cust.rows[0].id;
  const hi = cust.rows[cust.rows.length - 1].id;
  const prevPeriod = addMonths(s.period, -1);
  // billed kWh of p−12 … p, one row per customer: "YYYY-MM=kWh,…" (p itself = already billed)
  const hist = await db.query<{ customer_id: number; h: string }>(
    `select customer_id, string_agg(period || '=' || kwh, ',') as h
       from bill
      where customer_id between $1 and $2 and period >= $3 and period <= $4 and status <> 'REVERSED'
      group by customer_id`,
    [lo, hi, addMonths(s.period, -12), s.period],
  );
  const tag = `${s.period}=`;
  const billedSet = new Set<number>();
  for (const h of hist.rows) if (h.h.includes(tag)) billedSet.add(h.customer_id);
  const customers: ChunkCustomer[] = cust.rows.map((c) => ({ ...c, billed: billedSet.has(c.id) }));
  if (skipIfAllBilled && billedSet.size === customers.length) {
    // a rerun over a finished chunk: nothing to compute, nothing more to read
    return { customers, inst: [], cur: [], prev: [], hist: hist.rows, opening: [] };
  }
  const queries = [
    () => db.query<{
      id: number; customer_id: number; installation_id: number; total: string; peak: string | null; reactive: string | null;
      demand_kw: string | null; source: string; reason_code: string | null; read_on: string; scheduled_on: string;
    }>(
      `select r.id, r.customer_id, r.installation_id, r.total::text as total, r.peak::text as peak, r.reactive::text as reactive,
              r.demand_kw::text as demand_kw, r.source::text as source,
              r.reason_code, coalesce((r.read_at at time zone $4)::date, r.scheduled_on)::text as read_on,
              r.scheduled_on::text as scheduled_on
         from reading r
        where r.customer_id between $1 and $2 and r.period = $3 and r.total is not null`,
      [lo, hi, s.period, tz],
    ),
    () => db.query<PrevRow>(
      `select r.customer_id, r.installation_id, r.total::text as total, r.peak::text as peak, r.reactive::text as reactive,
              r.source::text as source, coalesce((r.read_at at time zone $4)::date, r.scheduled_on)::text as read_on
         from reading r
        where r.customer_id between $1 and $2 and r.period = $3 and r.total is not null`,
      [lo, hi, prevPeriod, tz],
    ),
    () => db.query<{
      id: number; customer_id: number; meter_id: number; multiplier: number; digits: number; installed_on: string;
      removed_on: string | null; start_reading: string; start_peak: string | null; final_reading: string | null; final_peak: string | null;
    }>(
      // digits by primary-key lookup: a join lets the planner hash the whole meter table per chunk
      `select mi.id, mi.customer_id, mi.meter_id, mi.multiplier, (select m.digits from meter m where m.id = mi.meter_id) as digits,
              mi.installed_on::text as installed_on, mi.removed_on::text as removed_on,
              mi.start_reading::text as start_reading, mi.start_peak::text as start_peak,
              mi.final_reading::text as final_reading, mi.final_peak::text as final_peak
         from meter_installation mi
        where mi.customer_id between $1 and $2`,
      [lo, hi],
    ),
    () => db.query<{ customer_id: number; kwh: number }>(
      `select customer_id, kwh from opening_usage where customer_id between $1 and $2 and tariff_year = $3`,
      [lo, hi, Number(s.period.slice(0, 4))],
    ),
  ] as const;
  const run = async () => {
    if (parallel) return Promise.all(queries.map((q) => q()));
    const out = [];
    for (const q of queries) out.push(await q());
    return out;
  };
  const [cur, prev, inst, opening] = (await run()) as [
    Awaited<ReturnType<(typeof queries)[0]>>, Awaited<ReturnType<(typeof queries)[1]>>, Awaited<ReturnType<(typeof queries)[2]>>,
    Awaited<ReturnType<(typeof queries)[3]>>,
  ];
  // installations read this period without a previous-period reading (missed month, new
  // meter): their latest earlier reading, if any
  const havePrev = new Set(prev.rows.map((r) => r.installation_id));
  const missing = [...new Set(cur.rows.map((r) => r.installation_id).filter((i) => !havePrev.has(i)))];
  const older = missing.length
    ? await db.query<PrevRow>(
      `select distinct on (r.installation_id) r.customer_id, r.installation_id, r.total::text as total, r.peak::text as peak,
              r.reactive::text as reactive, r.source::text as source,
              coalesce((r.read_at at time zone $3)::date, r.scheduled_on)::text as read_on
         from reading r
        where r.installation_id = any($1::int[]) and r.period < $2 and r.total is not null
        order by r.installation_id, r.period desc`,
      [missing, prevPeriod, tz],
    )
    : { rows: [] as PrevRow[] };
  return { customers, inst: inst.rows, cur: cur.rows, prev: [...prev.rows, ...older.rows], hist: hist.rows, opening: opening.rows };
}

type PrevRow = {
  customer_id: number; installation_id: number; total: string; peak: string | null; reactive: string | null;
  source: string; read_on: string;
};

function group<T extends { customer_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const l = m.get(r.customer_id);
    if (l) l.push(r);
    else m.set(r.customer_id, [r]);
  }
  return m;
}


export type ChunkData = NonNullable<Awaited<ReturnType<typeof readChunk>>>;

/** Consumption, price and audit for every customer of a chunk not yet billed and read. */
export function computeChunk(
  data: ChunkData, tariffs: Map<number, TariffVersionDef[]>, settings: Settings, period: string, opts: { includeBilled?: boolean } = {},
): { customerId: number; bill: PeriodBill }[] {
  return chunkComputer(data, tariffs, settings, period, opts)(0, data.customers.length);
}

/** Indexes a chunk once; the returned function computes customers [from, to) of it. */
function chunkComputer(
  data: ChunkData, tariffs: Map<number, TariffVersionDef[]>, settings: Settings, period: string, opts: { includeBilled?: boolean } = {},
) {
  const year = period.slice(0, 4);
  const instBy = group(data.inst);
  const curBy = group(data.cur);
  const prevBy = group(data.prev);
  const histBy = new Map(data.hist.map((h) => [h.customer_id, h.h]));
  const openingBy = new Map(data.opening.map((o) => [o.customer_id, o.kwh]));
  // "YYYY-MM" → how many periods before this one (0 = this period's own bill)
  const back = new Map(Array.from({ length: 13 }, (_, k) => [addMonths(period, -k), k] as const));
  return (from: number, to: number) => {
  const out: { customerId: number; bill: PeriodBill }[] = [];
  for (let ci = from; ci < to; ci++) {
    const c = data.customers[ci];
    if (c.billed && !opts.includeBilled) continue;
    const cur = curBy.get(c.id);
    if (!cur) continue; // not read: no bill
    const history: (number | null)[] = new Array(12).fill(null);
    let prior = openingBy.get(c.id) ?? 0;
    const h = histBy.get(c.id);
    if (h) {
      // "YYYY-MM=kWh,YYYY-MM=kWh,…" parsed in place (no split: a million customers)
      for (let at = 0; at < h.length; ) {
        let end = h.indexOf(",", at);
        if (end < 0) end = h.length;
        const p = h.substring(at, at + 7);
        const kwh = Number(h.substring(at + 8, end));
        at = end + 1;
        const k = (back.get(p) ?? 13) - 1;
        if (k < 0) continue; // this period's own bill (a recompute), not history
        if (k < 12) history[k] = (history[k] ?? 0) + kwh;
        if (p.startsWith(year)) prior += kwh;
      }
    }
    const installations: InstallationRecord[] = (instBy.get(c.id) ?? []).map((i) => ({
      id: i.id, meterId: i.meter_id, multiplier: i.multiplier, digits: i.digits,
      installedOn: i.installed_on, removedOn: i.removed_on,
      start: { total: i.start_reading, peak: i.start_peak },
      final: i.final_reading === null ? null : { total: i.final_reading, peak: i.final_peak },
    }));
    const current: CurrentReading[] = cur.map((r) => ({
      id: r.id, installationId: r.installation_id, readOn: r.read_on, scheduledOn: r.scheduled_on,
      registers: { total: r.total, peak: r.peak, reactive: r.reactive }, demandKw: r.demand_kw,
      estimated: r.source === "ESTIMATED", rolloverConfirmed: r.reason_code === "ROLLOVER",
    }));
    const previous: ReadingRecord[] = (prevBy.get(c.id) ?? []).map((r) => ({
      installationId: r.installation_id, readOn: r.read_on,
      registers: { total: r.total, peak: r.peak, reactive: r.reactive }, estimated: r.source === "ESTIMATED",
    }));
    const b = billPeriod({
      customer: {
        category: c.category, householdSize: c.household_size, largeHouseholdUntil: c.large_until,
        timeOfUse: c.time_of_use, capacityKva: c.capacity_kva,
      },
      versions: tariffs.get(c.tariff_id) ?? [],
      installations, current, previous, history, priorKwhInYear: prior,
    }, settings);
    if (b) out.push({ customerId: c.id, bill: b });
  }
  return out;
  };
}

/** One customer's bill for a period computed exactly as the run computes it (for corrections). */
export async function computeCustomerBill(
  db: pg.PoolClient, stationId: number, customerId: number, period: string, asOf: IsoDate,
): Promise<PeriodBill | null> {
  const tz = (await db.query<{ tz: string }>(`select timezone as tz from station where id = $1`, [stationId])).rows[0]?.tz ?? "Asia/Shanghai";
  const data = await readChunk(db, { stationId, period, routeIds: [] }, customerId - 1, 1, tz, false, false);
  if (!data || data.customers[0].id !== customerId) return null;
  const settings = await loadSettings(db, stationId, asOf);
  const tariffs = await loadTariffVersions(db);
  return computeChunk(data, tariffs, settings, period, { includeBilled: true })[0]?.bill ?? null;
}

const BILL_COLS = "(customer_id, kwh, amount, lines, status, reading_id, tariff_version_id, estimated, due_date)";
const EXC_COLS = "(customer_id, code, details)";


const SLICE = 2_000;

type ChunkItem = { customerId: number; held: boolean; row: string; exc: string[] };

/** A computed bill as COPY text (bill columns after the run's own) and its exceptions. */
function toItem(customerId: number, b: PeriodBill): ChunkItem {
  const lines = JSON.stringify(b.lines.map((l) => ({ ...l, amount: formatYuan(l.amount) })));
  return {
    customerId,
    held: b.findings.length > 0,
    row: `${customerId}\t${b.kwh}\t${formatYuan(b.total)}\t${esc(lines)}\t${b.findings.length ? "HELD" : "DRAFT"}\t${b.readingId}\t${b.tariffVersionId ?? "\\N"}\t${b.estimated ? "t" : "f"}\t${b.dueDate}\n`,
    exc: b.findings.map((f) => `${f.code}\t${esc(JSON.stringify(f.details))}\n`),
  };
}

/** The careful write: staged, then inserted ON CONFLICT DO NOTHING (what exists stays). */
async function writeCarefully(client: pg.PoolClient, items: ChunkItem[], stationId: number, period: string, runId: number) {
  await copyRows(client, `copy stage_bill ${BILL_COLS} from stdin`, items.map((it) => it.row));
  await copyRows(client, `copy stage_exc ${EXC_COLS} from stdin`, items.flatMap((it) => it.exc.map((x) => `${it.customerId}\t${x}`)));
  const w = await client.query<{ bills: string; held: string }>(
    `with ins as (
       insert into bill (station_id, customer_id, period, version, billing_run_id, kwh, amount, lines, status,
                         reading_id, tariff_version_id, estimated, due_date)
       select $1, customer_id, $2, 1, $3, kwh, amount, lines, status::"BillStatus", reading_id, tariff_version_id, estimated, due_date
         from stage_bill
       on conflict (customer_id, period, version) do nothing
       returning id, customer_id, status
     ), exc as (
       insert into audit_exception (station_id, bill_id, customer_id, period, code, details)
       select $1, ins.id, e.customer_id, $2, e.code, e.details from ins join stage_exc e on e.customer_id = ins.customer_id
       on conflict (bill_id, code) do nothing
       returning 1
     )
     select count(*) as bills, count(*) filter (where status = 'HELD') as held, (select count(*) from exc) as excs from ins`,
    [stationId, period, runId],
  );
  return { billed: Number(w.rows[0].bills), held: Number(w.rows[0].held) };
}

/**
 * Runs (or resumes, or reruns) a billing run to the end or to a cancel. Safe to call again at
 * any time for the same run: what is already billed is skipped, never duplicated.
 */
export async function executeBillingRun(
  pool: pg.Pool,
  runId: number,
  opts: { chunkSize?: number; asOf?: IsoDate; onChunk?: (done: number, total: number) => void | Promise<void> } = {},
): Promise<RunOutcome> {
  const t0 = performance.now();
  const client = await pool.connect();
  let writing: Promise<boolean> | null = null; // the chunk being written; resolves to "cancel requested"
  try {
    // a crash may lose the last chunks' commits, never make them half: a rerun redoes them
    await client.query("set synchronous_commit = off");
    const run = await client.query<{ station_id: number; period: string; route_ids: number[]; status: string; tz: string }>(
      `update billing_run r set status = 'RUNNING', error = null, finished_at = null
         from station s where r.id = $1 and s.id = r.station_id and r.status in ('QUEUED', 'RUNNING', 'FAILED')
       returning r.station_id, r.period, r.route_ids, r.status::text, s.timezone as tz`,
      [runId],
    );
    if (run.rowCount === 0) {
      // cancelled before it started (or already finished): nothing to do
      await client.query(`update billing_run set status = 'CANCELLED', finished_at = now() where id = $1 and status = 'CANCELLING'`, [runId]);
      return { status: "SKIPPED", done: 0, billed: 0, held: 0, seconds: 0 };
    }
    const { station_id: stationId, period, route_ids: routeIds, tz } = run.rows[0];
    const scope: Scope = { stationId, period, routeIds };
    const asOf = opts.asOf ?? localDate(new Date(), tz);
    const settings = await loadSettings(client, stationId, asOf);
    const tariffs = await loadTariffVersions(client);
    const totalRes = await client.query<{ n: string }>(
      `select count(*) as n from customer where station_id = $1 and status <> 'CLOSED' and ($2::int[] is null or route_id = any($2::int[]))`,
      [stationId, routeIds.length ? routeIds : null],
    );
    const total = Number(totalRes.rows[0].n);
    await client.query(`update billing_run set total = $2, done = 0 where id = $1`, [runId, total]);
    await client.query(`create temp table if not exists stage_bill (customer_id int, kwh int, amount numeric(14,2), lines jsonb,
      status text, reading_id int, tariff_version_id int, estimated boolean, due_date date) on commit delete rows`);
    const billSeq = (await client.query<{ s: string }>(`select pg_get_serial_sequence('bill', 'id') as s`)).rows[0].s;
    await client.query(`create temp table if not exists stage_exc (customer_id int, code text, details jsonb) on commit delete rows`);

    const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
    let done = 0;
    const ph = { readWait: 0, compute: 0, write: 0 };
    let tp = performance.now();
    const lap = (k: keyof typeof ph) => {
      const now = performance.now();
      ph[k] += (now - tp) / 1000;
      tp = now;
    };
    const cancelled = async (): Promise<RunOutcome> => {
      await client.query(`update billing_run set status = 'CANCELLED', finished_at = now() where id = $1`, [runId]);
      const f = await finalCounts(client, runId);
      return { status: "CANCELLED", done, ...f, seconds: (performance.now() - t0) / 1000, phases: ph };
    };
    /** Writes one chunk in its own transaction with the run's progress; true when asked to stop. */
    const writeChunk = async (items: ChunkItem[], doneSoFar: number): Promise<boolean> => {
      await client.query("begin");
      try {
        let billed = 0;
        let held = 0;
        if (items.length) {
          // fast path: COPY straight into bill and audit_exception with ids taken from the
          // sequence. The unique key still guards: if anyone billed one of these customers
          // meanwhile, the COPY fails and the chunk is written the careful way instead.
          await client.query("savepoint fast");
          try {
            const ids = (await client.query<{ id: number }>(
              `select nextval($1::regclass)::int as id from generate_series(1, $2)`, [billSeq, items.length])).rows;
            const prefix = `${stationId}\t${period}\t1\t${runId}\t`;
            await copyRows(client,
              `copy bill (id, station_id, period, version, billing_run_id, customer_id, kwh, amount, lines, status, reading_id, tariff_version_id, estimated, due_date) from stdin`,
              items.map((it, i) => `${ids[i].id}\t${prefix}${it.row}`));
            const excRows: string[] = [];
            items.forEach((it, i) => {
              for (const e of it.exc) excRows.push(`${stationId}\t${ids[i].id}\t${it.customerId}\t${period}\t${e}`);
            });
            await copyRows(client, `copy audit_exception (station_id, bill_id, customer_id, period, code, details) from stdin`, excRows);
            await client.query("release savepoint fast");
            billed = items.length;
            held = items.filter((it) => it.held).length;
          } catch (e) {
            if ((e as { code?: string }).code !== "23505") throw e;
            await client.query("rollback to savepoint fast");
            ({ billed, held } = await writeCarefully(client, items, stationId, period, runId));
          }
        }
        await client.query(`update billing_run set done = $2, billed = billed + $3, held = held + $4 where id = $1`, [runId, doneSoFar, billed, held]);
        await client.query("commit");
      } catch (e) {
        await client.query("rollback").catch(() => {});
        throw e;
      }
      await opts.onChunk?.(doneSoFar, total);
      const st = await client.query<{ status: string }>(`select status::text from billing_run where id = $1`, [runId]);
      return st.rows[0]?.status === "CANCELLING";
    };
    // A three-stage pipeline on two cores: the reads of chunk k+1 (other pool connections) and
    // the write of chunk k−1 (PostgreSQL's work) run while chunk k is priced in JS. Pricing
    // yields every SLICE customers so the pending COPY keeps streaming meanwhile.
    const read = (after: number) => readChunk(pool, scope, after, chunk, tz, true);
    let next = read(0);
    for (;;) {
      const data = await next;
      lap("readWait");
      if (!data) break;
      next = read(data.customers[data.customers.length - 1].id);
      next.catch(() => {}); // awaited on the next turn; a cancel below must not leave it unhandled
      const compute = chunkComputer(data, tariffs, settings, period);
      const items: ChunkItem[] = [];
      for (let from = 0; from < data.customers.length; from += SLICE) {
        for (const { customerId, bill: b } of compute(from, Math.min(from + SLICE, data.customers.length))) items.push(toItem(customerId, b));
        if (writing) await new Promise((r) => setImmediate(r));
      }
      done += data.customers.length;
      lap("compute");
      if (writing && (await writing)) return cancelled();
      lap("write");
      writing = writeChunk(items, done);
      writing.catch(() => {});
    }
    if (writing && (await writing)) return cancelled();
    lap("write");
    const f = await finalCounts(client, runId);
    await client.query(
      `update billing_run set status = 'COMPLETED', finished_at = now(), done = total, billed = $2, held = $3 where id = $1`,
      [runId, f.billed, f.held],
    );
    return { status: "COMPLETED", done, ...f, seconds: (performance.now() - t0) / 1000, phases: ph };
  } catch (e) {
    if (writing) await (writing as Promise<boolean>).catch(() => {}); // never release a client mid-write
    // the message is for the auditor's screen: no SQL, no stack (the worker logs the error)
    await pool.query(`update billing_run set status = 'FAILED', error = $2, finished_at = now() where id = $1`, [runId, "RUN_FAILED"]).catch(() => {});
    throw e;
  } finally {
    await client.query("reset synchronous_commit").catch(() => {});
    client.release();
  }
}

/** The run's own bills, counted from the table (right after a resume too). */
async function finalCounts(db: pg.PoolClient, runId: number) {
  const r = await db.query<{ billed: string; held: string }>(
    `select count(*) as billed, count(*) filter (where status = 'HELD') as held from bill where billing_run_id = $1`,
    [runId],
  );
  return { billed: Number(r.rows[0].billed), held: Number(r.rows[0].held) };
}
