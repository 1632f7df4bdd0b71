import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { decideDayChange, listRouteSchedules, recordConfirmations, requestDayChange, routeSchedules } from "@/lib/data/routes";
import { closeDb, makeFixture, type Fixture } from "./readings-fixtures";

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture({ customers: 4, history: 1 });
});
afterAll(closeDb);

// "today" comes from the real clock: the change is asked from a period safely in the future
const today = new Date();
const future = (n: number) => {
  const idx = today.getUTCFullYear() * 12 + today.getUTCMonth() + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
};

describe("reading-day change: request, approval, notices, confirmations", () => {
  let changeId: number;

  it("a reader asks for his own route; the day does not change before approval", async () => {
    const r = await requestDayChange(f.reader, { routeId: f.routeId, newDay: 20, fromPeriod: future(2), reason: "与相邻抄表段合并，统一路线" });
    changeId = r.id;
    const c = await prisma.readingDayChange.findUniqueOrThrow({ where: { id: changeId } });
    expect(c).toMatchObject({ status: "PENDING", oldDay: 18, newDay: 20 });
    const [s] = await routeSchedules(f.stationId, future(2), [f.routeId]);
    expect(s.scheduledOn.slice(8)).toBe("18");
    expect(await prisma.auditLog.count({ where: { action: "readingDay.request", targetId: String(changeId) } })).toBe(1);
  });

  it("refuses another route's reader, a second pending request and a past period", async () => {
    await expect(requestDayChange(f.reader2, { routeId: f.routeId, newDay: 5, fromPeriod: future(2), reason: "x x" })).rejects.toMatchObject({ code: "ROUTE_NOT_YOURS" });
    await expect(requestDayChange(f.auditor, { routeId: f.routeId, newDay: 5, fromPeriod: future(3), reason: "x x" })).rejects.toMatchObject({ code: "DAY_CHANGE_PENDING" });
    await expect(requestDayChange(f.reader2, { routeId: f.otherRouteId, newDay: 5, fromPeriod: future(0), reason: "x x" })).rejects.toMatchObject({ code: "DAY_CHANGE_PERIOD_PAST" });
    await expect(requestDayChange(f.reader2, { routeId: f.otherRouteId, newDay: 18, fromPeriod: future(1), reason: "x x" })).rejects.toMatchObject({ code: "DAY_CHANGE_SAME_DAY" });
  });

  it("approval sends one notice per customer through the outbox (consented channel), once", async () => {
    const r = await decideDayChange(f.auditor, { changeId, approve: true, note: "同意" });
    expect(r).toEqual({ status: "APPROVED", notices: 4 });
    const msgs = await prisma.outboxMessage.findMany({ where: { template: "reading-day-change", dedupeKey: { startsWith: `reading-day-change:${changeId}:` } }, orderBy: { customerId: "asc" } });
    expect(msgs).toHaveLength(4);
    expect(msgs.map((m) => m.channel)).toEqual(["SMS", "WECHAT", "SMS", "WECHAT"]);
    expect(msgs[0].content).toContain("每月18日调整为每月20日");
    expect(msgs[0]).toMatchObject({ status: "PENDING" });
    // a second decision is refused; nothing is sent twice
    await expect(decideDayChange(f.auditor2, { changeId, approve: true, note: null })).rejects.toMatchObject({ code: "DAY_CHANGE_DECIDED" });
    expect(await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: `reading-day-change:${changeId}:` } } })).toBe(4);
    expect(await prisma.auditLog.count({ where: { action: "readingDay.approve", targetId: String(changeId) } })).toBe(1);
  });

  it("the new day applies from its period only", async () => {
    const [before] = await routeSchedules(f.stationId, future(1), [f.routeId]);
    const [from] = await routeSchedules(f.stationId, future(2), [f.routeId]);
    const [later] = await routeSchedules(f.stationId, future(5), [f.routeId]);
    expect([before.scheduledOn.slice(8), from.scheduledOn.slice(8), later.scheduledOn.slice(8)]).toEqual(["18", "20", "20"]);
    // the route's day "on paper" today is still the old one (the change is not in force yet)
    expect((await prisma.route.findUniqueOrThrow({ where: { id: f.routeId } })).readingDay).toBe(18);
  });

  it("confirmations are recorded once per customer; only customers of the route", async () => {
    const ids = f.customers.map((c) => c.id);
    expect(await recordConfirmations(f.auditor, { changeId, customerIds: ids.slice(0, 2), channel: "PHONE" })).toEqual({ recorded: 2 });
    expect(await recordConfirmations(f.auditor, { changeId, customerIds: ids.slice(0, 3), channel: "SMS" })).toEqual({ recorded: 1 });
    const other = await prisma.customer.findFirstOrThrow({ where: { routeId: f.otherRouteId } });
    await expect(recordConfirmations(f.auditor, { changeId, customerIds: [other.id], channel: "PHONE" })).rejects.toMatchObject({ code: "CUSTOMER_NOT_ON_ROUTE" });
    expect(await prisma.readingDayConfirmation.count({ where: { changeId } })).toBe(3);
    // the schedules page counts them
    const rows = await listRouteSchedules(f.stationId, future(1), 3);
    const mine = rows.find((r) => r.id === f.routeId)!;
    expect(mine.changes.find((c) => c.id === changeId)).toMatchObject({ status: "APPROVED", notices: 4, confirmations: 3 });
    expect(mine.planned.map((p) => p.day)).toEqual([18, 20, 20]);
  });

  it("a rejected request changes nothing and sends nothing; nobody approves his own request", async () => {
    const q = await requestDayChange(f.reader2, { routeId: f.otherRouteId, newDay: 10, fromPeriod: future(2), reason: "试一下" });
    expect(await decideDayChange(f.auditor, { changeId: q.id, approve: false, note: "理由不足" })).toEqual({ status: "REJECTED", notices: 0 });
    const [s] = await routeSchedules(f.stationId, future(2), [f.otherRouteId]);
    expect(s.scheduledOn.slice(8)).toBe("18");
    expect(await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: `reading-day-change:${q.id}:` } } })).toBe(0);
    const own = await requestDayChange(f.auditor, { routeId: f.otherRouteId, newDay: 11, fromPeriod: future(2), reason: "核算员申请" });
    await expect(decideDayChange(f.auditor, { changeId: own.id, approve: true, note: null })).rejects.toMatchObject({ code: "DAY_CHANGE_OWN_REQUEST" });
    expect((await decideDayChange(f.auditor2, { changeId: own.id, approve: true, note: null })).status).toBe("APPROVED");
  });
});
