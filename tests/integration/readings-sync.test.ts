import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { recordReadings, readerRoutes, readerWorkload, routeSheet } from "@/lib/data/readings";
import { clientKey, closeDb, makeFixture, type Fixture } from "./readings-fixtures";

// The station's clock: 2026-11-18 10:00 in Shanghai, the route's reading day.
const NOW = new Date("2026-11-18T02:00:00Z");
const readAt = "2026-11-18T09:30:00+08:00";
let f: Fixture;

beforeAll(async () => {
  f = await makeFixture({ customers: 6 });
});
afterAll(closeDb);

const item = (i: number, value: string | null, extra: Record<string, unknown> = {}) => ({
  clientKey: clientKey(`c${i}`),
  installationId: f.customers[i].installationId,
  period: "2026-11",
  value,
  readAt,
  observations: [],
  ...extra,
});

describe("the reader's routes and sheet", () => {
  it("lists the route due today with its progress, only for its reader", async () => {
    const mine = await readerRoutes(f.reader, NOW);
    expect(mine.today).toBe("2026-11-18");
    expect(mine.routes).toEqual([
      expect.objectContaining({ id: f.routeId, period: "2026-11", scheduledOn: "2026-11-18", overdue: false, meters: 6, done: 0 }),
    ]);
    const before = await readerRoutes(f.reader, new Date("2026-11-16T02:00:00Z"));
    // on the 16th the November route is not yet due and October's is finished
    expect(before.routes).toEqual([]);
  });

  it("on a day without routes, says when the next reading days are", async () => {
    const quiet = await readerWorkload(f.reader, new Date("2026-11-16T02:00:00Z"));
    expect(quiet.sheets).toEqual([]);
    expect(quiet.upcoming).toEqual([expect.objectContaining({ scheduledOn: "2026-11-18" })]);
    // a route left unread past its day is work (overdue), not something to come
    const late = await readerWorkload(f.reader, new Date("2026-11-25T02:00:00Z"));
    expect(late.routes.map((r) => r.overdue)).toEqual([true]);
    expect(late.upcoming).toEqual([]);
    // a day with work lists the work, not what comes next
    expect((await readerWorkload(f.reader, NOW)).upcoming).toEqual([]);
  });

  it("gives meters in walking order with previous reading and expected range", async () => {
    const sheet = await routeSheet(f.reader, f.routeId, "2026-11");
    expect(sheet.meters.map((m) => m.routeSeq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sheet.meters[0]).toMatchObject({
      previous: { value: "1600.00", kind: "READING", period: "2026-10" },
      historyKwh: [100, 100, 100, 100, 100],
      expected: { low: "1630.00", high: "1900.00", averageKwh: 100 },
    });
    await expect(routeSheet(f.reader2, f.routeId, "2026-11")).rejects.toMatchObject({ code: "ROUTE_NOT_YOURS" });
  });
});

describe("recordReadings: exactly once", () => {
  it("stores a batch, and the same batch again answers duplicate without a second row", async () => {
    const batch = [item(0, "1700"), item(1, "1710.5")];
    const first = await recordReadings(f.reader, batch, NOW);
    expect(first.map((r) => r.status)).toEqual(["stored", "stored"]);
    const again = await recordReadings(f.reader, batch, NOW);
    expect(again.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);
    expect(again.map((r) => r.readingId)).toEqual(first.map((r) => r.readingId));
    const rows = await prisma.reading.findMany({ where: { installationId: { in: [f.customers[0].installationId, f.customers[1].installationId] }, period: "2026-11" } });
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.installationId === f.customers[1].installationId)?.total?.toString()).toBe("1710.5");
    expect(await prisma.auditLog.count({ where: { action: "reading.record", targetId: { in: first.map((r) => String(r.readingId)) } } })).toBe(2);
  });

  it("the same batch sent concurrently gives one reading each", async () => {
    const batch = [item(2, "1705"), item(3, "1699")];
    const all = await Promise.all(Array.from({ length: 8 }, () => recordReadings(f.reader, batch, NOW)));
    const statuses = all.flat().map((r) => r.status);
    expect(statuses.filter((s) => s === "stored")).toHaveLength(2);
    expect(statuses.filter((s) => s === "rejected")).toHaveLength(0);
    const n = await prisma.reading.count({ where: { installationId: { in: [f.customers[2].installationId, f.customers[3].installationId] }, period: "2026-11" } });
    expect(n).toBe(2);
  });

  it("a second reading of a meter already read (another key) is refused, the first stays", async () => {
    const r = await recordReadings(f.reader, [item(0, "1750")], NOW);
    expect(r[0]).toMatchObject({ status: "rejected", code: "errors.READING_ALREADY_TAKEN" });
    const row = await prisma.reading.findFirst({ where: { installationId: f.customers[0].installationId, period: "2026-11" } });
    expect(row?.total?.toString()).toBe("1700");
  });
});

describe("bad input changes nothing", () => {
  const count = () => prisma.reading.count({ where: { period: "2026-11" } });
  it.each([
    ["letters in the value", () => item(4, "17a0"), "readings.validation.value"],
    ["a negative value", () => item(4, "-5"), "readings.validation.value"],
    ["a meter on another reader's route", () => ({ ...item(4, "1700"), installationId: f.otherInstallationId }), "errors.METER_NOT_ON_ROUTE"],
    ["an unknown meter", () => ({ ...item(4, "1700"), installationId: 99999999 }), "errors.METER_NOT_ON_ROUTE"],
    ["a future time", () => item(4, "1700", { readAt: "2026-11-19T09:00:00+08:00" }), "errors.READING_IN_FUTURE"],
    ["a period that does not fit the time", () => item(4, "1700", { period: "2026-08" }), "errors.READING_WRONG_PERIOD"],
    ["below the last reading, not re-read", () => item(4, "1500"), "errors.READING_NEEDS_REREAD"],
    ["far above, not confirmed", () => item(4, "2500"), "errors.READING_NEEDS_CONFIRM"],
    ["no value and no reason", () => item(4, null), "readings.validation.missedReasonRequired"],
    ["an unknown field", () => item(4, "1700", { sneaky: 1 }), "readings.validation.clientKey"],
  ])("%s", async (_n, make, code) => {
    const before = await count();
    const [r] = await recordReadings(f.reader, [make()], NOW);
    expect(r.status).toBe("rejected");
    if (code !== "readings.validation.clientKey") expect(r.code).toBe(code);
    expect(await count()).toBe(before);
  });

  it("one bad item does not block the good ones", async () => {
    const r = await recordReadings(f.reader, [item(4, "x"), item(4, "1702")], NOW);
    expect(r.map((x) => x.status)).toEqual(["rejected", "stored"]);
  });

  it("an unusual value confirmed with a reason, or re-read, is stored with that reason", async () => {
    const r = await recordReadings(f.reader, [item(5, "2500", { reasonCode: "USAGE_CHANGED", observations: ["USAGE_CHANGED"] })], NOW);
    expect(r[0].status).toBe("stored");
    const row = await prisma.reading.findUnique({ where: { id: r[0].readingId } });
    expect(row).toMatchObject({ reasonCode: "USAGE_CHANGED", observations: ["USAGE_CHANGED"], source: "MANUAL" });
  });
});

describe("a meter the reader could not read", () => {
  it("records why, and a later value fills the same slot as a catch-up", async () => {
    const g = await makeFixture({ customers: 1 });
    const miss = { clientKey: clientKey("m"), installationId: g.customers[0].installationId, period: "2026-11", value: null, missedReason: "NO_ACCESS", readAt, observations: ["NO_ACCESS"] };
    const [a] = await recordReadings(g.reader, [miss], NOW);
    expect(a.status).toBe("stored");
    const row = await prisma.reading.findUnique({ where: { id: a.readingId } });
    expect(row).toMatchObject({ total: null, reasonCode: "NO_ACCESS", source: "MANUAL" });
    const later = { clientKey: clientKey("m"), installationId: g.customers[0].installationId, period: "2026-11", value: "1700", readAt: "2026-11-18T15:00:00+08:00", observations: [] };
    const [b] = await recordReadings(g.reader, [later], new Date("2026-11-18T08:00:00Z"));
    expect(b).toMatchObject({ status: "stored", readingId: a.readingId });
    const filled = await prisma.reading.findUnique({ where: { id: a.readingId } });
    expect(filled?.total?.toString()).toBe("1700");
    expect(filled?.source).toBe("CATCH_UP");
    expect(await prisma.reading.count({ where: { installationId: g.customers[0].installationId, period: "2026-11" } })).toBe(1);
  });
});
