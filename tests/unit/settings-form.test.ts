import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, settingsSchema, type SettingRow, type SettingsGroup } from "@/lib/domain/settings";
import { versionState } from "@/lib/domain/settings-explain";
import { decideSchedule } from "@/lib/domain/settings-schedule";
import { hasMessage, makeT } from "@/lib/i18n/core";
import { EDITABLE_GROUPS, settingFields, settingToFields, settingVersionSchema } from "@/lib/validation/setting";
import { ratePercent } from "@/app/admin/settings/_components/setting-text";

const zh = makeT("zh");
const schema = settingVersionSchema(zh);

/** The group's defaults as the form would send them, with some fields changed. */
const form = (group: SettingsGroup, changes: Record<string, string> = {}, effectiveFrom = "2027-01-01") => ({
  group, effectiveFrom, ...settingToFields(group, DEFAULT_SETTINGS[group]), ...changes,
});

const errorsOf = (input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) return null;
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("settings form: field kinds", () => {
  it("reads each field's kind off the domain schema", () => {
    const kinds = Object.fromEntries(settingFields("lateFee").map((f) => [f.key, [f.kind, f.nullable]]));
    expect(kinds).toEqual({
      residentialDailyRate: ["rate", false], otherCurrentYearDailyRate: ["rate", false], otherCrossYearDailyRate: ["rate", false], minimumTotal: ["money", true],
    });
    expect(settingFields("billing").find((f) => f.key === "dueDaysAfterIssue")).toMatchObject({ kind: "int", min: 1, max: 60 });
    expect(settingFields("audit").find((f) => f.key === "residentialBusinessKwh")).toMatchObject({ kind: "int", min: 1, max: undefined });
    expect(settingFields("reminders").map((f) => f.kind)).toEqual(["time", "time", "time", "time", "int"]);
    expect(settingFields("readings").find((f) => f.key === "missedDecisionBy")).toMatchObject({ kind: "choice", options: ["AUDITOR", "READER"] });
  });

  it("every editable group's defaults go through the form unchanged", () => {
    expect(EDITABLE_GROUPS).not.toContain("station");
    for (const g of EDITABLE_GROUPS) {
      const r = schema.safeParse(form(g));
      expect(r.success, g).toBe(true);
      expect(r.data).toEqual({ group: g, effectiveFrom: "2027-01-01", value: DEFAULT_SETTINGS[g] });
    }
  });
});

describe("settings form: coercion of good values", () => {
  it.each<[string, SettingsGroup, Record<string, string>, Record<string, unknown>]>([
    ["a rate as typed", "lateFee", { residentialDailyRate: "0.0015" }, { residentialDailyRate: "0.0015" }],
    ["a rate without its leading zero", "lateFee", { residentialDailyRate: ".002" }, { residentialDailyRate: "0.002" }],
    ["empty minimum: no minimum", "lateFee", { minimumTotal: "" }, { minimumTotal: null }],
    ["whole yuan get their fen", "lateFee", { minimumTotal: "2" }, { minimumTotal: "2.00" }],
    ["one decimal of yuan", "prepaid", { warning1: "50.5" }, { warning1: "50.50" }],
    ["integers with spaces", "billing", { dueDaysAfterIssue: " 15 " }, { dueDaysAfterIssue: 15 }],
    ["full-width digits from a Chinese IME", "billing", { dueDaysAfterIssue: "１２" }, { dueDaysAfterIssue: 12 }],
    ["a time without its leading zero", "reminders", { sendAt: "9:30" }, { sendAt: "09:30" }],
    ["a full-width colon", "reminders", { callAt: "10：15" }, { callAt: "10:15" }],
    ["quiet hours within one day", "reminders", { quietFrom: "12:00", quietTo: "14:00", sendAt: "09:00", callAt: "15:00" }, { quietFrom: "12:00", quietTo: "14:00" }],
    ["a choice", "readings", { missedDecisionBy: "READER" }, { missedDecisionBy: "READER" }],
    ["the bound itself", "billing", { dueDaysAfterIssue: "60", issueDaysAfterReading: "0" }, { dueDaysAfterIssue: 60, issueDaysAfterReading: 0 }],
  ])("%s", (_name, group, changes, expected) => {
    const r = schema.safeParse(form(group, changes));
    expect(r.success).toBe(true);
    expect(r.data!.value).toMatchObject(expected);
    expect(settingsSchema.shape[group].safeParse(r.data!.value).success).toBe(true);
  });
});

describe("settings form: refusals, each on its field in Chinese", () => {
  it.each<[string, SettingsGroup, Record<string, string>, string, string]>([
    ["a rate of 1 or more", "lateFee", { residentialDailyRate: "1.5" }, "residentialDailyRate", "请填写小于 1 的小数，最多 8 位小数，如 0.001（即每日 0.1%）。"],
    ["a rate as a percentage", "lateFee", { otherCurrentYearDailyRate: "0.2%" }, "otherCurrentYearDailyRate", "请填写小于 1 的小数，最多 8 位小数，如 0.001（即每日 0.1%）。"],
    ["a negative rate", "lateFee", { otherCrossYearDailyRate: "-0.003" }, "otherCrossYearDailyRate", "请填写小于 1 的小数，最多 8 位小数，如 0.001（即每日 0.1%）。"],
    ["an empty rate", "lateFee", { residentialDailyRate: "  " }, "residentialDailyRate", "请填写此项。"],
    ["three decimals of yuan", "lateFee", { minimumTotal: "1.005" }, "minimumTotal", "请填写金额（元），最多两位小数，如 1.00；留空表示不设。"],
    ["an empty required amount", "prepaid", { warning2: "" }, "warning2", "请填写此项。"],
    ["letters for an amount", "prepaid", { warning1: "三十" }, "warning1", "请填写金额（元），最多两位小数，如 30.00。"],
    ["an hour past 23", "reminders", { sendAt: "25:00" }, "sendAt", "请按 24 小时制 HH:MM 填写时间，如 08:00。"],
    ["a time without minutes", "reminders", { callAt: "10" }, "callAt", "请按 24 小时制 HH:MM 填写时间，如 08:00。"],
    ["a decimal for days", "billing", { dueDaysAfterIssue: "7.5" }, "dueDaysAfterIssue", "请填写 1 到 60 之间的整数。"],
    ["days above the bound", "billing", { dueDaysAfterIssue: "61" }, "dueDaysAfterIssue", "请填写 1 到 60 之间的整数。"],
    ["zero for an open-ended minimum", "audit", { residentialBusinessKwh: "0" }, "residentialBusinessKwh", "请填写不小于 1 的整数。"],
    ["an unknown choice", "readings", { missedDecisionBy: "CLERK" }, "missedDecisionBy", "请从列表中选择。"],
    ["second warning above the first", "prepaid", { warning1: "10.00", warning2: "30.00" }, "warning2", "二级提醒额须低于一级提醒额。"],
    ["site check after closure", "audit", { zeroPeriodsSiteCheck: "8", zeroPeriodsClosure: "6" }, "zeroPeriodsSiteCheck", "现场核查期数不能多于建议销户期数。"],
    ["an SMS inside quiet hours across midnight", "reminders", { sendAt: "22:30" }, "sendAt", "该时刻落在免打扰时段内，请改到时段之外。"],
    ["a call inside quiet hours in the morning", "reminders", { callAt: "07:59" }, "callAt", "该时刻落在免打扰时段内，请改到时段之外。"],
    ["quiet hours of no length", "reminders", { quietFrom: "20:00", quietTo: "20:00" }, "quietTo", "免打扰开始和结束不能相同。"],
  ])("%s", (_name, group, changes, field, message) => {
    expect(errorsOf(form(group, changes))).toEqual({ [field]: message });
  });

  it("a bad date and bad fields are reported together", () => {
    expect(errorsOf(form("billing", { dueDaysAfterIssue: "x" }, "2027-02-30"))).toEqual({
      effectiveFrom: "请填写有效的生效日期（年-月-日）。",
      dueDaysAfterIssue: "请填写 1 到 60 之间的整数。",
    });
    expect(errorsOf(form("billing", {}, ""))).toEqual({ effectiveFrom: "请填写有效的生效日期（年-月-日）。" });
  });

  it("the station group and unknown groups are refused", () => {
    expect(errorsOf({ group: "station", effectiveFrom: "2027-01-01", timezone: "Asia/Tokyo" })).toEqual({ group: "参数组无效或不可修改。" });
    expect(errorsOf({ group: "__proto__", effectiveFrom: "2027-01-01" })).toEqual({ group: "参数组无效或不可修改。" });
    expect(errorsOf({ effectiveFrom: "2027-01-01" })).toEqual({ group: "参数组无效或不可修改。" });
  });

  it("messages follow the locale", () => {
    const r = settingVersionSchema(makeT("en")).safeParse(form("billing", { dueDaysAfterIssue: "0" }));
    expect(r.error!.issues[0].message).toBe("Enter a whole number from 1 to 60.");
  });
});

describe("scheduling rule", () => {
  const today = "2026-11-29";
  const rows: SettingRow[] = [
    { group: "lateFee", value: DEFAULT_SETTINGS.lateFee, effectiveFrom: "2000-01-01", stationScoped: false },
    { group: "lateFee", value: { ...DEFAULT_SETTINGS.lateFee, minimumTotal: null }, effectiveFrom: "2026-06-01", stationScoped: true },
    { group: "lateFee", value: { ...DEFAULT_SETTINGS.lateFee, residentialDailyRate: "0.0008", minimumTotal: null }, effectiveFrom: "2026-12-15", stationScoped: true },
  ];
  const value = { ...DEFAULT_SETTINGS.lateFee, residentialDailyRate: "0.002" };
  const decide = (effectiveFrom: string, v: object = value) => decideSchedule({ group: "lateFee", value: v as typeof value, effectiveFrom, today, rows });

  it.each<[string, string, object, ReturnType<typeof decideSchedule>]>([
    ["yesterday is past", "2026-11-28", value, { ok: false, code: "SETTING_DATE_PAST" }],
    ["today, nothing stored on it: a new version", "2026-11-29", value, { ok: true, replaces: false, before: rows[1].value as never }],
    ["tomorrow: a new version over what is in force", "2026-11-30", value, { ok: true, replaces: false, before: rows[1].value as never }],
    ["the scheduled date: a replacement", "2026-12-15", value, { ok: true, replaces: true, before: rows[2].value as never }],
    ["a version in force on its own date", "2026-06-01", value, { ok: false, code: "SETTING_DATE_PAST" }],
    ["the same values as the day would have", "2026-12-20", rows[2].value as object, { ok: false, code: "SETTING_UNCHANGED" }],
  ])("%s", (_n, date, v, expected) => {
    expect(decide(date, v)).toEqual(expected);
  });

  it("a version starting today that exists is in force and never edited", () => {
    const withToday = [...rows, { group: "lateFee", value, effectiveFrom: today, stationScoped: true }];
    expect(decideSchedule({ group: "lateFee", value: DEFAULT_SETTINGS.lateFee, effectiveFrom: today, today, rows: withToday }))
      .toEqual({ ok: false, code: "SETTING_VERSION_IN_FORCE" });
  });

  it("states of stored versions on a day", () => {
    expect(rows.map((r) => versionState(rows, r, today))).toEqual(["superseded", "inForce", "scheduled"]);
    const partial: SettingRow = { group: "lateFee", value: { otherCrossYearDailyRate: "0.004" }, effectiveFrom: "2001-01-01", stationScoped: false };
    // a company-wide row still supplies a key the station's own row does not hold
    const mixed = [...rows.slice(0, 1), partial, { group: "lateFee", value: { minimumTotal: null }, effectiveFrom: "2026-06-01", stationScoped: true }];
    expect(mixed.map((r) => versionState(mixed, r, today))).toEqual(["inForce", "inForce", "inForce"]);
  });

  it("rates read as percentages without floating point", () => {
    expect(["0.001", "0.002", "0.0005", "0.1", "0.12345678"].map(ratePercent)).toEqual(["0.1%", "0.2%", "0.05%", "10%", "12.345678%"]);
  });
});

describe("settings catalogs", () => {
  it("every field has a name and an explanation line, every choice a label, every refusal a message, in zh and en", () => {
    const wanted: string[] = ["SETTING_DATE_PAST", "SETTING_VERSION_IN_FORCE", "SETTING_UNCHANGED", "SETTING_GROUP_READONLY"].map((c) => `errors.${c}`);
    for (const g of Object.keys(DEFAULT_SETTINGS) as SettingsGroup[]) {
      wanted.push(`admin.settings.groups.${g}`);
      for (const f of settingFields(g)) {
        wanted.push(`admin.settings.keys.${g}.${f.key}`, `admin.settings.hints.${g}.${f.key}`);
        for (const o of f.options ?? []) wanted.push(`admin.settings.options.${g}.${f.key}.${o}`);
      }
    }
    for (const k of wanted) {
      expect(hasMessage("zh", k), k).toBe(true);
      expect(hasMessage("en", k), k).toBe(true);
    }
  });
});
