// Which row supplies each setting in force: for the settings page ("since 2026-01-01, this
// station" vs "default"). Same precedence as resolveSettings: company-wide rows, then the
// station's own; within each, the latest effective date on or before asOf wins.
import type { IsoDate } from "./calendar";
import { DEFAULT_SETTINGS, resolveSettings, type SettingRow, type Settings, type SettingsGroup } from "./settings";

export type SettingSource = { effectiveFrom: IsoDate; stationScoped: boolean } | null; // null = default

export type ExplainedSetting = { group: SettingsGroup; key: string; value: unknown; source: SettingSource };

export function explainSettings(rows: readonly SettingRow[], asOf: IsoDate): { settings: Settings; items: ExplainedSetting[] } {
  const settings = resolveSettings(rows, asOf);
  const inForce = rows
    .filter((r) => r.effectiveFrom <= asOf && r.group in DEFAULT_SETTINGS)
    .sort((a, b) => Number(a.stationScoped) - Number(b.stationScoped) || a.effectiveFrom.localeCompare(b.effectiveFrom));
  const items: ExplainedSetting[] = [];
  for (const group of Object.keys(DEFAULT_SETTINGS) as SettingsGroup[]) {
    for (const key of Object.keys(DEFAULT_SETTINGS[group])) {
      let source: SettingSource = null;
      for (const r of inForce) {
        if (r.group === group && r.value && typeof r.value === "object" && key in (r.value as object)) {
          source = { effectiveFrom: r.effectiveFrom, stationScoped: r.stationScoped };
        }
      }
      items.push({ group, key, value: (settings[group] as Record<string, unknown>)[key], source });
    }
  }
  return { settings, items };
}

/** Where a stored version stands on `asOf`: scheduled (starts later, may still be replaced),
 *  in force (supplies at least one value in force), or superseded (a later row, or the station's
 *  own row over a company-wide one, supplies all of its values). */
export type VersionState = "scheduled" | "inForce" | "superseded";

export function versionState(rows: readonly SettingRow[], row: SettingRow, asOf: IsoDate): VersionState {
  if (row.effectiveFrom > asOf) return "scheduled";
  const supplies = explainSettings(rows, asOf).items.some(
    (i) => i.group === row.group && i.source?.effectiveFrom === row.effectiveFrom && i.source.stationScoped === row.stationScoped,
  );
  return supplies ? "inForce" : "superseded";
}
