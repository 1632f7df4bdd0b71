// Minimal fixtures for the readings integration tests: one station, a reader, an auditor, one
// route read on the 18th, customers with meters and a year of monthly readings.
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import type { Role } from "@/generated/prisma/enums";

export type Fixture = {
  stationId: number;
  reader: Actor;
  reader2: Actor;
  auditor: Actor;
  auditor2: Actor;
  routeId: number;
  otherRouteId: number;
  customers: { id: number; installationId: number; meterNo: string; last: number }[];
  otherInstallationId: number;
};

async function user(stationId: number, username: string, role: Role): Promise<Actor> {
  const u = await prisma.user.create({ data: { stationId, username, name: username, passwordHash: "x", role } });
  return { id: u.id, stationId, role, name: u.name, username };
}

/** `history` monthly readings before `period` at `kwh` a month each, starting from 1000. */
export async function makeFixture(opts: { customers?: number; period?: string; history?: number; kwh?: number } = {}): Promise<Fixture> {
  const n = opts.customers ?? 3;
  const period = opts.period ?? "2026-11";
  const history = opts.history ?? 6;
  const kwh = opts.kwh ?? 100;
  const st = await prisma.station.create({ data: { code: `T${Math.random().toString(36).slice(2, 8)}`, name: "测试所" } });
  const stationId = st.id;
  const [reader, reader2, auditor, auditor2] = [
    await user(stationId, `r${stationId}a`, "READER"),
    await user(stationId, `r${stationId}b`, "READER"),
    await user(stationId, `a${stationId}a`, "AUDITOR"),
    await user(stationId, `a${stationId}b`, "AUDITOR"),
  ];
  const tariff = await prisma.tariff.create({ data: { code: `RES-${stationId}`, name: "居民", category: "RESIDENTIAL" } });
  const district = await prisma.district.create({ data: { stationId, code: "D1", name: "一号台区" } });
  const line = await prisma.line.create({ data: { stationId, code: "L1", name: "10kV 一线" } });
  const street = await prisma.street.create({ data: { stationId, name: "解放路" } });
  const route = await prisma.route.create({ data: { stationId, code: "R01", name: "解放路段", readingDay: 18, readerId: reader.id } });
  const other = await prisma.route.create({ data: { stationId, code: "R02", name: "人民路段", readingDay: 18, readerId: reader2.id } });
  const customers: Fixture["customers"] = [];
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  const periodAt = (k: number) => {
    const idx = y * 12 + m - 1 - k;
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
  };
  let otherInstallationId = 0;
  for (let i = 0; i <= n; i++) {
    const onOther = i === n; // one extra customer on another reader's route
    const c = await prisma.customer.create({
      data: {
        stationId, customerNo: `C${stationId}-${i}`, name: `客户${i}`, phone: `1380000${String(i).padStart(4, "0")}`,
        address: `解放路${i + 1}号`, category: "RESIDENTIAL", usageType: "RESIDENTIAL", paymentMethod: "COUNTER",
        districtId: district.id, lineId: line.id, streetId: street.id, routeId: onOther ? other.id : route.id,
        routeSeq: i + 1, tariffId: tariff.id, openedOn: new Date("2020-01-01"),
        contacts: { create: [{ name: `客户${i}`, role: "SELF", channel: i % 2 ? "WECHAT" : "SMS", value: `1380000${String(i).padStart(4, "0")}` }] },
      },
    });
    const meter = await prisma.meter.create({ data: { stationId, meterNo: `M${stationId}${String(i).padStart(4, "0")}`, digits: 6 } });
    const inst = await prisma.meterInstallation.create({
      data: { customerId: c.id, meterId: meter.id, installedOn: new Date("2020-01-01"), startReading: "1000" },
    });
    for (let k = history; k >= 1; k--) {
      const p = periodAt(k);
      await prisma.reading.create({
        data: {
          stationId, customerId: c.id, installationId: inst.id, period: p, scheduledOn: new Date(`${p}-18`),
          readAt: new Date(`${p}-18T02:00:00Z`), total: String(1000 + (history - k + 1) * kwh), source: "MANUAL",
        },
      });
    }
    if (onOther) otherInstallationId = inst.id;
    else customers.push({ id: c.id, installationId: inst.id, meterNo: meter.meterNo, last: 1000 + history * kwh });
  }
  return { stationId, reader, reader2, auditor, auditor2, routeId: route.id, otherRouteId: other.id, customers, otherInstallationId };
}

let seq = 0;
export function clientKey(prefix = "k"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
}

/** Closes this file's connections and lets their sockets finish closing before the harness
 *  force-drops the database (otherwise a connection still ending is killed mid-close and
 *  surfaces as an unhandled "terminating connection" error). */
export async function closeDb() {
  const { prisma: p, pool: q } = await import("@/lib/db");
  await p.$disconnect().catch(() => {});
  await q.end().catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
}
