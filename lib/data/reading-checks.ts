import "server-only";
// Reading-day checks over a whole station: the rules of lib/domain/readings/checks.ts run as SQL
// aggregates (one pass over customers ⋈ readings, materialised once, read twice: the per-route
// counts and the first page of exception rows), so a 1,000,000-customer period is answered in
// seconds; only the routes (a few thousand) and one page of rows travel to Node. The integration
// test holds this to the pure function's answers on the same data.
import type pg from "pg";
import { pool } from "@/lib/db";
import { addMonths, type IsoDate, type Period } from "@/lib/domain/calendar";
import type { Settings } from "@/lib/domain/settings";
import { emptyRates, finishRates, type Rates, type RouteResult, type RowStatus } from "@/lib/domain/readings/checks";
import { collectionWindow, deviationDays, isOnTime } from "@/lib/domain/readings/schedule";
import { maskPhone } from "@/lib/domain/payments/mask";
import { approvedChanges, stationContext } from "./routes";
import { scheduledDate } from "@/lib/domain/readings/schedule";

export type CheckScope = { kind: "station" } | { kind: "route"; routeId: number } | { kind: "reader"; readerId: number };
export type DetailFilter = "EXCEPTIONS" | "ALL" | RowStatus;
export type Cursor = { rank: number; customerNo: string };

export type CheckRouteDTO = RouteResult & { code: string; name: string; readerName: string | null; remote: boolean };
export type CheckReaderDTO = Rates & { readerId: number | null; readerName: string | null; routes: number };
export type CheckRowDTO = {
  customerId: number; customerNo: string; name: string; phone: string; routeCode: string;
  scheduledOn: IsoDate; readAt: string | null; readOn: IsoDate | null; deviation: number | null;
  status: RowStatus; source: string | null; reasonCode: string | null; estimateRun: number; estimateException: boolean;
  readingId: number | null;
};
export type ChecksDTO = {
  period: Period;
  scope: CheckScope;
  routes: CheckRouteDTO[];
  readers: CheckReaderDTO[];
  total: Rates;
  rows: CheckRowDTO[];
  next: Cursor | null;
  elapsedMs: number;
  settings: { readings: Settings["readings"]; billing: Settings["billing"] };
};

type RouteInfo = {
  id: number; code: string; name: string; readerId: number | null; readerName: string | null; remote: boolean;
  scheduledOn: IsoDate; pendingChange: boolean; unconfirmed: number;
};

async function routesInScope(stationId: number, period: Period, scope: CheckScope): Promise<RouteInfo[]> {
  const where = scope.kind === "route" ? "and r.id = $2" : scope.kind === "reader" ? "and r.reader_id = $2" : "";
  const params: unknown[] = [stationId];
  if (scope.kind === "route") params.push(scope.routeId);
  if (scope.kind === "reader") params.push(scope.readerId);
  const r = await pool.query<{ id: number; code: string; name: string; reading_day: number; reader_id: number | null; reader_name: string | null; remote: boolean; pending: boolean }>(
    `select r.id, r.code, r.name, r.reading_day, r.reader_id, u.name as reader_name, r.remote,
            exists (select 1 from reading_day_change x where x.route_id = r.id and x.status = 'PENDING') as pending
     from route r left join app_user u on u.id = r.reader_id
     where r.station_id = $1 ${where} order by r.code`, params);
  const changes = await approvedChanges(r.rows.map((x) => x.id));
  // customers not (yet) confirmed for the approved change in force this period
  const inForce = r.rows.flatMap((x) => {
    const c = (changes.get(x.id) ?? []).filter((d) => d.fromPeriod <= period).sort((a, b) => a.fromPeriod.localeCompare(b.fromPeriod)).at(-1);
    return c ? [{ routeId: x.id, fromPeriod: c.fromPeriod }] : [];
  });
  const unconfirmed = new Map<number, number>();
  if (inForce.length) {
    const u = await pool.query<{ route_id: number; n: number }>(
      `select c.route_id, count(*)::int as n
       from customer c
       join reading_day_change x on x.route_id = c.route_id and x.status = 'APPROVED'
       join unnest($1::int[], $2::text[]) f(route_id, from_period) on f.route_id = x.route_id and f.from_period = x.from_period
       where c.status <> 'CLOSED' and not exists (select 1 from reading_day_confirmation k where k.change_id = x.id and k.customer_id = c.id)
       group by c.route_id`, [inForce.map((f) => f.routeId), inForce.map((f) => f.fromPeriod)]);
    for (const row of u.rows) unconfirmed.set(row.route_id, row.n);
  }
  return r.rows.map((x) => ({
    id: x.id, code: x.code, name: x.name, readerId: x.reader_id, readerName: x.reader_name, remote: x.remote,
    scheduledOn: scheduledDate(x.reading_day, changes.get(x.id) ?? [], period), pendingChange: x.pending,
    unconfirmed: unconfirmed.get(x.id) ?? 0,
  }));
}

const RANK: Record<RowStatus, number> = { NOT_TAKEN: 0, ESTIMATED: 1, OFF_DAY: 2, ON_TIME: 3 };

/** The classification of every due meter as SQL (mirrors classifyRow in domain/readings/checks.ts),
 *  slim on purpose (names, phones and times are joined for the rows shown only).
 *  $1 period, $2 time zone, $3 tolerance, $4 max consecutive estimates, $5 station; the earlier
 *  periods ($6…) are joined one by one for the run of estimates. The routes and their scheduled
 *  days come inline as VALUES (integers and ISO dates made here, so the planner knows how many):
 *  a whole station then joins customers and the period's readings by hash (one scan each);
 *  a route or a reader's routes probe the indexes per customer instead. */
function classifySql(routes: RouteInfo[], prevPeriods: number, wide: boolean): string {
  const values = routes.length
    ? routes.map((r) => `(${Number(r.id)}, date '${/^\d{4}-\d{2}-\d{2}$/.test(r.scheduledOn) ? r.scheduledOn : "1970-01-01"}')`).join(",")
    : "(0, date '1970-01-01')";
  const readingOf = wide
    ? `left join (select distinct on (x.customer_id) x.customer_id, x.id, x.total is not null as has_value, x.source,
                         (x.read_at at time zone $2)::date as read_on
                  from reading x where x.station_id = $5 and x.period = $1
                  order by x.customer_id, x.total is null, x.id desc) r on r.customer_id = c.id`
    : `left join lateral (select x.id, x.total is not null as has_value, x.source, (x.read_at at time zone $2)::date as read_on
                         from reading x where x.customer_id = c.id and x.period = $1
                         order by x.total is null, x.id desc limit 1) r on true`;
  const prevJoins = Array.from({ length: prevPeriods }, (_, k) => wide
    ? `
    left join (select p.customer_id, bool_or(p.source = 'ESTIMATED' and p.total is not null) as est
               from reading p where p.station_id = $5 and p.period = $${6 + k} group by p.customer_id) p${k + 1} on p${k + 1}.customer_id = c.id`
    : `
    left join lateral (select bool_or(p.source = 'ESTIMATED' and p.total is not null) as est
                       from reading p where p.customer_id = c.id and p.period = $${6 + k}) p${k + 1} on true`).join("");
  // run = 0 unless this period is estimated; then 1 + the unbroken run of earlier estimates
  let run = "0";
  for (let k = prevPeriods; k >= 1; k--) run = `(case when coalesce(p${k}.est, false) then 1 + ${run} else 0 end)`;
  return `
    select c.id as customer_id, c.customer_no, c.route_id, s.scheduled_on, r.id as reading_id, r.read_on,
           case when not coalesce(r.has_value, false) then 'NOT_TAKEN'
                when r.source = 'ESTIMATED' then 'ESTIMATED'
                when abs(r.read_on - s.scheduled_on) < $3 then 'ON_TIME'
                else 'OFF_DAY' end as status,
           case when r.has_value and r.source <> 'ESTIMATED' then r.read_on - s.scheduled_on end as deviation,
           case when r.has_value and r.source = 'ESTIMATED' then 1 + ${run} else 0 end as estimate_run,
           $4::int as max_run
    from (values ${values}) s(route_id, scheduled_on)
    join customer c on c.route_id = s.route_id and c.station_id = $5 and c.status <> 'CLOSED' and c.opened_on <= s.scheduled_on
    ${readingOf}
    ${prevJoins}`;
}

/** Names, masked phones, times and reasons for the rows that are shown or exported. */
const DETAIL_SQL = (inner: string) => `
  select d.*, c.name, c.phone, x.read_at, x.source::text as source, x.reason_code
  from (${inner}) d
  join customer c on c.id = d.customer_id
  left join reading x on x.id = d.reading_id`;

function params(stationId: number, period: Period, tz: string, s: Settings["readings"]): unknown[] {
  const prev = Array.from({ length: s.maxConsecutiveEstimates }, (_, k) => addMonths(period, -(k + 1)));
  return [period, tz, s.onTimeToleranceDays, s.maxConsecutiveEstimates, stationId, ...prev];
}

type DbRow = {
  customer_id: number; customer_no: string; name: string; phone: string | null; route_id: number; scheduled_on: Date | string;
  reading_id: number | null; read_at: Date | null; source: string | null; reason_code: string | null; read_on: Date | string | null;
  status: RowStatus; deviation: number | null; estimate_run: number; rank?: number;
};

const isoDay = (d: Date | string | null) => (d === null ? null : typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));

function toRow(r: DbRow, routeCode: string, s: Settings["readings"]): CheckRowDTO {
  return {
    customerId: r.customer_id, customerNo: r.customer_no, name: r.name, phone: maskPhone(r.phone), routeCode,
    scheduledOn: isoDay(r.scheduled_on)!, readAt: r.read_at ? r.read_at.toISOString() : null, readOn: isoDay(r.read_on),
    deviation: r.deviation, status: r.status, source: r.source, reasonCode: r.reason_code, estimateRun: r.estimate_run,
    estimateException: r.estimate_run > s.maxConsecutiveEstimates, readingId: r.reading_id,
  };
}

export async function runReadingChecks(
  stationId: number,
  period: Period,
  scope: CheckScope,
  opts: { filter?: DetailFilter; after?: Cursor | null; limit?: number; routeFilter?: number | null } = {},
): Promise<ChecksDTO> {
  const t0 = performance.now();
  const ctx = await stationContext(stationId);
  const s = ctx.settings.readings;
  const routes = await routesInScope(stationId, period, scope);
  const limit = Math.min(opts.limit ?? 100, 500);
  const filter = opts.filter ?? "EXCEPTIONS";
  const client = await pool.connect();
  try {
    await client.query("begin read only");
    await client.query(`set local work_mem = '256MB'`);
    const p = params(stationId, period, ctx.timezone, s);
    const n = p.length;
    const statusCond = filter === "ALL" ? "true" : filter === "EXCEPTIONS" ? "status <> 'ON_TIME'" : `status = $${n + 1}`;
    const extra: unknown[] = filter === "ALL" || filter === "EXCEPTIONS" ? [] : [filter];
    const routeCond = opts.routeFilter ? `route_id = $${n + extra.length + 1}` : "true";
    if (opts.routeFilter) extra.push(opts.routeFilter);
    const after = opts.after ? `(rank, customer_no) > ($${n + extra.length + 1}::int, $${n + extra.length + 2}::text)` : "true";
    if (opts.after) extra.push(opts.after.rank, opts.after.customerNo);
    // counts by hash aggregate; the day most of a route was read on from a small (route, day)
    // aggregate instead of an ordered-set aggregate that would sort every row
    const sql = `
      with cls as materialized (${classifySql(routes, s.maxConsecutiveEstimates, scope.kind === "station")}),
      agg as (
        select route_id, count(*)::int as due,
               count(*) filter (where status in ('ON_TIME', 'OFF_DAY'))::int as taken,
               count(*) filter (where status = 'ON_TIME')::int as on_time,
               count(*) filter (where status = 'ESTIMATED')::int as estimated,
               count(*) filter (where status = 'NOT_TAKEN')::int as not_taken,
               count(*) filter (where estimate_run > $4)::int as estimate_exceptions
        from cls group by route_id),
      days as (
        select distinct on (route_id) route_id, read_on as actual_day from (
          select route_id, read_on, scheduled_on, count(*) as k from cls where status in ('ON_TIME', 'OFF_DAY')
          group by route_id, read_on, scheduled_on) t
        order by route_id, k desc, abs(read_on - scheduled_on), read_on),
      page as (
        select *, case status when 'NOT_TAKEN' then 0 when 'ESTIMATED' then 1 when 'OFF_DAY' then 2 else 3 end as rank
        from cls)
      select 'agg' as kind, to_jsonb(agg) || jsonb_build_object('actual_day', days.actual_day) as j
      from agg left join days using (route_id)
      union all
      select 'row', to_jsonb(d) from (${DETAIL_SQL(`
        select * from page where ${statusCond} and ${routeCond} and ${after} order by rank, customer_no limit ${limit + 1}`)}
        order by d.rank, d.customer_no) d`;
    const res = await client.query<{ kind: string; j: Record<string, unknown> }>(sql, [...p, ...extra]);
    await client.query("commit");
    const agg = new Map<number, Record<string, unknown>>();
    const rows: DbRow[] = [];
    for (const r of res.rows) {
      if (r.kind === "agg") agg.set(r.j.route_id as number, r.j);
      else rows.push({ ...(r.j as unknown as DbRow), read_at: r.j.read_at ? new Date(r.j.read_at as string) : null });
    }
    const code = new Map(routes.map((r) => [r.id, r.code]));
    const routeDTOs: CheckRouteDTO[] = routes.map((rt) => {
      const a = agg.get(rt.id);
      const rates = emptyRates();
      if (a) {
        rates.due = a.due as number; rates.taken = a.taken as number; rates.onTime = a.on_time as number;
        rates.estimated = a.estimated as number; rates.notTaken = a.not_taken as number; rates.estimateExceptions = a.estimate_exceptions as number;
      }
      const actualDay = (a?.actual_day as string | null | undefined) ?? null;
      return finishRates({
        ...rates, routeId: rt.id, readerId: rt.readerId, scheduledOn: rt.scheduledOn, actualDay,
        offDayWithoutApproval: actualDay !== null && !isOnTime(deviationDays(rt.scheduledOn, actualDay), s),
        pendingChange: rt.pendingChange, unconfirmed: rt.unconfirmed,
        window: collectionWindow(actualDay ?? rt.scheduledOn, ctx.settings.billing),
        code: rt.code, name: rt.name, readerName: rt.readerName, remote: rt.remote,
      });
    });
    const readers = new Map<number | null, CheckReaderDTO>();
    for (const rt of routeDTOs) {
      const rr = readers.get(rt.readerId) ?? { ...emptyRates(), readerId: rt.readerId, readerName: rt.readerName, routes: 0 };
      rr.routes++;
      for (const k of ["due", "taken", "onTime", "estimated", "notTaken", "estimateExceptions"] as const) rr[k] += rt[k];
      readers.set(rt.readerId, rr);
    }
    const total = emptyRates();
    for (const rt of routeDTOs) for (const k of ["due", "taken", "onTime", "estimated", "notTaken", "estimateExceptions"] as const) total[k] += rt[k];
    const more = rows.length > limit;
    const pageRows = rows.slice(0, limit);
    const last = pageRows.at(-1);
    return {
      period, scope, routes: routeDTOs, readers: [...readers.values()].map(finishRates), total: finishRates(total),
      rows: pageRows.map((r) => toRow(r, code.get(r.route_id) ?? "", s)),
      next: more && last ? { rank: RANK[last.status], customerNo: last.customer_no } : null,
      elapsedMs: Math.round(performance.now() - t0),
      settings: { readings: s, billing: ctx.settings.billing },
    };
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Every row of the scope, streamed in route and walking order (the Excel export). */
export async function* streamCheckRows(stationId: number, period: Period, scope: CheckScope, batch = 5000): AsyncGenerator<CheckRowDTO[]> {
  const ctx = await stationContext(stationId);
  const s = ctx.settings.readings;
  const routes = await routesInScope(stationId, period, scope);
  const code = new Map(routes.map((r) => [r.id, r.code]));
  const client = await pool.connect();
  try {
    await client.query("begin read only");
    await client.query(`declare chk no scroll cursor for ${DETAIL_SQL(classifySql(routes, s.maxConsecutiveEstimates, scope.kind === "station"))}
      order by d.route_id, d.customer_no`, params(stationId, period, ctx.timezone, s));
    for (;;) {
      const r = await (client as pg.PoolClient).query<DbRow>(`fetch ${batch} from chk`);
      if (r.rows.length === 0) break;
      yield r.rows.map((x) => toRow(x, code.get(x.route_id) ?? "", s));
    }
    await client.query("commit");
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export async function checkScopes(stationId: number) {
  const [routes, readers] = await Promise.all([
    pool.query<{ id: number; code: string; name: string }>(`select id, code, name from route where station_id = $1 order by code`, [stationId]),
    pool.query<{ id: number; name: string }>(`select id, name from app_user where station_id = $1 and role = 'READER' and active order by name`, [stationId]),
  ]);
  return { routes: routes.rows, readers: readers.rows };
}
