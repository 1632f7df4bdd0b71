// Station settings: the defaults live here and only here. The database holds effective-dated
// overrides (table `setting`, one row per group and date); seedSettings() writes these defaults,
// the calculator command uses them when its input gives none, and resolveSettings() merges
// overrides over them for a given day.
import { z } from "zod";
import type { IsoDate } from "./calendar";

// Exported so the settings form (lib/validation/setting.ts) can tell a rate from money or a time
// by the schema a field is built from, and coerce and explain each kind of field accordingly.
export const moneySetting = z.string().regex(/^\d{1,11}\.\d{2}$/, "金额须为两位小数的字符串");
export const rateSetting = z.string().regex(/^0\.\d{1,8}$/, "费率须为小数字符串");
export const timeSetting = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间须为 HH:MM");
const money = moneySetting;
const rate = rateSetting;
const hhmm = timeSetting;

export const settingsSchema = z.object({
  station: z.strictObject({
    timezone: z.string().min(1),
  }),
  // 电费违约金, 供电营业规则 (1996) §98; see docs/domain/collection.md §2
  lateFee: z.strictObject({
    residentialDailyRate: rate,
    otherCurrentYearDailyRate: rate,
    otherCrossYearDailyRate: rate,
    minimumTotal: money.nullable(), // 1.00 under the 1996 rule; null = no minimum
  }),
  billing: z.strictObject({
    issueDaysAfterReading: z.number().int().min(0).max(10),
    dueDaysAfterIssue: z.number().int().min(1).max(60),
    shortCollectionWindowDays: z.number().int().min(1).max(60), // warn below this
  }),
  readings: z.strictObject({
    onTimeToleranceDays: z.number().int().min(1).max(10), // on time when |deviation| < this
    expectedRangeLowPct: z.number().int().min(0).max(100), // below own average by more: confirm
    expectedRangeHighPct: z.number().int().min(0).max(10000), // above own average by more: confirm
    maxConsecutiveEstimates: z.number().int().min(1).max(12),
    // who chooses catch-up reading or estimate for a missed reading (002 §1.2)
    missedDecisionBy: z.enum(["AUDITOR", "READER"]),
  }),
  audit: z.strictObject({
    historyDeviationPct: z.number().int().min(1).max(1000), // ± vs own 12-month average
    monthOnMonthIncreasePct: z.number().int().min(1).max(1000),
    residentialBusinessKwh: z.number().int().min(1), // a month at this level looks like a shop
    zeroPeriodsSiteCheck: z.number().int().min(1).max(24),
    zeroPeriodsClosure: z.number().int().min(1).max(24),
  }),
  grade: z.strictObject({
    windowMonths: z.number().int().min(1).max(36),
    refuseDaysAfterDue: z.number().int().min(1).max(365),
    refuseMinReminders: z.number().int().min(0).max(20),
    newCustomerMinBills: z.number().int().min(0).max(24),
    remindedMostMonths: z.number().int().min(1).max(12),
    theftLookbackMonths: z.number().int().min(1).max(120),
    arrearsPeriodsForC: z.number().int().min(1).max(24),
  }),
  reminders: z.strictObject({
    quietFrom: hhmm,
    quietTo: hhmm,
    sendAt: hhmm,
    callAt: hhmm,
    preDebitDays: z.number().int().min(0).max(10),
  }),
  prepaid: z.strictObject({
    warning1: money, // 余额提醒
    warning2: money,
    // 费控: hours between the stop notice (待停电通知, balance below zero) and the stop (福建: next day)
    stopAfterHours: z.number().int().min(0).max(168),
  }),
  disconnection: z.strictObject({
    minOverdueDays: z.number().int().min(1), // 条例 §39: more than 30 days
    noticeLeadDays: z.number().int().min(3).max(7), // 规则 §67: 3–7 days
    finalNoticeMinutes: z.number().int().min(0),
    reconnectWithinHours: z.number().int().min(1),
  }),
  // 代收合作机构 (banks, WeChat/Alipay providers): what their payment API may claim
  partner: z.strictObject({
    // paidOn (the day the customer paid the partner) may be today or up to this many days before,
    // at the station; the partner agreement's settlement delay. 0: same day only
    paidOnDaysBack: z.number().int().min(0).max(31),
  }),
  // sign-in sessions (lib/auth/sessions.ts): a session unused for idleMinutes, or older than
  // absoluteHours however much it is used, is over. SESSION_MAX_ABSOLUTE_HOURS bounds the cookie.
  session: z.strictObject({
    idleMinutes: z.number().int().min(5).max(720),
    absoluteHours: z.number().int().min(1).max(24),
  }),
});

/** The longest absoluteHours the schema allows: the session cookie's own lifetime. */
export const SESSION_MAX_ABSOLUTE_HOURS = 24;

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsGroup = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  station: { timezone: "Asia/Shanghai" },
  lateFee: {
    residentialDailyRate: "0.001",
    otherCurrentYearDailyRate: "0.002",
    otherCrossYearDailyRate: "0.003",
    minimumTotal: "1.00",
  },
  billing: { issueDaysAfterReading: 2, dueDaysAfterIssue: 10, shortCollectionWindowDays: 10 },
  readings: {
    onTimeToleranceDays: 2,
    expectedRangeLowPct: 70,
    expectedRangeHighPct: 200,
    maxConsecutiveEstimates: 1,
    missedDecisionBy: "AUDITOR",
  },
  audit: {
    historyDeviationPct: 30,
    monthOnMonthIncreasePct: 50,
    residentialBusinessKwh: 2000,
    zeroPeriodsSiteCheck: 3,
    zeroPeriodsClosure: 6,
  },
  grade: {
    windowMonths: 12,
    refuseDaysAfterDue: 30,
    refuseMinReminders: 2,
    newCustomerMinBills: 3,
    remindedMostMonths: 5,
    theftLookbackMonths: 24,
    arrearsPeriodsForC: 3,
  },
  reminders: { quietFrom: "20:00", quietTo: "08:00", sendAt: "09:00", callAt: "10:00", preDebitDays: 2 },
  prepaid: { warning1: "30.00", warning2: "10.00", stopAfterHours: 24 },
  disconnection: { minOverdueDays: 30, noticeLeadDays: 7, finalNoticeMinutes: 30, reconnectWithinHours: 24 },
  partner: { paidOnDaysBack: 3 },
  session: { idleMinutes: 30, absoluteHours: 12 },
};

/** Partial overrides as a calculator input or a settings row may carry them (strict). */
export const settingsOverrideSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(settingsSchema.shape).map(([k, v]) => [k, (v as z.ZodObject).partial().optional()]),
  ) as { [K in SettingsGroup]: z.ZodOptional<z.ZodObject> },
);

export type SettingsOverride = { [K in SettingsGroup]?: Partial<Settings[K]> };

export type SettingRow = { group: string; value: unknown; effectiveFrom: IsoDate; stationScoped: boolean };

export function mergeSettings(base: Settings, over: SettingsOverride | undefined): Settings {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    if (v) out[k] = { ...(base as Record<string, object>)[k], ...v };
  }
  return settingsSchema.parse(out);
}

/** Settings in force on `asOf`: per group the latest row effective on or before it,
 *  company-wide rows first, then the station's own (which win). */
export function resolveSettings(rows: readonly SettingRow[], asOf: IsoDate): Settings {
  const inForce = rows
    .filter((r) => r.effectiveFrom <= asOf && r.group in DEFAULT_SETTINGS)
    .sort((a, b) =>
      Number(a.stationScoped) - Number(b.stationScoped) || a.effectiveFrom.localeCompare(b.effectiveFrom));
  let s = DEFAULT_SETTINGS;
  for (const r of inForce) s = mergeSettings(s, { [r.group]: r.value } as SettingsOverride);
  return s;
}
