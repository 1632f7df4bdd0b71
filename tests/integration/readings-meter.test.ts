import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { replaceMeter } from "@/lib/data/meters";
import { recordReadings } from "@/lib/data/readings";
import { assembleSpans, computeConsumption, type InstallationRecord, type ReadingRecord } from "@/lib/domain/billing/consumption";
import { clientKey, closeDb, makeFixture, type Fixture } from "./readings-fixtures";

const NOW = new Date("2026-11-18T04:00:00Z");
let f: Fixture;
beforeAll(async () => {
  f = await makeFixture({ customers: 3, history: 6 }); // last reading 2026-10: 1600
});
afterAll(closeDb);

const base = (over: Record<string, unknown> = {}) => ({
  customerNo: `C${f.stationId}-0`, oldMeterNo: f.customers[0].meterNo, replacedOn: "2026-11-10", finalReading: "1650", newMeterNo: `NEW${f.stationId}A`,
  startReading: "0", multiplier: 40, digits: 6, reason: "表计故障，更换智能表", ...over,
});

describe("meter replacement (换表)", () => {
  it("refuses bad input and changes nothing", async () => {
    const before = await prisma.meterInstallation.count();
    await expect(replaceMeter(f.auditor, base({ finalReading: "1590" }), NOW)).rejects.toMatchObject({ code: "METER_FINAL_BELOW" });
    await expect(replaceMeter(f.auditor, base({ replacedOn: "2026-11-20" }), NOW)).rejects.toMatchObject({ code: "METER_REPLACE_DATE" });
    await expect(replaceMeter(f.auditor, base({ replacedOn: "2026-10-01" }), NOW)).rejects.toMatchObject({ code: "METER_REPLACE_DATE" });
    await expect(replaceMeter(f.auditor, base({ newMeterNo: f.customers[1].meterNo }), NOW)).rejects.toMatchObject({ code: "METER_NO_TAKEN" });
    await expect(replaceMeter(f.auditor, base({ customerNo: "NOPE" }), NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(replaceMeter(f.reader2, base(), NOW)).rejects.toMatchObject({ code: "ROUTE_NOT_YOURS" });
    // a form that shows another meter than the one in service (a stale page)
    await expect(replaceMeter(f.auditor, base({ oldMeterNo: f.customers[1].meterNo }), NOW)).rejects.toMatchObject({ code: "METER_CHANGED" });
    expect(await prisma.meterInstallation.count()).toBe(before);
    expect(await prisma.meter.count({ where: { meterNo: `NEW${f.stationId}A` } })).toBe(0);
  });

  it("closes the old installation and opens the new one, once, with an audit row", async () => {
    const [a, b] = await Promise.allSettled([replaceMeter(f.auditor, base(), NOW), replaceMeter(f.auditor2, base({ newMeterNo: `NEW${f.stationId}B` }), NOW)]);
    const ok = [a, b].filter((x) => x.status === "fulfilled");
    expect(ok).toHaveLength(1); // two replacements of the same meter at once: one wins
    // the other finds the meter gone: locked out while the first commits, or (when it starts
    // after) a form that still shows the old meter
    const lost = [a, b].find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect(["METER_NO_INSTALLATION", "METER_CHANGED"]).toContain(lost.reason.code);
    const r = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof replaceMeter>>>).value;
    expect(r.oldMeterKwh).toBe(50);
    const insts = await prisma.meterInstallation.findMany({ where: { customerId: f.customers[0].id }, orderBy: { id: "asc" } });
    expect(insts).toHaveLength(2);
    expect(insts[0].removedOn?.toISOString().slice(0, 10)).toBe("2026-11-10");
    expect(insts[0].finalReading?.toString()).toBe("1650");
    expect(insts[1]).toMatchObject({ multiplier: 40, removedOn: null });
    expect(await prisma.auditLog.count({ where: { action: "meter.replace", targetId: String(f.customers[0].id) } })).toBe(1);
    // the same form sent again later (a retry, a second tablet): refused, nothing changed
    await expect(replaceMeter(f.auditor, base({ newMeterNo: `NEW${f.stationId}C` }), NOW)).rejects.toMatchObject({ code: "METER_CHANGED" });
    expect(await prisma.meterInstallation.count({ where: { customerId: f.customers[0].id } })).toBe(2);
  });

  it("the old meter takes no more readings; the new one does; consumption spans both meters", async () => {
    const insts = await prisma.meterInstallation.findMany({ where: { customerId: f.customers[0].id }, include: { meter: true }, orderBy: { id: "asc" } });
    const [old, neu] = insts;
    const item = (installationId: number, value: string) => ({ clientKey: clientKey("mr"), installationId, period: "2026-11", value, readAt: "2026-11-18T10:00:00+08:00", observations: [] });
    const [x] = await recordReadings(f.reader, [item(old.id, "1700")], NOW);
    expect(x).toMatchObject({ status: "rejected", code: "errors.METER_REMOVED" });
    const [y] = await recordReadings(f.reader, [item(neu.id, "5")], NOW);
    expect(y.status).toBe("stored");

    const readings = await prisma.reading.findMany({ where: { customerId: f.customers[0].id } });
    const toRec = (r: (typeof readings)[number]): ReadingRecord => ({
      installationId: r.installationId, readOn: (r.readAt ?? r.scheduledOn).toISOString().slice(0, 10),
      registers: { total: r.total!.toString() }, estimated: r.source === "ESTIMATED",
    });
    const installations: InstallationRecord[] = insts.map((i) => ({
      id: i.id, meterId: i.meterId, multiplier: i.multiplier, digits: i.meter.digits, installedOn: i.installedOn.toISOString().slice(0, 10),
      removedOn: i.removedOn?.toISOString().slice(0, 10) ?? null, start: { total: i.startReading.toString() },
      final: i.finalReading ? { total: i.finalReading.toString() } : null,
    }));
    const spans = assembleSpans(installations, readings.filter((r) => r.period === "2026-11").map(toRec), [toRec(readings.find((r) => r.period === "2026-10")!)]);
    expect(spans?.meterReplaced).toBe(true);
    const c = computeConsumption(spans!.spans);
    expect(c.kwh).toBe(50 + 5 * 40); // old 1600→1650 ×1, new 0→5 ×40
  });
});
