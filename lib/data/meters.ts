import "server-only";
// Meter replacement (换表): the old installation is closed with its final reading and the new
// one opened with its start reading and multiplier, in one transaction with an audit row. The
// period's consumption then spans both meters (billing/consumption.ts assembleSpans).
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { localDate, type IsoDate } from "@/lib/domain/calendar";
import { computeConsumption, registerAdvance } from "@/lib/domain/billing/consumption";
import type { MeterReplaceInput } from "@/lib/validation/meter";
import { stationContext } from "./routes";

export type MeterReplaceResult = {
  oldInstallationId: number;
  newInstallationId: number;
  oldMeterNo: string;
  newMeterNo: string;
  /** kWh the old meter adds to the period: last reading → final reading, at its multiplier */
  oldMeterKwh: number;
};

const iso = (d: Date) => d.toISOString().slice(0, 10);

export async function replaceMeter(actor: Actor, input: MeterReplaceInput, now = new Date()): Promise<MeterReplaceResult> {
  const ctx = await stationContext(actor.stationId, now);
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({
      where: { stationId: actor.stationId, customerNo: input.customerNo },
      select: { id: true, routeId: true },
    });
    if (!customer) throw new AppError("NOT_FOUND");
    if (actor.role === "READER") {
      const route = await tx.route.findUnique({ where: { id: customer.routeId }, select: { readerId: true } });
      if (route?.readerId !== actor.id) throw new AppError("ROUTE_NOT_YOURS");
    }
    // lock the installation in service: two replacements of the same meter cannot both win
    const cur = await tx.$queryRaw<{ id: number; meter_id: number; multiplier: number; installed_on: Date; start_reading: string; meter_no: string; digits: number }[]>`
      select i.id, i.meter_id, i.multiplier, i.installed_on, i.start_reading::text as start_reading, m.meter_no, m.digits
      from meter_installation i join meter m on m.id = i.meter_id
      where i.customer_id = ${customer.id} and i.removed_on is null order by i.installed_on desc limit 1 for update of i`;
    const old = cur[0];
    if (!old) throw new AppError("METER_NO_INSTALLATION");
    if (old.meter_no !== input.oldMeterNo) throw new AppError("METER_CHANGED", { meterNo: old.meter_no });
    const last = await tx.reading.findFirst({
      where: { installationId: old.id, total: { not: null } },
      orderBy: { period: "desc" }, select: { total: true, readAt: true, period: true },
    });
    const lastDay: IsoDate = last?.readAt ? localDate(last.readAt, ctx.timezone) : iso(old.installed_on);
    if (input.replacedOn > ctx.today || input.replacedOn < iso(old.installed_on) || input.replacedOn < lastDay) {
      throw new AppError("METER_REPLACE_DATE");
    }
    const lastValue = last?.total?.toString() ?? old.start_reading;
    const adv = registerAdvance(lastValue, input.finalReading, old.digits, old.multiplier);
    if (adv.lower) throw new AppError("METER_FINAL_BELOW", { last: lastValue });

    let meter = await tx.meter.findUnique({ where: { stationId_meterNo: { stationId: actor.stationId, meterNo: input.newMeterNo } } });
    if (meter) {
      const busy = await tx.meterInstallation.count({ where: { meterId: meter.id, removedOn: null } });
      if (busy > 0 || meter.id === old.meter_id) throw new AppError("METER_NO_TAKEN", { meterNo: input.newMeterNo });
    } else {
      meter = await tx.meter.create({ data: { stationId: actor.stationId, meterNo: input.newMeterNo, digits: input.digits } });
    }
    const day = new Date(input.replacedOn);
    await tx.meterInstallation.update({
      where: { id: old.id },
      data: { removedOn: day, finalReading: input.finalReading, reason: input.reason },
    });
    const created = await tx.meterInstallation.create({
      data: { customerId: customer.id, meterId: meter.id, multiplier: input.multiplier, installedOn: day, startReading: input.startReading, reason: input.reason },
    });
    const oldMeterKwh = computeConsumption([{
      multiplier: old.multiplier, digits: old.digits, from: { total: lastValue }, to: { total: input.finalReading },
    }]).kwh;
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "meter.replace", targetType: "customer", targetId: customer.id,
      before: { installationId: old.id, meterNo: old.meter_no, multiplier: old.multiplier, lastReading: lastValue },
      after: {
        removedOn: input.replacedOn, finalReading: input.finalReading, installationId: created.id, meterNo: input.newMeterNo,
        startReading: input.startReading, multiplier: input.multiplier, oldMeterKwh,
      },
      reason: input.reason,
    });
    return { oldInstallationId: old.id, newInstallationId: created.id, oldMeterNo: old.meter_no, newMeterNo: input.newMeterNo, oldMeterKwh };
  });
}

/** The customer's meter in service and its last reading (the form shows them before replacing). */
export async function meterInService(stationId: number, customerNo: string) {
  const c = await prisma.customer.findFirst({ where: { stationId, customerNo }, select: { id: true, customerNo: true, name: true, address: true } });
  if (!c) return null;
  const inst = await prisma.meterInstallation.findFirst({
    where: { customerId: c.id, removedOn: null }, include: { meter: true }, orderBy: { installedOn: "desc" },
  });
  const last = inst ? await prisma.reading.findFirst({ where: { installationId: inst.id, total: { not: null } }, orderBy: { period: "desc" } }) : null;
  const history = await prisma.meterInstallation.findMany({ where: { customerId: c.id }, include: { meter: true }, orderBy: { installedOn: "desc" }, take: 10 });
  return {
    customer: c,
    current: inst ? { meterNo: inst.meter.meterNo, multiplier: inst.multiplier, digits: inst.meter.digits, installedOn: iso(inst.installedOn) } : null,
    last: last ? { period: last.period, total: last.total!.toString() } : null,
    history: history.map((h) => ({
      meterNo: h.meter.meterNo, multiplier: h.multiplier, installedOn: iso(h.installedOn), removedOn: h.removedOn ? iso(h.removedOn) : null,
      startReading: h.startReading.toString(), finalReading: h.finalReading?.toString() ?? null,
    })),
  };
}
