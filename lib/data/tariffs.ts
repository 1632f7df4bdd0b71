import "server-only";
// Tariffs as versioned data. A version that bills may already have used is never edited: the
// change is a new version effective from a later date. "May have used" is decided without
// scanning the bills: every version effective on or before the last day of the latest billed
// period (over the stations the tariff serves) is locked, and a new or edited version must
// start after that day.
import { prisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/guard";
import { daysInMonth, type IsoDate } from "@/lib/domain/calendar";
import { parseTariffDefinition, type TariffDefinition } from "@/lib/domain/billing/tariff";
import type { AddTariffVersionInput, CreateTariffInput, UpdateTariffVersionInput } from "@/lib/validation/tariff";
import type { CustomerCategory } from "@/generated/prisma/enums";

export type TariffVersionDto = {
  id: number;
  effectiveFrom: IsoDate;
  definition: TariffDefinition;
  source: string | null;
  locked: boolean;
  createdAt: string;
};

export type TariffDto = {
  id: number;
  code: string;
  name: string;
  category: CustomerCategory;
  shared: boolean; // company-wide (station_id null)
  customers: number;
  versions: TariffVersionDto[]; // newest first
};

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Last day of the latest period billed at any of the given stations (null: never billed). */
export async function billedThrough(db: Tx | typeof prisma, stationIds: number[] | null): Promise<IsoDate | null> {
  // one index probe per station on bill(station_id, period, status)
  const rows = await db.$queryRaw<{ p: string | null }[]>`
    select max(p) as p from (
      select (select max(b.period) from bill b where b.station_id = s.id) as p
      from station s where ${stationIds === null} or s.id = any(${stationIds ?? []}::int[])
    ) x`;
  const p = rows[0]?.p;
  if (!p) return null;
  const [y, m] = p.split("-").map(Number);
  return `${p}-${String(daysInMonth(y, m)).padStart(2, "0")}`;
}

function visible(actor: Actor) {
  return { OR: [{ stationId: null }, { stationId: actor.stationId }] };
}

export async function listTariffs(actor: Actor): Promise<{ tariffs: TariffDto[]; lockedThrough: IsoDate | null }> {
  const tariffs = await prisma.tariff.findMany({
    where: visible(actor),
    orderBy: [{ category: "asc" }, { code: "asc" }],
    include: { versions: { orderBy: { effectiveFrom: "desc" } } },
  });
  const counts = await prisma.customer.groupBy({ by: ["tariffId"], where: { stationId: actor.stationId }, _count: true });
  const byTariff = new Map(counts.map((c) => [c.tariffId, c._count]));
  const lockedThrough = await billedThrough(prisma, [actor.stationId]);
  return {
    lockedThrough,
    tariffs: tariffs.map((t) => ({
      id: t.id,
      code: t.code,
      name: t.name,
      category: t.category,
      shared: t.stationId === null,
      customers: byTariff.get(t.id) ?? 0,
      versions: t.versions.map((v) => ({
        id: v.id,
        effectiveFrom: iso(v.effectiveFrom),
        definition: v.definition as TariffDefinition,
        source: v.source,
        locked: lockedThrough !== null && iso(v.effectiveFrom) <= lockedThrough,
        createdAt: v.createdAt.toISOString(),
      })),
    })),
  };
}

async function lockDateFor(tx: Tx, tariffStationId: number | null): Promise<IsoDate | null> {
  return billedThrough(tx, tariffStationId === null ? null : [tariffStationId]);
}

function assertAfterLock(effectiveFrom: IsoDate, lock: IsoDate | null) {
  if (lock !== null && effectiveFrom <= lock) throw new AppError("TARIFF_DATE_BILLED", { date: lock });
}

function isUniqueViolation(e: unknown) {
  return typeof e === "object" && e !== null && ((e as { code?: string }).code === "P2002" || String((e as Error).message).includes("Unique constraint"));
}

export async function addTariffVersion(actor: Actor, input: AddTariffVersionInput) {
  try {
    return await prisma.$transaction(async (tx) => {
      const tariff = await tx.tariff.findFirst({ where: { id: input.tariffId, ...visible(actor) } });
      if (!tariff) throw new AppError("NOT_FOUND");
      // serialise edits of one tariff: two admins adding versions at once see each other
      await tx.$executeRaw`select id from tariff where id = ${tariff.id} for update`;
      assertAfterLock(input.effectiveFrom, await lockDateFor(tx, tariff.stationId));
      const definition = parseTariffDefinition(input.definition);
      const v = await tx.tariffVersion.create({
        data: {
          tariffId: tariff.id,
          effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`),
          definition: definition as object,
          source: input.source,
          createdBy: actor.id,
        },
      });
      await writeAudit(tx, {
        stationId: actor.stationId, actorId: actor.id, action: "tariff.version.add", targetType: "tariff_version",
        targetId: v.id, after: { tariff: tariff.code, effectiveFrom: input.effectiveFrom, definition, source: input.source },
      });
      return { id: v.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("TARIFF_VERSION_EXISTS", { date: input.effectiveFrom });
    throw e;
  }
}

export async function updateTariffVersion(actor: Actor, input: UpdateTariffVersionInput) {
  try {
    return await prisma.$transaction(async (tx) => {
      const v = await tx.tariffVersion.findUnique({ where: { id: input.versionId }, include: { tariff: true } });
      if (!v || (v.tariff.stationId !== null && v.tariff.stationId !== actor.stationId)) throw new AppError("NOT_FOUND");
      await tx.$executeRaw`select id from tariff where id = ${v.tariffId} for update`;
      const lock = await lockDateFor(tx, v.tariff.stationId);
      // a version bills may have used is never edited: add a new one instead
      if (lock !== null && iso(v.effectiveFrom) <= lock) throw new AppError("TARIFF_VERSION_USED", { date: lock });
      assertAfterLock(input.effectiveFrom, lock);
      const definition = parseTariffDefinition(input.definition);
      await tx.tariffVersion.update({
        where: { id: v.id },
        data: { effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`), definition: definition as object, source: input.source },
      });
      await writeAudit(tx, {
        stationId: actor.stationId, actorId: actor.id, action: "tariff.version.edit", targetType: "tariff_version", targetId: v.id,
        before: { effectiveFrom: iso(v.effectiveFrom), definition: v.definition, source: v.source },
        after: { effectiveFrom: input.effectiveFrom, definition, source: input.source },
      });
      return { id: v.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("TARIFF_VERSION_EXISTS", { date: input.effectiveFrom });
    throw e;
  }
}

export async function createTariff(actor: Actor, input: CreateTariffInput) {
  try {
    return await prisma.$transaction(async (tx) => {
      const definition = parseTariffDefinition(input.definition);
      const t = await tx.tariff.create({
        data: {
          stationId: actor.stationId,
          code: input.code,
          name: input.name,
          category: input.category,
          versions: {
            create: {
              effectiveFrom: new Date(`${input.effectiveFrom}T00:00:00Z`),
              definition: definition as object,
              source: input.source,
              createdBy: actor.id,
            },
          },
        },
      });
      await writeAudit(tx, {
        stationId: actor.stationId, actorId: actor.id, action: "tariff.create", targetType: "tariff", targetId: t.id,
        after: { code: input.code, name: input.name, category: input.category, effectiveFrom: input.effectiveFrom, definition },
      });
      return { id: t.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("TARIFF_CODE_TAKEN", { code: input.code });
    throw e;
  }
}
