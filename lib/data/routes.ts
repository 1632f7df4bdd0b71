import "server-only";
// Routes (抄表段), their reading days and the change-of-day workflow: a reader or auditor asks,
// an auditor decides; on approval every affected customer gets a notice through the outbox and
// their confirmations are recorded. The day in force for a period is always derived from the
// approved history (lib/domain/readings/schedule.ts), never from a clock.
import { prisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { addMonths, localDate, type HolidayCalendar, type IsoDate, type Period } from "@/lib/domain/calendar";
import { resolveSettings, type Settings } from "@/lib/domain/settings";
import { settingRows } from "@/lib/data/settings";
import { plannedDates, readingDayFor, scheduledDate, type DayChange } from "@/lib/domain/readings/schedule";
import { translate } from "@/lib/i18n/core";
import type { Channel } from "@/generated/prisma/enums";

// ─── station context: zone, today, settings in force ───

export type StationContext = { stationId: number; timezone: string; today: IsoDate; settings: Settings };

export async function stationContext(stationId: number, now = new Date()): Promise<StationContext> {
  const st = await prisma.station.findUnique({ where: { id: stationId }, select: { timezone: true } });
  const tz = st?.timezone ?? "Asia/Shanghai";
  const today = localDate(now, tz);
  return { stationId, timezone: tz, today, settings: resolveSettings(await settingRows(stationId), today) };
}

export async function holidayCalendar(stationId: number, from: IsoDate, to: IsoDate): Promise<HolidayCalendar> {
  const rows = await prisma.calendarDay.findMany({
    where: { OR: [{ stationId: null }, { stationId }], day: { gte: new Date(from), lte: new Date(to) } },
    select: { day: true, kind: true },
  });
  const holidays = new Set<IsoDate>();
  const workdays = new Set<IsoDate>();
  for (const r of rows) (r.kind === "WORKDAY" ? workdays : holidays).add(r.day.toISOString().slice(0, 10));
  return { holidays, workdays };
}

// ─── schedules ───

export async function approvedChanges(routeIds: readonly number[]): Promise<Map<number, DayChange[]>> {
  const rows = await prisma.readingDayChange.findMany({
    where: { routeId: { in: [...routeIds] }, status: "APPROVED" },
    select: { routeId: true, oldDay: true, newDay: true, fromPeriod: true, decidedAt: true },
  });
  const out = new Map<number, DayChange[]>();
  for (const r of rows) {
    const list = out.get(r.routeId) ?? [];
    list.push({ oldDay: r.oldDay, newDay: r.newDay, fromPeriod: r.fromPeriod, decidedAt: (r.decidedAt ?? new Date(0)).toISOString() });
    out.set(r.routeId, list);
  }
  return out;
}

/** Scheduled date of each route for a period (a few thousand routes at most per station). */
export async function routeSchedules(stationId: number, period: Period, routeIds?: readonly number[]) {
  const routes = await prisma.route.findMany({
    where: { stationId, ...(routeIds ? { id: { in: [...routeIds] } } : {}) },
    select: { id: true, code: true, name: true, readingDay: true, readerId: true, remote: true },
    orderBy: { code: "asc" },
  });
  const changes = await approvedChanges(routes.map((r) => r.id));
  return routes.map((r) => ({ ...r, scheduledOn: scheduledDate(r.readingDay, changes.get(r.id) ?? [], period) }));
}

export type RouteScheduleRow = {
  id: number;
  code: string;
  name: string;
  readerId: number | null;
  readerName: string | null;
  remote: boolean;
  customers: number;
  dayNow: number;
  planned: { period: Period; day: number; date: IsoDate }[];
  changes: {
    id: number; oldDay: number; newDay: number; fromPeriod: Period; reason: string; status: string;
    requestedBy: string; requestedAt: string; decidedBy: string | null; decisionNote: string | null;
    notices: number; confirmations: number;
  }[];
};

/** The reading-days page: each route's day, planned dates for the next periods, its requests. */
export async function listRouteSchedules(stationId: number, fromPeriod: Period, months: number): Promise<RouteScheduleRow[]> {
  const periods = Array.from({ length: months }, (_, i) => addMonths(fromPeriod, i));
  const routes = await prisma.route.findMany({
    where: { stationId },
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, readingDay: true, remote: true, readerId: true, reader: { select: { name: true } } },
  });
  const ids = routes.map((r) => r.id);
  const [changes, counts, requests] = await Promise.all([
    approvedChanges(ids),
    prisma.customer.groupBy({ by: ["routeId"], where: { stationId, status: { not: "CLOSED" } }, _count: { _all: true } }),
    prisma.readingDayChange.findMany({
      where: { routeId: { in: ids } },
      orderBy: { requestedAt: "desc" },
      include: { _count: { select: { confirmations: true } } },
    }),
  ]);
  const users = new Map(
    (await prisma.user.findMany({
      where: { id: { in: [...new Set(requests.flatMap((r) => [r.requestedBy, r.decidedBy ?? r.requestedBy]))] } },
      select: { id: true, name: true },
    })).map((u) => [u.id, u.name]),
  );
  const notices = await prisma.$queryRaw<{ change_id: number; n: bigint }[]>`
    select split_part(dedupe_key, ':', 2)::int as change_id, count(*) as n
    from outbox_message where station_id = ${stationId} and template = 'reading-day-change' group by 1`;
  const noticeBy = new Map(notices.map((n) => [n.change_id, Number(n.n)]));
  const countBy = new Map(counts.map((c) => [c.routeId, c._count._all]));
  return routes.map((r) => {
    const ch = changes.get(r.id) ?? [];
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      readerId: r.readerId,
      readerName: r.reader?.name ?? null,
      remote: r.remote,
      customers: countBy.get(r.id) ?? 0,
      dayNow: readingDayFor(r.readingDay, ch, fromPeriod),
      planned: plannedDates(r.readingDay, ch, periods),
      changes: requests.filter((q) => q.routeId === r.id).map((q) => ({
        id: q.id, oldDay: q.oldDay, newDay: q.newDay, fromPeriod: q.fromPeriod, reason: q.reason, status: q.status,
        requestedBy: users.get(q.requestedBy) ?? "", requestedAt: q.requestedAt.toISOString(),
        decidedBy: q.decidedBy ? users.get(q.decidedBy) ?? null : null, decisionNote: q.decisionNote,
        notices: noticeBy.get(q.id) ?? 0, confirmations: q._count.confirmations,
      })),
    };
  });
}

// ─── the change-of-day workflow ───

export async function requestDayChange(
  actor: Actor,
  input: { routeId: number; newDay: number; fromPeriod: Period; reason: string },
): Promise<{ id: number }> {
  const ctx = await stationContext(actor.stationId);
  if (input.fromPeriod <= ctx.today.slice(0, 7)) throw new AppError("DAY_CHANGE_PERIOD_PAST");
  return prisma.$transaction(async (tx) => {
    const route = await tx.route.findFirst({ where: { id: input.routeId, stationId: actor.stationId } });
    if (!route) throw new AppError("NOT_FOUND");
    // a reader asks only for his own routes
    if (actor.role === "READER" && route.readerId !== actor.id) throw new AppError("ROUTE_NOT_YOURS");
    const pending = await tx.readingDayChange.count({ where: { routeId: route.id, status: "PENDING" } });
    if (pending > 0) throw new AppError("DAY_CHANGE_PENDING");
    const changes = await tx.readingDayChange.findMany({ where: { routeId: route.id, status: "APPROVED" } });
    const oldDay = readingDayFor(route.readingDay, changes.map(toDayChange), input.fromPeriod);
    if (oldDay === input.newDay) throw new AppError("DAY_CHANGE_SAME_DAY");
    const c = await tx.readingDayChange.create({
      data: {
        stationId: actor.stationId, routeId: route.id, oldDay, newDay: input.newDay,
        fromPeriod: input.fromPeriod, reason: input.reason, requestedBy: actor.id,
      },
    });
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "readingDay.request", targetType: "reading_day_change",
      targetId: c.id, after: { routeId: route.id, oldDay, newDay: input.newDay, fromPeriod: input.fromPeriod }, reason: input.reason,
    });
    return { id: c.id };
  });
}

function toDayChange(c: { oldDay: number; newDay: number; fromPeriod: string; decidedAt: Date | null }): DayChange {
  return { oldDay: c.oldDay, newDay: c.newDay, fromPeriod: c.fromPeriod, decidedAt: (c.decidedAt ?? new Date(0)).toISOString() };
}

// Which consented contact carries a notice: the customer's own first, then a proxy/tenant/
// finance contact, by channel preference. None at all: a notice left on site by the reader.
const CHANNEL_ORDER: Channel[] = ["SMS", "WECHAT", "PHONE", "LANDLINE", "EMAIL", "POST"];
const ROLE_ORDER = ["SELF", "PROXY", "TENANT", "FINANCE", "LANDLORD"];

export function pickContact<C extends { role: string; channel: Channel; consent: boolean; active: boolean }>(contacts: readonly C[]): C | null {
  const ok = contacts.filter((c) => c.consent && c.active && CHANNEL_ORDER.includes(c.channel));
  ok.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || CHANNEL_ORDER.indexOf(a.channel) - CHANNEL_ORDER.indexOf(b.channel));
  return ok[0] ?? null;
}

export async function decideDayChange(
  actor: Actor,
  input: { changeId: number; approve: boolean; note: string | null },
): Promise<{ status: string; notices: number }> {
  const ctx = await stationContext(actor.stationId);
  return prisma.$transaction(async (tx) => {
    // the row lock makes two auditors deciding at once take turns; the second sees it decided
    const locked = await tx.$queryRaw<{ id: number }[]>`
      select id from reading_day_change where id = ${input.changeId} and station_id = ${actor.stationId} for update`;
    if (locked.length === 0) throw new AppError("NOT_FOUND");
    const change = await tx.readingDayChange.findUniqueOrThrow({ where: { id: input.changeId }, include: { route: true } });
    if (change.status !== "PENDING") throw new AppError("DAY_CHANGE_DECIDED");
    if (input.approve && change.requestedBy === actor.id) throw new AppError("DAY_CHANGE_OWN_REQUEST");
    const status = input.approve ? "APPROVED" : "REJECTED";
    const decidedAt = new Date();
    await tx.readingDayChange.update({
      where: { id: change.id },
      data: { status, decidedBy: actor.id, decidedAt, decisionNote: input.note },
    });
    let notices = 0;
    if (input.approve) {
      // the route's day on paper follows once the change is in force for the current period
      if (change.fromPeriod <= ctx.today.slice(0, 7)) {
        await tx.route.update({ where: { id: change.routeId }, data: { readingDay: change.newDay } });
      }
      notices = await queueDayChangeNotices(tx, actor.stationId, change, decidedAt);
    }
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: input.approve ? "readingDay.approve" : "readingDay.reject",
      targetType: "reading_day_change", targetId: change.id,
      before: { status: "PENDING" }, after: { status, newDay: change.newDay, fromPeriod: change.fromPeriod, notices },
      reason: input.note,
    });
    return { status, notices };
  });
}

/** One outbox message per affected customer; dedupe_key makes a retried approval harmless. */
async function queueDayChangeNotices(
  tx: Tx,
  stationId: number,
  change: { id: number; routeId: number; oldDay: number; newDay: number; fromPeriod: string },
  notBefore: Date,
): Promise<number> {
  const customers = await tx.customer.findMany({
    where: { routeId: change.routeId, stationId, status: { not: "CLOSED" } },
    select: { id: true, customerNo: true, name: true, address: true, contacts: true },
  });
  const [y, m] = change.fromPeriod.split("-");
  const rows = customers.map((c) => {
    const contact = pickContact(c.contacts);
    const content = translate("zh", "readings.notice.dayChange", {
      name: c.name, customerNo: c.customerNo, year: y, month: Number(m), oldDay: change.oldDay, newDay: change.newDay,
    });
    return {
      stationId, customerId: c.id, contactId: contact?.id ?? null,
      channel: (contact?.channel ?? "ON_SITE") as Channel,
      recipient: contact?.value ?? c.address.slice(0, 120),
      template: "reading-day-change", content,
      dedupeKey: `reading-day-change:${change.id}:${c.id}`, notBefore,
    };
  });
  if (rows.length === 0) return 0;
  const r = await tx.outboxMessage.createMany({ data: rows, skipDuplicates: true });
  return r.count;
}

/** Confirmations of a change (by phone, on site, by return SMS …), recorded by staff. */
export async function recordConfirmations(
  actor: Actor,
  input: { changeId: number; customerIds: number[]; channel: string },
): Promise<{ recorded: number }> {
  return prisma.$transaction(async (tx) => {
    const change = await tx.readingDayChange.findFirst({ where: { id: input.changeId, stationId: actor.stationId } });
    if (!change) throw new AppError("NOT_FOUND");
    if (change.status !== "APPROVED") throw new AppError("DAY_CHANGE_NOT_APPROVED");
    const onRoute = await tx.customer.count({ where: { id: { in: input.customerIds }, routeId: change.routeId } });
    if (onRoute !== input.customerIds.length) throw new AppError("CUSTOMER_NOT_ON_ROUTE");
    const now = new Date();
    const r = await tx.readingDayConfirmation.createMany({
      data: input.customerIds.map((customerId) => ({
        changeId: change.id, customerId, confirmedAt: now, channel: input.channel, recordedBy: actor.id,
      })),
      skipDuplicates: true,
    });
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "readingDay.confirm", targetType: "reading_day_change",
      targetId: change.id, after: { customers: input.customerIds.length, recorded: r.count, channel: input.channel },
    });
    return { recorded: r.count };
  });
}

/** Customers of a change with their notice and confirmation (the confirmation list). */
export async function changeCustomers(stationId: number, changeId: number) {
  const change = await prisma.readingDayChange.findFirst({ where: { id: changeId, stationId } });
  if (!change) throw new AppError("NOT_FOUND");
  return prisma.$queryRaw<{ id: number; customer_no: string; name: string; channel: string | null; status: string | null; confirmed_at: Date | null }[]>`
    select c.id, c.customer_no, c.name, o.channel::text as channel, o.status, f.confirmed_at
    from customer c
    left join outbox_message o on o.dedupe_key = 'reading-day-change:' || ${changeId}::text || ':' || c.id::text
    left join reading_day_confirmation f on f.change_id = ${changeId} and f.customer_id = c.id
    where c.route_id = ${change.routeId} and c.station_id = ${stationId} and c.status <> 'CLOSED'
    order by c.route_seq`;
}
