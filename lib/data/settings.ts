import "server-only";
// Settings rows: reading them for a station, their history for the settings page, and scheduling
// a new version of one group for the actor's station (the row and its audit record in one
// transaction). Every reader resolves rows with resolveSettings (station rows over company-wide
// ones, by date); the pg-pool reader for the ledger and the billing run is loadSettings in
// lib/jobs/billing-run.ts, with the same precedence.
import { prisma, type Tx } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { forgetStationSettings } from "@/lib/data/ledger";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/guard";
import { localDate, type IsoDate } from "@/lib/domain/calendar";
import { DEFAULT_SETTINGS, resolveSettings, settingsSchema, type SettingRow, type Settings, type SettingsGroup } from "@/lib/domain/settings";
import { versionState, type VersionState } from "@/lib/domain/settings-explain";
import { decideSchedule, valuesBefore } from "@/lib/domain/settings-schedule";
import { isEditableGroup, type SettingVersionInput } from "@/lib/validation/setting";

const iso = (d: Date) => d.toISOString().slice(0, 10); // a DATE column: midnight UTC

function stationRowsWhere(stationId: number) {
  return { OR: [{ stationId: null }, { stationId }] };
}

/** The setting rows that apply to a station: company-wide (station_id null) and its own. */
export async function settingRows(stationId: number, db: Tx | typeof prisma = prisma): Promise<SettingRow[]> {
  const rows = await db.setting.findMany({
    where: stationRowsWhere(stationId),
    select: { key: true, value: true, effectiveFrom: true, stationId: true },
  });
  return rows.map((r) => ({ group: r.key, value: r.value, effectiveFrom: iso(r.effectiveFrom), stationScoped: r.stationId !== null }));
}

async function stationTimezone(stationId: number, db: Tx | typeof prisma = prisma): Promise<string> {
  return (await db.station.findUniqueOrThrow({ where: { id: stationId }, select: { timezone: true } })).timezone;
}

/** Settings in force for a station on a day (default: today in the station's time zone). */
export async function settingsInForce(stationId: number, asOf?: IsoDate): Promise<{ asOf: IsoDate; settings: Settings }> {
  const day = asOf ?? localDate(new Date(), await stationTimezone(stationId));
  return { asOf: day, settings: resolveSettings(await settingRows(stationId), day) };
}

export type SettingVersionDto = {
  id: number;
  group: string;
  effectiveFrom: IsoDate;
  stationScoped: boolean;
  value: Record<string, unknown>; // the row as stored (a company-wide row may hold a few keys)
  changedKeys: string[]; // keys whose value differs from what the station had the day before
  createdBy: string | null; // null: written by the seed or an import
  createdAt: string;
  state: VersionState;
};

/** jsonb keeps its own key order: show a row's keys in the order of the group's fields. */
function inSchemaOrder(group: string, value: Record<string, unknown>): Record<string, unknown> {
  const order = group in DEFAULT_SETTINGS ? Object.keys(DEFAULT_SETTINGS[group as SettingsGroup]) : [];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Every version of every group that applies to the station, newest first, with who wrote it. */
export async function settingHistory(stationId: number, today: IsoDate): Promise<{ rows: SettingRow[]; versions: SettingVersionDto[] }> {
  const stored = await prisma.setting.findMany({
    where: stationRowsWhere(stationId),
    orderBy: [{ effectiveFrom: "desc" }, { stationId: { sort: "desc", nulls: "last" } }],
  });
  const rows: SettingRow[] = stored.map((r) => ({ group: r.key, value: r.value, effectiveFrom: iso(r.effectiveFrom), stationScoped: r.stationId !== null }));
  const userIds = [...new Set(stored.map((r) => r.createdBy).filter((x): x is number => x !== null))];
  const users = new Map(
    (await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const versions = stored.map((r, i): SettingVersionDto => {
    const row = rows[i];
    const value = inSchemaOrder(r.key, (r.value && typeof r.value === "object" ? r.value : {}) as Record<string, unknown>);
    const before = r.key in settingsSchema.shape ? (valuesBefore(rows, r.key as SettingsGroup, row.effectiveFrom) as Record<string, unknown>) : {};
    return {
      id: r.id,
      group: r.key,
      effectiveFrom: row.effectiveFrom,
      stationScoped: row.stationScoped,
      value,
      changedKeys: Object.keys(value).filter((k) => before[k] !== value[k]),
      createdBy: r.createdBy === null ? null : (users.get(r.createdBy) ?? `#${r.createdBy}`),
      createdAt: r.createdAt.toISOString(),
      state: versionState(rows, row, today),
    };
  });
  return { rows, versions };
}

/**
 * A new version of one group for the actor's station from `effectiveFrom` (the whole group, so
 * the version reads the same whatever company-wide rows say later), or a replacement of the
 * station's version scheduled on that date. Refused: a date before the station's today, a
 * version already in force, a version that changes nothing. Checks the permission itself: the
 * action checks it too, but this is the function that writes.
 */
export async function scheduleSettingVersion(actor: Actor, input: SettingVersionInput, now = new Date()) {
  if (!can(actor.role, "settings.manage")) throw new AppError("FORBIDDEN");
  if (!isEditableGroup(input.group)) throw new AppError("SETTING_GROUP_READONLY");
  const value = settingsSchema.shape[input.group].parse(input.value); // the whole group, strict
  const result = await prisma.$transaction(async (tx) => {
    // one writer per station at a time: two admins scheduling at once see each other's rows
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('setting'), ${actor.stationId})`;
    const today = localDate(now, await stationTimezone(actor.stationId, tx));
    const rows = await settingRows(actor.stationId, tx);
    const d = decideSchedule({ group: input.group, value, effectiveFrom: input.effectiveFrom, today, rows });
    if (!d.ok) throw new AppError(d.code, { today, date: input.effectiveFrom });
    const effectiveFrom = new Date(`${input.effectiveFrom}T00:00:00Z`);
    const existing = await tx.setting.findFirst({ where: { stationId: actor.stationId, key: input.group, effectiveFrom } });
    const row = existing
      ? await tx.setting.update({ where: { id: existing.id }, data: { value, createdBy: actor.id, createdAt: new Date() } })
      : await tx.setting.create({ data: { stationId: actor.stationId, key: input.group, value, effectiveFrom, createdBy: actor.id } });
    await writeAudit(tx, {
      stationId: actor.stationId,
      actorId: actor.id,
      action: d.replaces ? "setting.version.replace" : "setting.version.schedule",
      targetType: "setting",
      targetId: row.id,
      before: { group: input.group, effectiveFrom: input.effectiveFrom, value: d.before, replaced: existing?.value ?? null },
      after: { group: input.group, effectiveFrom: input.effectiveFrom, value },
    });
    return { id: row.id, replaced: d.replaces, effectiveFrom: input.effectiveFrom };
  });
  forgetStationSettings(actor.stationId); // the counter's short cache must not outlive the change
  return result;
}
