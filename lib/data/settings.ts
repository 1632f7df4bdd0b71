import "server-only";
import { prisma } from "@/lib/db";
import { localDate, type IsoDate } from "@/lib/domain/calendar";
import { resolveSettings, type SettingRow, type Settings } from "@/lib/domain/settings";

/** The setting rows that apply to a station: company-wide (station_id null) and its own. */
export async function settingRows(stationId: number): Promise<SettingRow[]> {
  const rows = await prisma.setting.findMany({
    where: { OR: [{ stationId: null }, { stationId }] },
    select: { key: true, value: true, effectiveFrom: true, stationId: true },
  });
  return rows.map((r) => ({
    group: r.key,
    value: r.value,
    effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10), // a DATE column: midnight UTC
    stationScoped: r.stationId !== null,
  }));
}

/** Settings in force for a station on a day (default: today in the station's time zone). */
export async function settingsInForce(stationId: number, asOf?: IsoDate): Promise<{ asOf: IsoDate; settings: Settings }> {
  let day = asOf;
  if (!day) {
    const st = await prisma.station.findUniqueOrThrow({ where: { id: stationId }, select: { timezone: true } });
    day = localDate(new Date(), st.timezone);
  }
  return { asOf: day, settings: resolveSettings(await settingRows(stationId), day) };
}
