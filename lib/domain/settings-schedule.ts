// Scheduling a new version of one settings group for a station (pure: today comes in).
// A version starts on a day not before the station's today: a past date would change figures
// already computed from the old value (late fees charged, bills issued, checks shown). A version
// already in force is never edited; one not yet in force may be replaced on the same date (that
// is an edit of a scheduled change).
import { addDays, type IsoDate } from "./calendar";
import { resolveSettings, type SettingRow, type Settings, type SettingsGroup } from "./settings";

export type ScheduleDecision =
  | { ok: true; replaces: boolean; before: Settings[SettingsGroup] }
  | { ok: false; code: "SETTING_DATE_PAST" | "SETTING_VERSION_IN_FORCE" | "SETTING_UNCHANGED" };

export function decideSchedule(input: {
  group: SettingsGroup;
  value: Settings[SettingsGroup];
  effectiveFrom: IsoDate;
  today: IsoDate;
  rows: readonly SettingRow[]; // the station's own and the company-wide rows
}): ScheduleDecision {
  const { group, value, effectiveFrom, today, rows } = input;
  if (effectiveFrom < today) return { ok: false, code: "SETTING_DATE_PAST" };
  const existing = rows.find((r) => r.stationScoped && r.group === group && r.effectiveFrom === effectiveFrom);
  if (existing && existing.effectiveFrom <= today) return { ok: false, code: "SETTING_VERSION_IN_FORCE" };
  // what that day would have without this change: for a replacement, the scheduled version itself
  const before = resolveSettings(rows, effectiveFrom)[group];
  if (sameValues(before, value)) return { ok: false, code: "SETTING_UNCHANGED" };
  return { ok: true, replaces: !!existing, before };
}

/** The group's values in force the day before a version starts (to show what it changed). */
export function valuesBefore(rows: readonly SettingRow[], group: SettingsGroup, effectiveFrom: IsoDate): Settings[SettingsGroup] {
  return resolveSettings(rows, addDays(effectiveFrom, -1))[group];
}

function sameValues(a: object, b: object): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
