// The collected-readings file as exported by real systems: a NUL byte in a row is refused as a
// malformed file with its line (COPY failed on it: a 500), and full-width numbers read as numbers.
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { importCollectedReadings } from "@/lib/data/imports";
import { closeDb, makeFixture, type Fixture } from "./readings-fixtures";

const NOW = new Date("2026-11-20T04:00:00Z"); // 12:00 in Shanghai
let f: Fixture;

beforeAll(async () => {
  f = await makeFixture({ customers: 2 });
});
afterAll(closeDb);

const csv = (lines: string[]) => ({ name: "collect.csv", stream: Readable.from([lines.join("\n") + "\n"]) });
const countNov = () => prisma.reading.count({ where: { period: "2026-11", stationId: f.stationId } });

describe("collected readings import: what real files hold", () => {
  it("a NUL in a row refuses the file as malformed at that line; nothing is imported", async () => {
    const [a, b] = f.customers.map((c) => c.meterNo);
    const r = await importCollectedReadings(f.auditor, csv([
      "meter_no,read_time,total",
      `${a},2026-11-18 09:30,1700`,
      `${b},2026-11-18 09:31,17\u000000`,
    ]), NOW);
    expect(r).toMatchObject({ status: "REFUSED", accepted: 0, message: { code: "IMPORT_MALFORMED", params: { line: 3, detail: "CONTROL_CHARACTERS" } } });
    expect(await countNov()).toBe(0);
  });

  it("full-width digits and thousands separators are read as the numbers they are", async () => {
    const [a, b] = f.customers.map((c) => c.meterNo);
    const r = await importCollectedReadings(f.auditor, csv([
      "meter_no,read_time,total",
      `${a},２０２６－１１－１８ ０９：３０,１７００．２５`,
      `${b},2026-11-18 09:31,"1,701"`,
    ]), NOW);
    expect(r).toMatchObject({ status: "IMPORTED", accepted: 2 });
    const rows = await prisma.reading.findMany({ where: { period: "2026-11", stationId: f.stationId }, orderBy: { installationId: "asc" } });
    expect(rows.map((x) => x.total?.toString())).toEqual(["1700.25", "1701"]);
  });
});
