import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { runReadingChecks, streamCheckRows } from "@/lib/data/reading-checks";
import { checkReadingDays, type CheckRow } from "@/lib/domain/readings/checks";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { localDate } from "@/lib/domain/calendar";
import { closeDb, makeFixture, type Fixture } from "./readings-fixtures";

let f: Fixture;
const P = "2026-11";

// what happens to each of the 8 meters on route R01 (reading day 18) in November
async function seed() {
  f = await makeFixture({ customers: 8, history: 3 });
  const at = (d: string, hhmm = "10:00") => new Date(`${d}T${hhmm}:00+08:00`);
  const put = (i: number, data: Record<string, unknown>) =>
    prisma.reading.create({ data: { stationId: f.stationId, customerId: f.customers[i].id, installationId: f.customers[i].installationId,
      period: P, scheduledOn: new Date("2026-11-18"), source: "MANUAL", ...data } as never });
  await put(0, { readAt: at("2026-11-18"), total: "1400" }); // on the day
  await put(1, { readAt: at("2026-11-19", "23:30"), total: "1400" }); // a day late (local date!)
  await put(2, { readAt: at("2026-11-21"), total: "1400" }); // off day
  // 3: nothing at all
  await put(4, { readAt: at("2026-11-18"), total: null, reasonCode: "CUSTOMER_REFUSED" }); // missed, recorded
  await put(5, { readAt: null, total: "1400", source: "ESTIMATED", reasonCode: "NO_ACCESS" }); // first estimate
  // 6: estimated this month and last month → exception
  await prisma.reading.update({ where: { installationId_period: { installationId: f.customers[6].installationId, period: "2026-10" } }, data: { source: "ESTIMATED" } });
  await put(6, { readAt: null, total: "1400", source: "ESTIMATED", reasonCode: "NO_ACCESS" });
  await put(7, { readAt: at("2026-11-18", "08:00"), total: "1400", source: "REMOTE" }); // collected
  // the other route (reader2): read on the 22nd by everyone → read on another day
  const o = await prisma.customer.findFirstOrThrow({ where: { routeId: f.otherRouteId } });
  const inst = await prisma.meterInstallation.findFirstOrThrow({ where: { customerId: o.id } });
  await prisma.reading.create({ data: { stationId: f.stationId, customerId: o.id, installationId: inst.id, period: P,
    scheduledOn: new Date("2026-11-18"), readAt: at("2026-11-22"), total: "1400", source: "MANUAL" } });
}

beforeAll(seed);
afterAll(closeDb);

describe("reading-day checks in SQL = the pure rules", () => {
  it("classifies every meter and rates every route like checkReadingDays", async () => {
    const sql = await runReadingChecks(f.stationId, P, { kind: "station" }, { filter: "ALL", limit: 500 });
    // the same data through the pure function
    const readings = await prisma.reading.findMany({ where: { stationId: f.stationId } });
    const customers = await prisma.customer.findMany({ where: { stationId: f.stationId } });
    const rows: CheckRow[] = customers.map((c) => {
      const cur = readings.find((r) => r.customerId === c.id && r.period === P);
      const prev = readings.find((r) => r.customerId === c.id && r.period === "2026-10");
      return {
        customerId: c.id, routeId: c.routeId, scheduledOn: "2026-11-18",
        reading: cur ? { readOn: cur.readAt ? localDate(cur.readAt, "Asia/Shanghai") : null, source: cur.source, hasValue: cur.total !== null, reasonCode: cur.reasonCode } : null,
        previousSources: [prev && prev.total !== null ? prev.source : null],
      };
    });
    const pure = checkReadingDays({
      rows,
      routes: [f.routeId, f.otherRouteId].map((routeId) => ({ routeId, readerId: routeId === f.routeId ? f.reader.id : f.reader2.id, scheduledOn: "2026-11-18", pendingChange: false, unconfirmed: 0 })),
      readings: DEFAULT_SETTINGS.readings, billing: DEFAULT_SETTINGS.billing,
    });
    for (const r of pure.rows) {
      const s = sql.rows.find((x) => x.customerId === r.customerId)!;
      expect({ id: r.customerId, status: s.status, deviation: s.deviation, run: s.estimateRun, exc: s.estimateException })
        .toEqual({ id: r.customerId, status: r.status, deviation: r.deviation, run: r.estimateRun, exc: r.estimateException });
    }
    const strip = ({ routeId, due, taken, onTime, estimated, notTaken, estimateExceptions, completionRate, onTimeRate, actualDay, offDayWithoutApproval, window }: typeof pure.routes[number]) =>
      ({ routeId, due, taken, onTime, estimated, notTaken, estimateExceptions, completionRate, onTimeRate, actualDay, offDayWithoutApproval, window });
    expect(sql.routes.map(strip)).toEqual(pure.routes.map(strip));
    expect(sql.total).toEqual(pure.total);
    // a route's scope takes the per-customer path in SQL: same answers
    const one = await runReadingChecks(f.stationId, P, { kind: "route", routeId: f.routeId }, { filter: "ALL", limit: 500 });
    expect(one.routes.map(strip)).toEqual(pure.routes.filter((r) => r.routeId === f.routeId).map(strip));
    for (const r of one.rows) expect(r.status).toBe(pure.rows.find((x) => x.customerId === r.customerId)!.status);
  });

  it("matches the demo-like facts exactly", async () => {
    const sql = await runReadingChecks(f.stationId, P, { kind: "station" }, { filter: "ALL", limit: 500 });
    const byIdx = (i: number) => sql.rows.find((r) => r.customerId === f.customers[i].id)!;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => byIdx(i).status)).toEqual(
      ["ON_TIME", "ON_TIME", "OFF_DAY", "NOT_TAKEN", "NOT_TAKEN", "ESTIMATED", "ESTIMATED", "ON_TIME"]);
    expect(byIdx(1).deviation).toBe(1);
    expect(byIdx(2).deviation).toBe(3);
    expect(byIdx(6)).toMatchObject({ estimateRun: 2, estimateException: true });
    expect(byIdx(5)).toMatchObject({ estimateRun: 1, estimateException: false });
    const r1 = sql.routes.find((r) => r.routeId === f.routeId)!;
    expect(r1).toMatchObject({ due: 8, taken: 4, onTime: 3, estimated: 2, notTaken: 2, estimateExceptions: 1, completionRate: 0.5, onTimeRate: 3 / 8, actualDay: "2026-11-18", offDayWithoutApproval: false });
    const r2 = sql.routes.find((r) => r.routeId === f.otherRouteId)!;
    expect(r2).toMatchObject({ due: 1, actualDay: "2026-11-22", offDayWithoutApproval: true });
    expect(byIdx(0).phone).toMatch(/^138\*{4}\d{4}$/);
  });

  it("pages exceptions first with a cursor, and scopes by route and reader", async () => {
    const p1 = await runReadingChecks(f.stationId, P, { kind: "station" }, { filter: "EXCEPTIONS", limit: 3 });
    expect(p1.rows.map((r) => r.status)).toEqual(["NOT_TAKEN", "NOT_TAKEN", "ESTIMATED"]);
    const p2 = await runReadingChecks(f.stationId, P, { kind: "station" }, { filter: "EXCEPTIONS", limit: 3, after: p1.next });
    expect(p2.rows.map((r) => r.status)).toEqual(["ESTIMATED", "OFF_DAY", "OFF_DAY"]);
    expect(p2.next).toBeNull();
    const mine = await runReadingChecks(f.stationId, P, { kind: "reader", readerId: f.reader2.id }, { filter: "ALL" });
    expect(mine.routes.map((r) => r.routeId)).toEqual([f.otherRouteId]);
    expect(mine.rows).toHaveLength(1);
    const one = await runReadingChecks(f.stationId, P, { kind: "route", routeId: f.routeId }, { filter: "ESTIMATED" });
    expect(one.rows).toHaveLength(2);
  });

  it("streams every row for the export", async () => {
    let n = 0;
    for await (const batch of streamCheckRows(f.stationId, P, { kind: "station" }, 4)) n += batch.length;
    expect(n).toBe(9);
  });
});
