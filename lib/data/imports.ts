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
import { hasControlChars, normalizeNumeric } from "@/lib/validation/input";

export const IMPORT_KIND = "COLLECTED_READINGS";
// Per-row reasons kept in the report (the counts by reason cover every row).
const REPORT_ROWS = 1000;

// Header names the collection system's exports use, in English or Chinese.
const COLUMNS: Record<string, string> = {
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
/** A control character in a row: COPY would fail on a NUL (PostgreSQL refuses it in text). */
class ControlCharError extends Error {
  constructor(public readonly line: number) { super("CONTROL_CHARACTERS"); }
}

// the numeric columns read like every form's numbers (full-width digits, thousands separators);
// ASCII without a comma, nearly every row, skips the work
const num = (s: string | undefined) => (s === undefined || !/[^\x20-\x7e]|,/.test(s) ? s : normalizeNumeric(s));

/** Streams the CSV into temp table imp(line, cols_ok, meter_no, read_time, total, peak, valley).
 *  Line numbers are counted here (csv-parse's per-record info object triples the parse time):
 *  each record advances the count by one plus the line breaks inside its quoted fields. */
async function copyIntoTemp(client: pg.PoolClient, source: Readable, hash: crypto.Hash): Promise<{ rows: number }> {
  let map: string[] | null = null;
  let idx: Record<string, number> = {};
  let rows = 0;
  let nextLine = 1;
  let buf = ""; // COPY text is sent in ~64 KB pieces, not one write per row
  const toCopy = new Transform({
    writableObjectMode: true,
    flush(cb) {
      cb(null, buf || undefined);
    },
    transform(rec: string[], _enc, cb) {
      const line = nextLine;
      nextLine++;
      for (const f of rec) for (let k = f.indexOf("\n"); k >= 0; k = f.indexOf("\n", k + 1)) nextLine++;
      if (rec.length === 1 && rec[0].trim() === "") return cb(); // an empty line
      if (!map) {
        map = rec.map((h) => COLUMNS[h.trim().toLowerCase().replace(/\s+/g, "_")] ?? COLUMNS[h.trim()] ?? "");
        idx = Object.fromEntries(map.map((m, i) => [m, i]).filter(([m]) => m));
        const missing = REQUIRED.filter((r) => !(r in idx));
        return cb(missing.length ? new HeaderError(REQUIRED.join(", ")) : null);
      }
      rows++;
      const get = (k: string) => (k in idx ? rec[idx[k]]?.trim() : undefined);
      const fields = [get("meter_no"), num(get("read_time")), num(get("total")), num(get("peak")) || undefined, num(get("valley")) || undefined];
      if (fields.some((f) => f !== undefined && hasControlChars(f))) return cb(new ControlCharError(line));
      buf += `${line}\t${rec.length === map.length ? 1 : 0}\t${fields.map(copyEscape).join("\t")}\n`;
      if (buf.length < 65536) return cb();
      const out = buf;
      buf = "";
      cb(null, out);
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
    parse({ bom: true, relax_column_count: true, skip_empty_lines: false }),
    toCopy,
    copy as unknown as Writable,
  );
  return { rows };
}

// One pass builds imp_p: parsed values (the local date and period straight from the text, the
// instant once), meter and installation by hash joins, and the stored readings of the file's
// periods and of the period before by hash joins over those periods' rows (an older "last
// reading" is probed only where that one is missing). No window function, no sort of the wide
// rows, no UPDATE rewriting the table. tz and station are inlined (escaped literal, integer):
// CREATE TABLE AS takes no parameters.
const parseSql = (tz: string, station: number) => `
  create temp table imp_p on commit drop as
  with t as (
    select line, cols_ok = 1 as cols_ok, nullif(meter_no, '') as meter_no, translate(read_time, '/T', '- ') as rt,
           nullif(total, '') as total_txt, nullif(peak, '') as peak_txt, nullif(valley, '') as valley_txt
    from imp
  ), ts as materialized (
    -- 'YYYY-MM-DD HH:MM[:SS]' (or / and T) in the station's local time; nested CASE so a bad
    -- string never reaches a cast (no exceptions, no per-row subtransactions). Materialised so
    -- the check runs once per row, not once per column that depends on it.
    select t.*, case when rt ~ '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}(:\\d{2})?$' then
             case when substr(rt, 6, 2)::int between 1 and 12 then
               -- days in the month by table (+1 for a leap February): integer arithmetic only
               case when substr(rt, 9, 2)::int between 1 and (array[31,28,31,30,31,30,31,31,30,31,30,31])[substr(rt, 6, 2)::int]
                       + case when substr(rt, 6, 2) = '02' and substr(rt, 1, 4)::int % 4 = 0
                              and (substr(rt, 1, 4)::int % 100 <> 0 or substr(rt, 1, 4)::int % 400 = 0) then 1 else 0 end
                     and substr(rt, 12, 2)::int < 24 and substr(rt, 15, 2)::int < 60
                     and coalesce(nullif(substr(rt, 18, 2), '')::int, 0) < 60
                 then true end end end as time_ok
    from t
  ), n as (
    select line, cols_ok, meter_no, total_txt, peak_txt, valley_txt,
           case when time_ok then rt::timestamp at time zone ${tz} end as read_at,
           case when time_ok then substr(rt, 1, 10)::date end as read_on,
           case when time_ok then substr(rt, 1, 7) end as period,
           case when time_ok then to_char(make_date(substr(rt, 1, 4)::int, substr(rt, 6, 2)::int, 1) - 1, 'YYYY-MM') end as prev_period,
           case when total_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then total_txt::numeric end as total,
           case when peak_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then peak_txt::numeric end as peak,
           case when valley_txt ~ '^\\d{1,10}(\\.\\d{1,2})?$' then valley_txt::numeric end as valley
    from ts
  ), file_periods as (
    select distinct substr(rt, 1, 7) as period from ts where time_ok
  ), periods as (
    select period from file_periods
    union select to_char(make_date(substr(period, 1, 4)::int, substr(period, 6, 2)::int, 1) - 1, 'YYYY-MM') from file_periods
  ), stored as materialized (
    select r.installation_id, r.period, r.total from reading r
    where r.station_id = ${station} and r.period in (select period from periods)
  )
  select n.*, m.id as meter_id, m.digits, i.id as installation_id, i.customer_id, c.route_id, i.start_reading,
         (m.id is not null and i.id is null and exists (select 1 from meter_installation x where x.meter_id = m.id
            and x.removed_on is null and x.installed_on > n.read_on)) as before_install,
         cur.installation_id is not null as already,
         coalesce(prev.total,
                  case when i.id is not null then
                    (select r.total from reading r where r.installation_id = i.id and r.period < n.period
                     and r.total is not null order by r.period desc limit 1) end,
                  i.start_reading) as stored_prev
  from n
  left join meter m on m.station_id = ${station} and m.meter_no = n.meter_no
  left join meter_installation i on i.meter_id = m.id and n.read_on is not null
        and i.installed_on <= n.read_on and (i.removed_on is null or i.removed_on >= n.read_on)
  left join customer c on c.id = i.customer_id
  left join stored cur on cur.installation_id = i.id and cur.period = n.period
  left join stored prev on prev.installation_id = i.id and prev.period = n.prev_period and prev.total is not null`;

// Every check in one scan; a row with the wrong shape gets that one reason. Duplicates and a
// meter's earlier period in the same file come from a hash aggregate (the rare meters with
// several periods get a window over just their rows). Lower than before is refused unless a
// wrap past 10^digits explains it better (billing/consumption.ts registerAdvance).
const VALIDATE_SQL = `
  insert into imp_err (line, code)
  with grp as materialized (
    select installation_id, period, count(*) as n, min(line) as first_line
    from imp_p where installation_id is not null and period is not null group by installation_id, period
  ), multi as (
    select installation_id from grp group by installation_id having count(*) > 1
  ), fprev as (
    select p.line, lag(p.total) over (partition by p.installation_id order by p.period, p.line) as file_prev
    from imp_p p join multi using (installation_id)
  ), dup as (
    select p.line from imp_p p join grp g using (installation_id, period) where g.n > 1 and p.line <> g.first_line
  ), x as (
    select p.*, coalesce(f.file_prev, p.stored_prev) as prev_total, d.line is not null as dup
    from imp_p p left join fprev f using (line) left join dup d using (line)
  )
  select line, code from x, unnest(case when not cols_ok then array['COLUMNS'] else array_remove(array[
      case when meter_no is null then 'BAD_METER_NO' end,
      case when read_at is null then 'BAD_TIME' end,
      case when read_at > $1::timestamptz then 'FUTURE_TIME' end,
      case when total is null then 'BAD_NUMBER' end,
      case when peak_txt is not null and peak is null then 'BAD_PEAK' end,
      case when valley_txt is not null and valley is null then 'BAD_VALLEY' end,
      case when coalesce(peak, 0) + coalesce(valley, 0) > total then 'PEAK_VALLEY_EXCEED_TOTAL' end,
      case when meter_no is not null and meter_id is null then 'UNKNOWN_METER' end,
      case when meter_id is not null and read_at is not null and installation_id is null and not before_install then 'NO_INSTALLATION' end,
      case when before_install then 'BEFORE_INSTALL' end,
      case when dup then 'DUPLICATE_IN_FILE' end,
      case when already then 'ALREADY_READ' end,
      case when total < prev_total and not (total + power(10::numeric, digits) - prev_total < prev_total - total) then 'BELOW_LAST' end
    ], null) end) as code`;

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
    await client.query(`set local work_mem = '256MB'`);
    await client.query(`create temp table imp (line int, cols_ok int, meter_no text, read_time text, total text, peak text, valley text) on commit drop`);
    let rows: number;
    try {
      ({ rows } = await copyIntoTemp(client, file.stream, hash));
      mark("copy");
    } catch (e) {
      await client.query("rollback");
      if (e instanceof HeaderError) return refuse(actor, file.name, hash, 0, { code: "IMPORT_HEADER", params: { columns: e.message } }, t0);
      if (e instanceof ControlCharError) return refuse(actor, file.name, hash, 0, { code: "IMPORT_MALFORMED", params: { line: e.line, detail: e.message } }, t0);
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
    mark("parse");
    await client.query(`create temp table imp_err (line int, code text) on commit drop`);
    await client.query(VALIDATE_SQL, [now.toISOString()]);
    const bad = await client.query<{ code: string; n: number }>(`select code, count(*)::int as n from imp_err group by code`);
    mark("validate");
    if (bad.rows.length > 0) {
      const first = await client.query<{ line: number; meter_no: string | null; code: string }>(
        `select e.line, p.meter_no, e.code from (select * from imp_err order by line limit ${REPORT_ROWS}) e
         join imp_p p using (line) order by e.line`);
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

