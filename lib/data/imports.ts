import "server-only";
// Collected readings (用电信息采集) import. All or nothing: the file is streamed (csv-parse)
// into a temporary table with COPY inside one transaction, every row is validated set-based in
// SQL, and only a clean file is inserted (… on conflict do nothing, which must then insert
// every row); otherwise the transaction is rolled back and an import_batch row keeps the
// per-row reasons. The batch row is written either way: a refused file is on record too.
import crypto from "node:crypto";
import { Transform, Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import copyStreams from "pg-copy-streams";
import type pg from "pg";
import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { scheduledDate, type DayChange } from "@/lib/domain/readings/schedule";
import { approvedChanges, stationContext } from "./routes";

export const IMPORT_KIND = "COLLECTED_READINGS";
// Per-row reasons kept in the report (the counts by reason cover every row).
const REPORT_ROWS = 1000;

// Header names the collection system's exports use, in English or Chinese.
const COLUMNS: Record<string, "meter_no" | "read_time" | "total" | "peak" | "valley"> = {
  meter_no: "meter_no", meterno: "meter_no", "表号": "meter_no", "电能表号": "meter_no", "表计编号": "meter_no",
  read_time: "read_time", readtime: "read_time", "抄表时间": "read_time", "采集时间": "read_time",
  total: "total", "总示数": "total", "正向有功总": "total", "示数": "total",
  peak: "peak", "峰示数": "peak", "峰": "peak",
  valley: "valley", "谷示数": "valley", "谷": "valley",
};
const REQUIRED = ["meter_no", "read_time", "total"] as const;

export type ImportReport = {
  batchId: number;
  fileName: string;
  rows: number;
  accepted: number;
  rejected: number;
  byCode: Record<string, number>;
  errors: { line: number; meterNo: string | null; code: string }[];
  seconds: number;
  status: "IMPORTED" | "REFUSED";
  steps?: Record<string, number>; // ms per stage, for the benchmark
  message?: { code: string; params?: Record<string, string | number> };
};

function copyEscape(v: string | undefined): string {
  if (v === undefined || v === null) return "\\N";
  return v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

class HeaderError extends Error {}

/** Streams the CSV into temp table imp(line, ncols, meter_no, read_time, total, peak, valley). */
async function copyIntoTemp(client: pg.PoolClient, source: Readable, hash: crypto.Hash): Promise<{ rows: number }> {
  let map: (keyof typeof COLUMNS | string)[] | null = null;
  let idx: Record<string, number> = {};
  let rows = 0;
  const toCopy = new Transform({
    writableObjectMode: true,
    transform(chunk: { record: string[]; info: { lines: number } }, _enc, cb) {
      const rec = chunk.record;
      if (!map) {
        map = rec.map((h) => COLUMNS[h.trim().toLowerCase().replace(/\s+/g, "_")] ?? COLUMNS[h.trim()] ?? "");
        idx = Object.fromEntries(map.map((m, i) => [m, i]).filter(([m]) => m));
        const missing = REQUIRED.filter((r) => !(r in idx));
        return cb(missing.length ? new HeaderError(REQUIRED.join(", ")) : null);
      }
      rows++;
      const get = (k: string) => (k in idx ? rec[idx[k]] : undefined);
      const line = [chunk.info.lines, rec.length === map.length ? 1 : 0, get("meter_no"), get("read_time"), get("total"),
        get("peak") || undefined, get("valley") || undefined];
      cb(null, line.map((v, i) => (i < 2 ? String(v) : copyEscape(v as string | undefined))).join("\t") + "\n");
    },
  });
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const copy = client.query(copyStreams.from(
    "copy imp (line, cols_ok, meter_no, read_time, total, peak, valley) from stdin"));
  await pipeline(
    source,
    hasher,
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
    toCopy,
    copy as unknown as Writable,
  );
  return { rows };
}

// The checks, each a set-based statement over the parsed rows. Order = priority in the report.
const VALIDATE_SQL = `
  insert into imp_err (line, code)
  select e.line, e.code from (
  select line, 'COLUMNS' as code from imp_p where not cols_ok
  union all select line, 'BAD_METER_NO' from imp_p where cols_ok and meter_no is null
  union all select line, 'BAD_TIME' from imp_p where cols_ok and read_at is null
  union all select line, 'FUTURE_TIME' from imp_p where read_at > $1::timestamptz
  union all select line, 'BAD_NUMBER' from imp_p where cols_ok and total is null
  union all select line, 'BAD_PEAK' from imp_p where peak_txt is not null and peak is null
  union all select line, 'BAD_VALLEY' from imp_p where valley_txt is not null and valley is null
  union all select line, 'PEAK_VALLEY_EXCEED_TOTAL' from imp_p where coalesce(peak, 0) + coalesce(valley, 0) > total
  union all select line, 'UNKNOWN_METER' from imp_p where meter_no is not null and meter_id is null
  union all select line, 'NO_INSTALLATION' from imp_p where meter_id is not null and read_at is not null and installation_id is null and not before_install
  union all select line, 'BEFORE_INSTALL' from imp_p where before_install
  union all select line, 'DUPLICATE_IN_FILE' from imp_p where dup_rank > 1
  union all select line, 'ALREADY_READ' from imp_p where already
  union all select line, 'BELOW_LAST' from imp_p where below_last
  ) e join imp_p p using (line)
  where p.cols_ok or e.code = 'COLUMNS'`; // a row with the wrong shape gets that one reason

// tz and station are inlined (escaped literal, integer): CREATE TABLE AS takes no parameters
const parseSql = (tz: string, station: number) => `
  create temp table imp_p on commit drop as
  with t as (
    select line, cols_ok = 1 as cols_ok, nullif(meter_no, '') as meter_no, read_time,
           nullif(total, '') as total_txt, nullif(peak, '') as peak_txt, nullif(valley, '') as valley_txt
    from imp
  ), ts as (
    -- 'YYYY-MM-DD HH:MM[:SS]' (or / and T) in the station's local time; nested CASE so a bad
    -- string never reaches a cast (no exceptions, no per-row subtransactions)
    select t.*, case when read_time ~ '^\\d{4}[-/]\\d{2}[-/]\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2})?$' then
             case when substr(read_time, 6, 2)::int between 1 and 12 then
               case when substr(read_time, 9, 2)::int between 1 and extract(day from make_date(substr(read_time, 1, 4)::int, substr(read_time, 6, 2)::int, 1) + interval '1 month - 1 day')::int
                     and substr(read_time, 12, 2)::int < 24 and substr(read_time, 15, 2)::int < 60
                     and coalesce(nullif(substr(read_time, 18, 2), '')::int, 0) < 60
                 then (translate(read_time, '/T', '- ')::timestamp at time zone ${tz}) end end end as read_at
    from t
  ), n as (
    select ts.*,
           case when total_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then total_txt::numeric end as total,
           case when peak_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then peak_txt::numeric end as peak,
           case when valley_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then valley_txt::numeric end as valley
    from ts
  )
  select n.*, to_char(n.read_at at time zone ${tz}, 'YYYY-MM') as period, (n.read_at at time zone ${tz})::date as read_on,
         m.id as meter_id, m.digits, i.id as installation_id, i.customer_id, c.route_id, c.station_id as customer_station,
         i.start_reading,
         (i.id is null and exists (select 1 from meter_installation x where x.meter_id = m.id and x.removed_on is null
                                   and x.installed_on > (n.read_at at time zone ${tz})::date)) as before_install
  from n
  left join meter m on m.station_id = ${station} and m.meter_no = n.meter_no
  left join meter_installation i on i.meter_id = m.id and n.read_at is not null
        and i.installed_on <= (n.read_at at time zone ${tz})::date
        and (i.removed_on is null or i.removed_on >= (n.read_at at time zone ${tz})::date)
  left join customer c on c.id = i.customer_id`;

const ENRICH_SQL = `
  alter table imp_p add column dup_rank int, add column already boolean not null default false,
                    add column prev_total numeric, add column below_last boolean not null default false;
  update imp_p p set dup_rank = d.rk from (
    select line, row_number() over (partition by installation_id, period order by line) as rk
    from imp_p where installation_id is not null and period is not null) d where d.line = p.line;
  update imp_p p set already = true
    from reading r where r.installation_id = p.installation_id and r.period = p.period;
  -- the previous register: the file's own earlier period for the meter, else the last stored
  -- reading before the period, else the installation's start reading
  update imp_p p set prev_total = coalesce(x.file_prev,
      (select r.total from reading r where r.installation_id = p.installation_id and r.period < p.period and r.total is not null
       order by r.period desc limit 1), p.start_reading)
    from (select line, lag(total) over (partition by installation_id order by period, line) as file_prev
          from imp_p where installation_id is not null and period is not null) x
    where x.line = p.line;
  -- lower than before, unless wrapping past 10^digits explains it better (same rule as
  -- billing/consumption.ts registerAdvance)
  update imp_p set below_last = true
    where total < prev_total and not (total + power(10::numeric, digits) - prev_total < prev_total - total);`;

export async function importCollectedReadings(
  actor: Actor,
  file: { name: string; stream: Readable },
  now = new Date(),
): Promise<ImportReport> {
  const t0 = performance.now();
  const ctx = await stationContext(actor.stationId, now);
  const hash = crypto.createHash("sha256");
  const client = await pool.connect();
  let report: Omit<ImportReport, "batchId" | "seconds">;
  const steps: Record<string, number> = {};
  let last = t0;
  const mark = (name: string) => {
    const t = performance.now();
    steps[name] = Math.round(t - last);
    last = t;
  };
  try {
    await client.query("begin");
    await client.query(`set local work_mem = '128MB'`);
    await client.query(`create temp table imp (line int, cols_ok int, meter_no text, read_time text, total text, peak text, valley text) on commit drop`);
    let rows: number;
    try {
      ({ rows } = await copyIntoTemp(client, file.stream, hash));
      mark("copy");
    } catch (e) {
      await client.query("rollback");
      if (e instanceof HeaderError) return refuse(actor, file.name, hash, 0, { code: "IMPORT_HEADER", params: { columns: e.message } }, t0);
      const err = e as { code?: string; lines?: number; message?: string };
      if (typeof err.code === "string" && err.code.startsWith("CSV_")) {
        return refuse(actor, file.name, hash, 0, { code: "IMPORT_MALFORMED", params: { line: err.lines ?? 0, detail: err.code } }, t0);
      }
      throw e;
    }
    if (rows === 0) {
      await client.query("rollback");
      return refuse(actor, file.name, hash, 0, { code: "IMPORT_EMPTY" }, t0);
    }
    const sha = hash.digest("hex");
    const prior = await client.query<{ id: number }>(
      `select id from import_batch where station_id = $1 and kind = $2 and sha256 = $3 and accepted > 0 limit 1`,
      [actor.stationId, IMPORT_KIND, sha]);
    if (prior.rows[0]) {
      await client.query("rollback");
      return refuse(actor, file.name, sha, rows, { code: "IMPORT_ALREADY", params: { batch: prior.rows[0].id } }, t0);
    }
    await client.query(parseSql(client.escapeLiteral(ctx.timezone), Number(actor.stationId)));
    await client.query(`create index on imp_p (line)`);
    await client.query(`analyze imp_p`);
    mark("parse");
    await client.query(ENRICH_SQL);
    mark("enrich");
    await client.query(`create temp table imp_err (line int, code text) on commit drop`);
    await client.query(VALIDATE_SQL, [now.toISOString()]);
    const bad = await client.query<{ code: string; n: number }>(`select code, count(*)::int as n from imp_err group by code`);
    mark("validate");
    if (bad.rows.length > 0) {
      const first = await client.query<{ line: number; meter_no: string | null; code: string }>(
        `select e.line, p.meter_no, e.code from imp_err e join imp_p p using (line) order by e.line, e.code limit ${REPORT_ROWS}`);
      const rejected = (await client.query<{ n: number }>(`select count(distinct line)::int as n from imp_err`)).rows[0].n;
      await client.query("rollback");
      report = {
        fileName: file.name, rows, accepted: 0, rejected, status: "REFUSED",
        byCode: Object.fromEntries(bad.rows.map((r) => [r.code, r.n])),
        errors: first.rows.map((r) => ({ line: r.line, meterNo: r.meter_no, code: r.code })),
        message: { code: "IMPORT_REJECTED", params: { rejected } }, steps,
      };
      return writeBatch(actor, sha, report, t0);
    }
    // scheduled dates per route and period (a handful), then one insert for the whole file
    const pairs = await client.query<{ route_id: number; period: string }>(`select distinct route_id, period from imp_p`);
    const changes = await approvedChanges([...new Set(pairs.rows.map((p) => p.route_id))]);
    const days = await client.query<{ id: number; reading_day: number }>(`select id, reading_day from route where id = any($1)`,
      [[...new Set(pairs.rows.map((p) => p.route_id))]]);
    const dayOf = new Map(days.rows.map((d) => [d.id, d.reading_day]));
    const sched = pairs.rows.map((p) => scheduledDate(dayOf.get(p.route_id)!, changes.get(p.route_id) ?? ([] as DayChange[]), p.period));
    await client.query(`create temp table imp_sched (route_id int, period text, scheduled_on date) on commit drop`);
    await client.query(
      `insert into imp_sched select * from unnest($1::int[], $2::text[], $3::date[])`,
      [pairs.rows.map((p) => p.route_id), pairs.rows.map((p) => p.period), sched]);
    const ins = await client.query(
      `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, peak, valley, source)
       select $1, p.customer_id, p.installation_id, p.period, s.scheduled_on, p.read_at, p.total, p.peak, p.valley, 'REMOTE'
       from imp_p p join imp_sched s using (route_id, period)
       on conflict do nothing`, [actor.stationId]);
    if (ins.rowCount !== rows) {
      // someone stored readings for these meters meanwhile: refuse the whole file, as promised
      await client.query("rollback");
      return refuse(actor, file.name, sha, rows, { code: "IMPORT_REJECTED", params: { rejected: rows - (ins.rowCount ?? 0) } }, t0);
    }
    mark("insert");
    report = { fileName: file.name, rows, accepted: rows, rejected: 0, status: "IMPORTED", byCode: {}, errors: [], steps };
    const batch = await insertBatch(client, actor, sha, report, t0);
    await client.query("commit");
    mark("commit");
    return batch;
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function insertBatch(db: pg.ClientBase | pg.Pool, actor: Actor, sha: string, r: Omit<ImportReport, "batchId" | "seconds">, t0: number): Promise<ImportReport> {
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const full = { ...r, seconds };
  const b = await db.query<{ id: number }>(
    `insert into import_batch (station_id, kind, file_name, sha256, rows, accepted, rejected, report, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) returning id`,
    [actor.stationId, IMPORT_KIND, r.fileName.slice(0, 200), sha, r.rows, r.accepted, r.rejected, JSON.stringify(full), actor.id]);
  await db.query(
    `insert into audit_log (station_id, actor_id, action, target_type, target_id, after)
     values ($1, $2, $3, 'import_batch', $4, $5::jsonb)`,
    [actor.stationId, actor.id, r.status === "IMPORTED" ? "readings.import" : "readings.importRefused", String(b.rows[0].id),
      JSON.stringify({ rows: r.rows, accepted: r.accepted, rejected: r.rejected, byCode: r.byCode })]);
  return { ...full, batchId: b.rows[0].id };
}

async function writeBatch(actor: Actor, sha: string, r: Omit<ImportReport, "batchId" | "seconds">, t0: number) {
  return insertBatch(pool, actor, sha, r, t0);
}

async function refuse(actor: Actor, fileName: string, hashOrSha: crypto.Hash | string, rows: number,
  message: NonNullable<ImportReport["message"]>, t0: number): Promise<ImportReport> {
  let sha: string;
  try {
    sha = typeof hashOrSha === "string" ? hashOrSha : hashOrSha.digest("hex");
  } catch {
    sha = "";
  }
  return writeBatch(actor, sha, {
    fileName, rows, accepted: 0, rejected: rows, status: "REFUSED", byCode: {}, errors: [], message,
  }, t0);
}

export type ImportBatchDTO = {
  id: number; fileName: string; rows: number; accepted: number; rejected: number; createdAt: string; by: string | null;
  report: ImportReport;
};

export async function listImports(stationId: number, limit = 20): Promise<ImportBatchDTO[]> {
  const r = await pool.query<{ id: number; file_name: string; rows: number; accepted: number; rejected: number; created_at: Date; by: string | null; report: ImportReport }>(
    `select b.id, b.file_name, b.rows, b.accepted, b.rejected, b.created_at, u.name as by, b.report
     from import_batch b left join app_user u on u.id = b.created_by
     where b.station_id = $1 and b.kind = $2 order by b.id desc limit $3`, [stationId, IMPORT_KIND, limit]);
  return r.rows.map((b) => ({ id: b.id, fileName: b.file_name, rows: b.rows, accepted: b.accepted, rejected: b.rejected,
    createdAt: b.created_at.toISOString(), by: b.by, report: b.report }));
}

