import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { decideMissedReading, recordReadings } from "@/lib/data/readings";
import { runReadingChecks } from "@/lib/data/reading-checks";
import { clientKey, closeDb, makeFixture, type Fixture } from "./readings-fixtures";

// Wednesday 18 November 2026, 10:00 in Shanghai
const NOW = new Date("2026-11-18T02:00:00Z");
let f: Fixture;
beforeAll(async () => {
  f = await makeFixture({ customers: 4, history: 6, kwh: 100 }); // 2026-05…2026-10, 100 kWh a month, last 1600
});
afterAll(closeDb);

async function miss(i: number, reason: string, period = "2026-11") {
  const [r] = await recordReadings(f.reader, [{
    clientKey: clientKey("miss"), installationId: f.customers[i].installationId, period, value: null, missedReason: reason,
    readAt: "2026-11-18T09:00:00+08:00", observations: [],
  }], NOW);
  expect(r.status).toBe("stored");
  return r.readingId!;
}

describe("a missed reading: catch-up or estimate", () => {
  it("catch-up: a visit for the route's reader on the next working day; the slot stays open", async () => {
    const id = await miss(0, "NO_ACCESS");
    const out = await decideMissedReading(f.auditor, { readingId: id, choice: "CATCH_UP" }, NOW);
    expect(out).toMatchObject({ choice: "CATCH_UP", visitOn: "2026-11-19" });
    const v = await prisma.visit.findFirstOrThrow({ where: { customerId: f.customers[0].id } });
    expect(v).toMatchObject({ purpose: "CATCH_UP_READING", staffId: f.reader.id, doneAt: null });
    // the catch-up reading fills the slot and closes the visit
    const [r] = await recordReadings(f.reader, [{
      clientKey: clientKey("cu"), installationId: f.customers[0].installationId, period: "2026-11", value: "1702", readAt: "2026-11-18T16:00:00+08:00", observations: [],
    }], new Date("2026-11-18T09:00:00Z"));
    expect(r).toMatchObject({ status: "stored", readingId: id });
    expect((await prisma.reading.findUniqueOrThrow({ where: { id } })).source).toBe("CATCH_UP");
    expect((await prisma.visit.findUniqueOrThrow({ where: { id: v.id } })).doneAt).not.toBeNull();
  });

  it("estimate: the previous period's consumption on top of the last reading, flagged ESTIMATED", async () => {
    const id = await miss(1, "CUSTOMER_REFUSED");
    const out = await decideMissedReading(f.auditor, { readingId: id, choice: "ESTIMATE" }, NOW);
    expect(out).toEqual({ choice: "ESTIMATE", total: "1700.00", exception: false });
    const row = await prisma.reading.findUniqueOrThrow({ where: { id } });
    expect(row.source).toBe("ESTIMATED");
    expect(row.total?.toString()).toBe("1700");
    expect(await prisma.auditLog.count({ where: { action: "reading.estimate", targetId: String(id) } })).toBe(1);
    await expect(decideMissedReading(f.auditor, { readingId: id, choice: "ESTIMATE" }, NOW)).rejects.toMatchObject({ code: "MISSED_NOT_MISSED" });
  });

  it("no estimate when the customer did not prevent reading; a reader may not decide by default", async () => {
    const id = await miss(2, "METER_FAULT");
    await expect(decideMissedReading(f.auditor, { readingId: id, choice: "ESTIMATE" }, NOW)).rejects.toMatchObject({ code: "ESTIMATE_NOT_ALLOWED" });
    await expect(decideMissedReading(f.reader, { readingId: id, choice: "CATCH_UP" }, NOW)).rejects.toMatchObject({ code: "MISSED_DECISION_NOT_ALLOWED" });
    expect((await prisma.reading.findUniqueOrThrow({ where: { id } })).total).toBeNull();
  });

  it("a reader decides where the station's setting says so (his own route only)", async () => {
    await prisma.setting.create({ data: { stationId: f.stationId, key: "readings", value: { missedDecisionBy: "READER" }, effectiveFrom: new Date("2026-01-01") } });
    const id = await miss(3, "NO_ACCESS");
    await expect(decideMissedReading(f.reader2, { readingId: id, choice: "CATCH_UP" }, NOW)).rejects.toMatchObject({ code: "MISSED_DECISION_NOT_ALLOWED" });
    expect((await decideMissedReading(f.reader, { readingId: id, choice: "CATCH_UP" }, NOW)).choice).toBe("CATCH_UP");
    await prisma.setting.deleteMany({ where: { stationId: f.stationId, key: "readings" } });
  });

  it("two estimates in a row are an exception, in the decision and in the checks", async () => {
    // customer 1 was estimated in November; December's reading is missed again
    const DEC = new Date("2026-12-18T02:00:00Z");
    const [r] = await recordReadings(f.reader, [{
      clientKey: clientKey("miss2"), installationId: f.customers[1].installationId, period: "2026-12", value: null, missedReason: "NO_ACCESS",
      readAt: "2026-12-18T09:00:00+08:00", observations: [],
    }], DEC);
    const out = await decideMissedReading(f.auditor, { readingId: r.readingId!, choice: "ESTIMATE" }, DEC);
    expect(out).toMatchObject({ choice: "ESTIMATE", total: "1800.00", exception: true });
    const checks = await runReadingChecks(f.stationId, "2026-12", { kind: "route", routeId: f.routeId }, { filter: "ESTIMATED" });
    expect(checks.rows.map((x) => [x.customerId, x.estimateRun, x.estimateException])).toEqual([[f.customers[1].id, 2, true]]);
    expect(checks.routes[0].estimateExceptions).toBe(1);
  });
});
