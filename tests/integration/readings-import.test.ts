import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { importCollectedReadings } from "@/lib/data/imports";
import { closeDb, makeFixture, type Fixture } from "./readings-fixtures";

const NOW = new Date("2026-11-20T04:00:00Z"); // 12:00 in Shanghai
let f: Fixture;

beforeAll(async () => {
  f = await makeFixture({ customers: 6 });
});
afterAll(closeDb);

const csv = (lines: string[]) => ({ name: "collect.csv", stream: Readable.from([lines.join("\n") + "\n"]) });
const countNov = () => prisma.reading.count({ where: { period: "2026-11", stationId: f.stationId } });

describe("collected readings import: all or nothing", () => {
  it("refuses a file with bad rows, lists every row's reason, imports nothing", async () => {
    const m = f.customers.map((c) => c.meterNo);
    const before = await countNov();
    const r = await importCollectedReadings(f.auditor, csv([
      "meter_no,read_time,total,peak,valley",
      `${m[0]},2026-11-18 09:30:00,1700.5,900,800`, // good
      `${m[1]},2026-11-18 09:31,17x0,,`, // bad number
      `NOPE-1,2026-11-18 09:32,1700,,`, // unknown meter
      `${m[2]},2026-11-21 09:00,1700,,`, // after "now"
      `${m[3]},2026-02-30 09:00,1700,,`, // impossible date
      `${m[3]},2026-11-18 09:00,1500,,`, // below last reading (1600)
      `${m[4]},2026-11-18 09:00,1700,,`,
      `${m[4]},2026-11-18 10:00,1701,,`, // the same meter and period twice
      `${m[5]},2026-11-18 09:30,1700,1000,900`, // peak + valley > total
      `only,two`, // column count
    ]), NOW);
    expect(r.status).toBe("REFUSED");
    expect(r.accepted).toBe(0);
    expect(r.rows).toBe(10);
    const codes = (line: number) => r.errors.filter((e) => e.line === line).map((e) => e.code);
    expect(codes(2)).toEqual([]);
    expect(codes(3)).toEqual(["BAD_NUMBER"]);
    expect(codes(4)).toEqual(["UNKNOWN_METER"]);
    expect(codes(5)).toEqual(["FUTURE_TIME"]);
    expect(codes(6)).toEqual(["BAD_TIME"]);
    expect(codes(7)).toEqual(["BELOW_LAST"]);
    expect(codes(8)).toEqual([]);
    expect(codes(9)).toEqual(["DUPLICATE_IN_FILE"]);
    expect(codes(10)).toEqual(["PEAK_VALLEY_EXCEED_TOTAL"]);
    expect(codes(11)).toEqual(["COLUMNS"]);
    expect(r.rejected).toBe(8);
    expect(await countNov()).toBe(before);
    const batch = await prisma.importBatch.findUnique({ where: { id: r.batchId } });
    expect(batch).toMatchObject({ accepted: 0, rejected: 8, rows: 10, kind: "COLLECTED_READINGS" });
    expect((batch!.report as { byCode: Record<string, number> }).byCode).toMatchObject({ BAD_NUMBER: 1, DUPLICATE_IN_FILE: 1 });
  });

  it("imports a clean file in one go, Chinese headers, with scheduled dates and source REMOTE", async () => {
    const m = f.customers.slice(0, 5).map((c) => c.meterNo);
    const r = await importCollectedReadings(f.auditor, csv([
      "表号,抄表时间,总示数,峰示数,谷示数",
      ...m.map((no, i) => `${no},2026/11/18 08:0${i},${1700 + i}.25,${900 + i},${700}`),
    ]), NOW);
    expect(r).toMatchObject({ status: "IMPORTED", rows: 5, accepted: 5, rejected: 0 });
    const rows = await prisma.reading.findMany({ where: { period: "2026-11", stationId: f.stationId }, orderBy: { installationId: "asc" } });
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ source: "REMOTE" });
    expect(rows[0].total?.toString()).toBe("1700.25");
    expect(rows[0].peak?.toString()).toBe("900");
    expect(rows[0].scheduledOn.toISOString().slice(0, 10)).toBe("2026-11-18");
    expect(rows[0].readAt?.toISOString()).toBe("2026-11-18T00:00:00.000Z"); // 08:00 Shanghai
    expect(await prisma.auditLog.count({ where: { action: "readings.import", targetId: String(r.batchId) } })).toBe(1);
  });

  it("the same file again is refused as already imported; nothing doubles", async () => {
    const m = f.customers.slice(0, 5).map((c) => c.meterNo);
    const again = await importCollectedReadings(f.auditor, csv([
      "表号,抄表时间,总示数,峰示数,谷示数",
      ...m.map((no, i) => `${no},2026/11/18 08:0${i},${1700 + i}.25,${900 + i},${700}`),
    ]), NOW);
    expect(again.status).toBe("REFUSED");
    expect(again.message?.code).toBe("IMPORT_ALREADY");
    // a different file with rows for meters already read: per-row ALREADY_READ
    const other = await importCollectedReadings(f.auditor, csv(["meter_no,read_time,total", `${m[0]},2026-11-19 08:00,1800`]), NOW);
    expect(other.errors.map((e) => e.code)).toEqual(["ALREADY_READ"]);
    expect(await countNov()).toBe(5);
  });

  it("a meter with two periods in one file is compared with its own earlier row", async () => {
    const g = await makeFixture({ customers: 2, period: "2026-10", history: 3 }); // last stored: 2026-09, 1300
    const [a, b] = g.customers.map((c) => c.meterNo);
    const bad = await importCollectedReadings(g.auditor, csv([
      "meter_no,read_time,total",
      `${a},2026-10-18 08:00,1400`,
      `${a},2026-11-18 08:00,1350`, // above September's 1300 but below the file's own October row
      `${b},2026-10-18 08:00,1400`,
      `${b},2026-11-18 08:00,1500`,
    ]), NOW);
    expect(bad.errors.map((e) => [e.line, e.code])).toEqual([[3, "BELOW_LAST"]]);
    const good = await importCollectedReadings(g.auditor, csv([
      "meter_no,read_time,total",
      `${a},2026-10-18 08:00,1400`,
      `${a},2026-11-18 08:00,1450`,
    ]), NOW);
    expect(good).toMatchObject({ status: "IMPORTED", accepted: 2 });
  });

  it("knows the calendar: 29 February only in leap years, no 31 April, no 24:00", async () => {
    const m = f.customers[5].meterNo;
    const r = await importCollectedReadings(f.auditor, csv([
      "meter_no,read_time,total",
      `${m},2026-02-29 08:00,1700`, `${m},2024-02-29 08:00,1700`, `${m},2026-04-31 08:00,1700`, `${m},2026-04-30 24:00,1700`,
      `${m},2026-13-01 08:00,1700`, `${m},18/11/2026 08:00,1700`,
    ]), NOW);
    const badTime = r.errors.filter((e) => e.code === "BAD_TIME").map((e) => e.line);
    expect(badTime).toEqual([2, 4, 5, 6, 7]);
  });

  it("reports the file's own line numbers across empty lines and quoted line breaks", async () => {
    const r = await importCollectedReadings(f.auditor, csv([
      "meter_no,read_time,total",
      "",
      `"NO\nSUCH",2026-11-18 08:00,1700`,
      "",
      `${f.customers[5].meterNo},2026-11-18 08:00,abc`,
    ]), NOW);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[3, "UNKNOWN_METER"], [6, "BAD_NUMBER"]]);
  });

  it("a file without the required columns, an empty one, a broken quote: clear refusals", async () => {
    const h = await importCollectedReadings(f.auditor, csv(["meter,when,value", "x,y,z"]), NOW);
    expect(h.message).toMatchObject({ code: "IMPORT_HEADER" });
    const e = await importCollectedReadings(f.auditor, csv(["meter_no,read_time,total"]), NOW);
    expect(e.message).toMatchObject({ code: "IMPORT_EMPTY" });
    const q = await importCollectedReadings(f.auditor, csv(["meter_no,read_time,total", `"M1,2026-11-18 08:00,1700`]), NOW);
    expect(q.message).toMatchObject({ code: "IMPORT_MALFORMED" });
    expect(await prisma.importBatch.count({ where: { stationId: f.stationId, accepted: 0 } })).toBeGreaterThanOrEqual(4);
  });
});
