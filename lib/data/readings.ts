import "server-only";
// Readings from the tablet: the reader's routes for today, a route's sheet (meters in walking
// order with previous reading and expected range), and recording a batch from the offline
// queue exactly once (reading.client_key unique + one reading per installation and period).
import fs from "node:fs/promises";
import path from "node:path";
import { prisma, pool } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { addDays, addMonths, localDate, periodOf, type IsoDate, type Period } from "@/lib/domain/calendar";
import type { Settings } from "@/lib/domain/settings";
import { registerAdvance } from "@/lib/domain/billing/consumption";
import { checkPlausibility, expectedRange, isResolved, type PreviousReading } from "@/lib/domain/readings/plausibility";
import { formatRegister, parseRegister } from "@/lib/domain/readings/register";
import { isDue } from "@/lib/domain/readings/schedule";
import { MISSED_REASONS, decideMissed, estimatedRegister, type MissedReason } from "@/lib/domain/readings/estimates";
import { readingItemSchema, type ReadingItem } from "@/lib/validation/reading";
import { holidayCalendar, routeSchedules, stationContext } from "./routes";

// How many earlier readings the expected range looks at (the audit's own-history window).
const HISTORY_READINGS = 13;
// A tablet clock a little ahead of the server's is not a "future" reading.
const CLOCK_SKEW_MS = 5 * 60_000;

export type ReaderRouteDTO = {
  id: number;
  code: string;
  name: string;
  period: Period;
  scheduledOn: IsoDate;
  overdue: boolean;
  meters: number;
  done: number;
};

/** The signed-in reader's routes due today: scheduled today, or earlier and not finished. */
export async function readerRoutes(actor: Actor, now = new Date()): Promise<{ today: IsoDate; routes: ReaderRouteDTO[] }> {
  const ctx = await stationContext(actor.stationId, now);
  const current = periodOf(ctx.today);
  const mine = await prisma.route.findMany({ where: { stationId: actor.stationId, readerId: actor.id }, select: { id: true } });
  if (mine.length === 0) return { today: ctx.today, routes: [] };
  const ids = mine.map((r) => r.id);
  const out: ReaderRouteDTO[] = [];
  for (const period of [addMonths(current, -1), current]) {
    const sched = await routeSchedules(actor.stationId, period, ids);
    const progress = await routeProgress(ids, period);
    for (const r of sched) {
      if (!isDue(r.scheduledOn, ctx.today)) continue;
      const p = progress.get(r.id) ?? { meters: 0, done: 0 };
      const today = r.scheduledOn === ctx.today;
      if (p.done >= p.meters && !today) continue; // finished earlier: not today's work
      out.push({ id: r.id, code: r.code, name: r.name, period, scheduledOn: r.scheduledOn, overdue: r.scheduledOn < ctx.today, ...p });
    }
  }
  out.sort((a, b) => a.scheduledOn.localeCompare(b.scheduledOn) || a.code.localeCompare(b.code));
  return { today: ctx.today, routes: out };
}

async function routeProgress(routeIds: number[], period: Period) {
  const r = await pool.query<{ route_id: number; meters: number; done: number }>(
    `select c.route_id, count(*)::int as meters, count(rd.id) filter (where rd.total is not null)::int as done
     from customer c
     join meter_installation i on i.customer_id = c.id and i.removed_on is null
     left join reading rd on rd.installation_id = i.id and rd.period = $2
     where c.route_id = any($1) and c.status <> 'CLOSED'
     group by c.route_id`,
    [routeIds, period],
  );
  return new Map(r.rows.map((x) => [x.route_id, { meters: x.meters, done: x.done }]));
}

// ─── one meter's context: previous reading and own history ───

export type MeterContext = {
  installationId: number;
  customerId: number;
  stationId: number;
  routeId: number;
  readerId: number | null;
  removed: boolean;
  customerNo: string;
  name: string;
  address: string;
  routeSeq: number;
  flags: string[];
  meterNo: string;
  registers: string[];
  digits: number;
  multiplier: number;
  previous: (PreviousReading & { period: Period | null }) | null;
  periodsSpanned: number;
  historyKwh: number[];
  existing: null | { id: number; value: string | null; source: string; reasonCode: string | null; clientKey: string | null };
};

type Row = {
  installation_id: number; customer_id: number; station_id: number; route_id: number; reader_id: number | null;
  removed: boolean; customer_no: string; name: string; address: string; route_seq: number; flags: string[];
  meter_no: string; registers: string[]; digits: number; multiplier: number; start_reading: string;
  history: { period: string; total: string | null; source: string }[] | null;
  existing: { id: number; total: string | null; source: string; reason_code: string | null; client_key: string | null } | null;
};

const CONTEXT_SQL = `
  select i.id as installation_id, c.id as customer_id, c.station_id, c.route_id, r.reader_id,
         i.removed_on is not null as removed, c.customer_no, c.name, c.address, c.route_seq, c.flags,
         m.meter_no, m.registers, m.digits, i.multiplier, i.start_reading::text as start_reading,
         (select json_agg(h order by h.period desc) from (
            select period, total::text as total, source::text as source from reading
            where installation_id = i.id and period < $2 order by period desc limit ${HISTORY_READINGS}) h) as history,
         (select json_build_object('id', x.id, 'total', x.total::text, 'source', x.source, 'reason_code', x.reason_code, 'client_key', x.client_key)
            from reading x where x.installation_id = i.id and x.period = $2) as existing
  from meter_installation i
  join customer c on c.id = i.customer_id
  join route r on r.id = c.route_id
  join meter m on m.id = i.meter_id`;

function toContext(r: Row, period: Period): MeterContext {
  const hist = (r.history ?? []).filter((h) => h.total !== null); // newest first
  const lastActual = hist.find((h) => h.source !== "ESTIMATED");
  const previous: MeterContext["previous"] = lastActual
    ? { value: parseRegister(lastActual.total!), kind: "READING", period: lastActual.period }
    : hist.length === 0
      ? { value: parseRegister(r.start_reading), kind: "INSTALLATION_START", period: null }
      : null; // only estimates so far: nothing real to compare with
  const periodsSpanned = previous?.period ? Math.max(1, monthsBetween(previous.period, period)) : 1;
  // own history: kWh between consecutive actual readings, per period spanned
  const actual = hist.filter((h) => h.source !== "ESTIMATED").reverse(); // oldest first
  const historyKwh: number[] = [];
  for (let k = 1; k < actual.length; k++) {
    const a = registerAdvance(actual[k - 1].total!, actual[k].total!, r.digits, r.multiplier);
    if (a.lower) continue;
    const span = Math.max(1, monthsBetween(actual[k - 1].period, actual[k].period));
    historyKwh.push(Math.round(a.kwh / span));
  }
  const e = r.existing;
  return {
    installationId: r.installation_id, customerId: r.customer_id, stationId: r.station_id, routeId: r.route_id,
    readerId: r.reader_id, removed: r.removed, customerNo: r.customer_no, name: r.name, address: r.address,
    routeSeq: r.route_seq, flags: r.flags, meterNo: r.meter_no, registers: r.registers, digits: r.digits, multiplier: r.multiplier,
    previous, periodsSpanned, historyKwh,
    existing: e ? { id: e.id, value: e.total, source: e.source, reasonCode: e.reason_code, clientKey: e.client_key } : null,
  };
}

function monthsBetween(a: Period, b: Period): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

export async function meterContexts(installationIds: number[], period: Period): Promise<Map<number, MeterContext>> {
  if (installationIds.length === 0) return new Map();
  const r = await pool.query<Row>(`${CONTEXT_SQL} where i.id = any($1)`, [installationIds, period]);
  return new Map(r.rows.map((row) => [row.installation_id, toContext(row, period)]));
}

// ─── the route sheet for the tablet ───

export type SheetMeterDTO = {
  installationId: number;
  customerId: number;
  customerNo: string;
  name: string;
  address: string;
  routeSeq: number;
  flags: string[];
  meterNo: string;
  registers: string[];
  digits: number;
  multiplier: number;
  previous: { value: string; kind: PreviousReading["kind"]; period: Period | null } | null;
  periodsSpanned: number;
  historyKwh: number[];
  expected: { low: string; high: string; averageKwh: number } | null;
  existing: MeterContext["existing"];
};

export type RouteSheetDTO = {
  route: { id: number; code: string; name: string };
  period: Period;
  scheduledOn: IsoDate;
  today: IsoDate;
  settings: Settings["readings"];
  meters: SheetMeterDTO[];
};

export async function routeSheet(actor: Actor, routeId: number, period: Period): Promise<RouteSheetDTO> {
  const route = await prisma.route.findFirst({ where: { id: routeId, stationId: actor.stationId } });
  if (!route) throw new AppError("NOT_FOUND");
  if (route.readerId !== actor.id) throw new AppError("ROUTE_NOT_YOURS");
  const ctx = await stationContext(actor.stationId);
  const [sched] = await routeSchedules(actor.stationId, period, [routeId]);
  const r = await pool.query<Row>(
    `${CONTEXT_SQL} where c.route_id = $1 and i.removed_on is null and c.status <> 'CLOSED' order by c.route_seq, i.id`,
    [routeId, period],
  );
  const s = ctx.settings.readings;
  const meters = r.rows.map((row) => {
    const m = toContext(row, period);
    const exp = m.previous ? expectedRange(m.previous.value, m.historyKwh, m.multiplier, m.digits, s, m.periodsSpanned) : null;
    return {
      installationId: m.installationId, customerId: m.customerId, customerNo: m.customerNo, name: m.name,
      address: m.address, routeSeq: m.routeSeq, flags: m.flags, meterNo: m.meterNo, registers: m.registers, digits: m.digits,
      multiplier: m.multiplier,
      previous: m.previous ? { value: formatRegister(m.previous.value), kind: m.previous.kind, period: m.previous.period } : null,
      periodsSpanned: m.periodsSpanned, historyKwh: m.historyKwh,
      expected: exp ? { low: formatRegister(exp.lowReading), high: formatRegister(exp.highReading), averageKwh: exp.averageKwh } : null,
      existing: m.existing,
    };
  });
  return { route: { id: route.id, code: route.code, name: route.name }, period, scheduledOn: sched.scheduledOn, today: ctx.today, settings: s, meters };
}

// ─── recording a batch from the offline queue ───

export type SyncItemResult = {
  clientKey: string | null;
  status: "stored" | "duplicate" | "rejected";
  readingId?: number;
  code?: string; // catalog key of the reason when rejected
  params?: Record<string, string | number>;
  field?: string;
};

const PHOTO_DIR = path.join(process.cwd(), ".data", "photos");

/** Records each item on its own: one bad item is refused with its reason, the others go in. */
export async function recordReadings(actor: Actor, items: unknown[], now = new Date()): Promise<SyncItemResult[]> {
  const parsed = items.map((raw) => ({ raw, p: readingItemSchema.safeParse(raw) }));
  const ok = parsed.flatMap((x) => (x.p.success ? [x.p.data] : []));
  const ctx = await stationContext(actor.stationId, now);
  const periods = [...new Set(ok.map((i) => i.period))];
  const contexts = new Map<string, MeterContext>();
  for (const period of periods) {
    const ids = ok.filter((i) => i.period === period).map((i) => i.installationId);
    for (const [id, c] of await meterContexts(ids, period)) contexts.set(`${id}:${period}`, c);
  }
  const results: SyncItemResult[] = [];
  for (const { raw, p } of parsed) {
    const key = typeof (raw as { clientKey?: unknown })?.clientKey === "string" ? (raw as { clientKey: string }).clientKey : null;
    if (!p.success) {
      const issue = p.error.issues[0];
      results.push({ clientKey: key, status: "rejected", code: issue.message, field: issue.path.join(".") });
      continue;
    }
    try {
      results.push(await recordOne(actor, p.data, contexts.get(`${p.data.installationId}:${p.data.period}`), ctx, now));
    } catch (e) {
      if (e instanceof AppError) results.push({ clientKey: key, status: "rejected", code: `errors.${e.code}`, params: e.params });
      else {
        console.error("[readings] record failed", e);
        results.push({ clientKey: key, status: "rejected", code: "errors.GENERIC" });
      }
    }
  }
  return results;
}

async function recordOne(
  actor: Actor,
  item: ReadingItem,
  m: MeterContext | undefined,
  ctx: Awaited<ReturnType<typeof stationContext>>,
  now: Date,
): Promise<SyncItemResult> {
  const key = item.clientKey;
  // a re-sent item that is already stored is success, whatever else changed since
  const dup = await prisma.reading.findUnique({ where: { clientKey: key }, select: { id: true } });
  if (dup) return { clientKey: key, status: "duplicate", readingId: dup.id };

  if (!m || m.stationId !== actor.stationId || m.readerId !== actor.id) throw new AppError("METER_NOT_ON_ROUTE");
  if (m.removed) throw new AppError("METER_REMOVED");
  const readAt = new Date(item.readAt);
  if (readAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AppError("READING_IN_FUTURE");
  const readOn = localDate(readAt, ctx.timezone);
  const allowed = [periodOf(readOn), addMonths(periodOf(readOn), -1)];
  if (!allowed.includes(item.period) || item.period > periodOf(ctx.today)) throw new AppError("READING_WRONG_PERIOD", { period: item.period });

  let reasonCode: string | null = item.missedReason ?? item.reasonCode ?? null;
  if (item.value !== null) {
    const v = parseRegister(item.value);
    const check = checkPlausibility({
      value: v, previous: m.previous, digits: m.digits, multiplier: m.multiplier, historyKwh: m.historyKwh,
      periodsSpanned: m.periodsSpanned, settings: ctx.settings.readings,
    });
    if (!isResolved(check.decision, item.reasonCode)) {
      throw new AppError(check.decision === "reread" ? "READING_NEEDS_REREAD" : "READING_NEEDS_CONFIRM", {
        reasons: check.reasons.join(","),
      });
    }
    if (check.decision === "ok") reasonCode = null;
  }
  const [sched] = await routeSchedules(actor.stationId, item.period, [m.routeId]);
  const photoPath = item.photo ? await savePhoto(actor.stationId, key, item.photo) : null;
  const data = {
    stationId: actor.stationId, customerId: m.customerId, installationId: m.installationId, period: item.period,
    scheduledOn: sched.scheduledOn, readAt, total: item.value, peak: item.peak ?? null, valley: item.valley ?? null,
    reasonCode, observations: item.observations, readerId: actor.id, clientKey: key, photoPath,
  };
  return prisma.$transaction(async (tx) => {
    // the open catch-up visit for this slot (an audit-ordered re-read names a reading that has a
    // value: it is recorded on its own, lib/data/rereads.ts, and a reading here never closes it)
    const [catchUp] = await tx.$queryRaw<{ id: number }[]>`
      select v.id from visit v left join reading r on r.id = v.reading_id
      where v.customer_id = ${m.customerId} and v.purpose = 'CATCH_UP_READING' and v.done_at is null
        and (v.reading_id is null or (r.installation_id = ${m.installationId} and r.period = ${item.period} and r.total is null))
      order by v.id limit 1`;
    const source = catchUp ? "CATCH_UP" : "MANUAL";
    // ON CONFLICT DO NOTHING covers both unique keys: a concurrent re-send of the same item and a
    // second reading of the same meter and period both land here without an error.
    const ins = await tx.$queryRaw<{ id: number }[]>`
      insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, peak, valley,
                           source, reason_code, observations, reader_id, client_key, photo_path)
      values (${data.stationId}, ${data.customerId}, ${data.installationId}, ${data.period}, ${data.scheduledOn}::date,
              ${readAt}, ${data.total}::numeric, ${data.peak}::numeric, ${data.valley}::numeric,
              ${source}::"ReadingSource", ${reasonCode}, ${data.observations}::text[], ${actor.id}, ${key}, ${photoPath})
      on conflict do nothing returning id`;
    let id = ins[0]?.id;
    let action = "reading.record";
    if (id === undefined) {
      const again = await tx.reading.findUnique({ where: { clientKey: key }, select: { id: true } });
      if (again) return { clientKey: key, status: "duplicate" as const, readingId: again.id };
      // the slot holds a "could not read" record: a value read later fills it (a catch-up)
      if (item.value !== null) {
        const upd = await tx.$queryRaw<{ id: number }[]>`
          update reading set total = ${data.total}::numeric, peak = ${data.peak}::numeric, valley = ${data.valley}::numeric,
                 read_at = ${readAt}, source = 'CATCH_UP', reason_code = ${reasonCode}, observations = ${data.observations}::text[],
                 reader_id = ${actor.id}, client_key = ${key}, photo_path = coalesce(${photoPath}, photo_path)
          where installation_id = ${data.installationId} and period = ${data.period} and total is null
          returning id`;
        id = upd[0]?.id;
        action = "reading.catchUp";
      }
      if (id === undefined) throw new AppError("READING_ALREADY_TAKEN");
    }
    if (item.value !== null && catchUp) {
      await tx.visit.update({ where: { id: catchUp.id }, data: { doneAt: now, outcome: "READ" } });
    }
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action, targetType: "reading", targetId: id,
      after: { installationId: data.installationId, period: data.period, total: data.total, reasonCode, observations: data.observations },
    });
    return { clientKey: key, status: "stored" as const, readingId: id };
  });
}

async function savePhoto(stationId: number, key: string, dataUrl: string): Promise<string> {
  const dir = path.join(PHOTO_DIR, String(stationId));
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${key}.jpg`);
  await fs.writeFile(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64"));
  return path.relative(process.cwd(), file);
}

/** Everything the tablet needs for the day in one document (so one cached page works offline):
 *  the routes due and each one's sheet. */
export async function readerWorkload(actor: Actor, now = new Date()) {
  const { today, routes } = await readerRoutes(actor, now);
  const sheets: RouteSheetDTO[] = [];
  for (const r of routes) sheets.push(await routeSheet(actor, r.id, r.period));
  return { today, generatedAt: now.toISOString(), routes, sheets, upcoming: routes.length === 0 ? await nextReadingDays(actor, today) : [] };
}

/** A reader's routes that come next (this period's or the next one's reading days after today),
 *  so an empty day says when the work is, not just that there is none. */
async function nextReadingDays(actor: Actor, today: IsoDate): Promise<{ code: string; name: string; scheduledOn: IsoDate }[]> {
  const mine = await prisma.route.findMany({ where: { stationId: actor.stationId, readerId: actor.id }, select: { id: true } });
  if (mine.length === 0) return [];
  const out: { code: string; name: string; scheduledOn: IsoDate }[] = [];
  for (const period of [periodOf(today), addMonths(periodOf(today), 1)]) {
    for (const r of await routeSchedules(actor.stationId, period, mine.map((x) => x.id))) {
      if (r.scheduledOn > today && !out.some((o) => o.code === r.code)) out.push({ code: r.code, name: r.name, scheduledOn: r.scheduledOn });
    }
  }
  return out.sort((a, b) => a.scheduledOn.localeCompare(b.scheduledOn) || a.code.localeCompare(b.code)).slice(0, 6);
}
export type ReaderWorkloadDTO = Awaited<ReturnType<typeof readerWorkload>>;

// ─── a missed reading: catch-up visit or estimate (002 §1.2) ───

export type MissedOutcome = { choice: "CATCH_UP"; visitOn: IsoDate; visitId: number } | { choice: "ESTIMATE"; total: string; exception: boolean };

export async function decideMissedReading(
  actor: Actor,
  input: { readingId: number; choice: "CATCH_UP" | "ESTIMATE" },
  now = new Date(),
): Promise<MissedOutcome> {
  const ctx = await stationContext(actor.stationId, now);
  const cal = await holidayCalendar(actor.stationId, ctx.today, addDays(ctx.today, 31));
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: number; installation_id: number; customer_id: number; period: string; total: string | null; reason_code: string | null; reader_id: number | null; multiplier: number; digits: number }[]>`
      select r.id, r.installation_id, r.customer_id, r.period, r.total::text as total, r.reason_code, rt.reader_id, i.multiplier, m.digits
      from reading r join customer c on c.id = r.customer_id join route rt on rt.id = c.route_id
      join meter_installation i on i.id = r.installation_id join meter m on m.id = i.meter_id
      where r.id = ${input.readingId} and r.station_id = ${actor.stationId} for update of r`;
    const r = rows[0];
    if (!r) throw new AppError("NOT_FOUND");
    if (r.total !== null) throw new AppError("MISSED_NOT_MISSED");
    if (actor.role === "READER" && (ctx.settings.readings.missedDecisionBy !== "READER" || r.reader_id !== actor.id)) {
      throw new AppError("MISSED_DECISION_NOT_ALLOWED");
    }
    const before = await tx.reading.findMany({
      where: { installationId: r.installation_id, period: { lt: r.period }, total: { not: null } },
      orderBy: { period: "desc" }, take: 1 + ctx.settings.readings.maxConsecutiveEstimates + 1,
      select: { period: true, total: true, source: true },
    });
    let estimatesBefore = 0;
    while (estimatesBefore < before.length && before[estimatesBefore].source === "ESTIMATED") estimatesBefore++;
    const previousConsumptionKwh = before.length >= 2
      ? Math.max(0, registerAdvance(before[1].total!.toString(), before[0].total!.toString(), r.digits, r.multiplier).kwh)
      : null;
    const reason = (MISSED_REASONS as readonly string[]).includes(r.reason_code ?? "") ? (r.reason_code as MissedReason) : "OTHER";
    const d = decideMissed({
      reason, choice: input.choice, previousConsumptionKwh, estimatesBefore, asOf: ctx.today, calendar: cal, settings: ctx.settings.readings,
    });
    if (!d.ok) throw new AppError(d.code);
    if (d.choice === "CATCH_UP") {
      const v = await tx.visit.create({
        data: { stationId: actor.stationId, customerId: r.customer_id, staffId: r.reader_id, purpose: "CATCH_UP_READING", plannedOn: new Date(d.visitOn), readingId: r.id },
      });
      await writeAudit(tx, {
        stationId: actor.stationId, actorId: actor.id, action: "reading.catchUpPlanned", targetType: "reading", targetId: r.id,
        after: { visitId: v.id, plannedOn: d.visitOn, reason },
      });
      return { choice: "CATCH_UP" as const, visitOn: d.visitOn, visitId: v.id };
    }
    const total = formatRegister(estimatedRegister(parseRegister(before[0].total!.toString()), previousConsumptionKwh!, r.multiplier, r.digits));
    await tx.reading.update({ where: { id: r.id }, data: { total, source: "ESTIMATED" } });
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "reading.estimate", targetType: "reading", targetId: r.id,
      before: { total: null }, after: { total, previousConsumptionKwh, estimatesBefore, exception: d.exception, reason },
    });
    return { choice: "ESTIMATE" as const, total, exception: d.exception };
  });
}
