// Scheduling a settings version through the real server action (runAction: session → parse →
// permission → lib/data/settings), against a real database. Only Next's request context is
// stood in for: the session (next-auth), the locale cookie and revalidatePath.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ user: null as null | { id: number; sv: number } }));
vi.mock("next-auth", async () => {
  const { stubSession } = await import("../support/session-stub");
  return { getServerSession: () => stubSession(session.user) };
});
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

import { prisma, pool } from "@/lib/db";
import { scheduleSettingAction } from "@/app/admin/settings/actions";
import type { Actor } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { stationSettings } from "@/lib/data/ledger";
import { scheduleSettingVersion, settingHistory, settingsInForce } from "@/lib/data/settings";
import { loadSettings } from "@/lib/jobs/billing-run";
import { addDays, localDate } from "@/lib/domain/calendar";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { settingToFields } from "@/lib/validation/setting";
import { closeDb } from "./readings-fixtures";

let stationId: number;
let otherStationId: number;
let admin: Actor;
let clerk: Actor;
let today: string;
let tomorrow: string;

async function addUser(username: string, role: "ADMIN" | "CLERK", station: number): Promise<Actor> {
  const u = await prisma.user.create({ data: { stationId: station, username, name: `${username}名`, role, passwordHash: await hashPassword("Start-pass-1") } });
  return { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username };
}

function signIn(a: Actor | null) {
  session.user = a ? { id: a.id, sv: 0 } : null;
}

/** A form as the page sends it: the group's values in force, with some fields changed. */
function formData(group: "lateFee" | "billing", effectiveFrom: string, changes: Record<string, string> = {}) {
  const fd = new FormData();
  const fields = { group, effectiveFrom, ...settingToFields(group, DEFAULT_SETTINGS[group]), ...changes };
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

const counts = async () => ({
  settings: await prisma.setting.count(),
  audits: await prisma.auditLog.count({ where: { targetType: "setting" } }),
});

beforeAll(async () => {
  stationId = (await prisma.station.create({ data: { code: "S1", name: "设置一所", timezone: "Asia/Shanghai" } })).id;
  otherStationId = (await prisma.station.create({ data: { code: "S2", name: "设置二所" } })).id;
  admin = await addUser("setadmin", "ADMIN", stationId);
  clerk = await addUser("setclerk", "CLERK", stationId);
  // the seed's company-wide defaults, as on a real installation
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    await prisma.setting.create({ data: { stationId: null, key, value, effectiveFrom: new Date("2000-01-01") } });
  }
  today = localDate(new Date(), "Asia/Shanghai");
  tomorrow = addDays(today, 1);
});

afterAll(closeDb);

describe("scheduling a settings version", () => {
  it("a version for tomorrow: today's value unchanged, tomorrow's the new one, in every reader; audited", async () => {
    // the counter's cache already holds tomorrow's settings: the change must not wait for it to expire
    expect((await stationSettings(pool, stationId, tomorrow)).lateFee.residentialDailyRate).toBe("0.001");
    signIn(admin);
    const r = await scheduleSettingAction(null, formData("lateFee", tomorrow, { residentialDailyRate: "0.0015", minimumTotal: "" }));
    expect(r).toMatchObject({ status: "ok", message: `已保存：新版本自 ${tomorrow} 起生效。` });

    for (const read of [
      async (d: string) => (await settingsInForce(stationId, d)).settings.lateFee,
      async (d: string) => (await loadSettings(pool, stationId, d)).lateFee,
      async (d: string) => (await stationSettings(pool, stationId, d)).lateFee,
    ]) {
      expect(await read(today)).toEqual(DEFAULT_SETTINGS.lateFee);
      expect(await read(tomorrow)).toEqual({ ...DEFAULT_SETTINGS.lateFee, residentialDailyRate: "0.0015", minimumTotal: null });
    }
    // another station keeps the company-wide values
    expect((await loadSettings(pool, otherStationId, tomorrow)).lateFee).toEqual(DEFAULT_SETTINGS.lateFee);

    const row = await prisma.setting.findFirstOrThrow({ where: { stationId, key: "lateFee" } });
    expect(row).toMatchObject({ createdBy: admin.id, effectiveFrom: new Date(`${tomorrow}T00:00:00Z`) });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { targetType: "setting", targetId: String(row.id) } });
    expect(audit).toMatchObject({ action: "setting.version.schedule", actorId: admin.id, stationId });
    expect(audit.before).toEqual({ group: "lateFee", effectiveFrom: tomorrow, value: DEFAULT_SETTINGS.lateFee, replaced: null });
    expect(audit.after).toEqual({ group: "lateFee", effectiveFrom: tomorrow, value: { ...DEFAULT_SETTINGS.lateFee, residentialDailyRate: "0.0015", minimumTotal: null } });

    const { versions } = await settingHistory(stationId, today);
    const mine = versions.find((v) => v.id === row.id)!;
    expect(mine).toMatchObject({ state: "scheduled", stationScoped: true, createdBy: "setadmin名", changedKeys: ["residentialDailyRate", "minimumTotal"] });
    expect(versions.find((v) => v.group === "lateFee" && !v.stationScoped)).toMatchObject({ state: "inForce", createdBy: null });
  });

  it("the same date again replaces the scheduled version (one row), audited as a replacement", async () => {
    signIn(admin);
    const r = await scheduleSettingAction(null, formData("lateFee", tomorrow, { residentialDailyRate: "0.0012" }));
    expect(r).toMatchObject({ status: "ok", message: `已修改 ${tomorrow} 起生效的待生效版本。` });
    const rows = await prisma.setting.findMany({ where: { stationId, key: "lateFee" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].value).toMatchObject({ residentialDailyRate: "0.0012", minimumTotal: "1.00" });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { targetType: "setting", action: "setting.version.replace" } });
    expect(audit.before).toMatchObject({ replaced: { residentialDailyRate: "0.0015", minimumTotal: null } });
    expect((await settingsInForce(stationId, tomorrow)).settings.lateFee.residentialDailyRate).toBe("0.0012");
  });

  it("a past date is refused with the reason, on the date field, and nothing is written", async () => {
    signIn(admin);
    const before = await counts();
    const r = await scheduleSettingAction(null, formData("billing", addDays(today, -1), { dueDaysAfterIssue: "15" }));
    expect(r?.status).toBe("invalid");
    const message = `生效日期 ${addDays(today, -1)} 早于今天（${today}）：已按原参数计算的违约金、电费等数据会因此改变，请选择今天或以后的日期。`;
    expect(r).toMatchObject({ message, fieldErrors: { effectiveFrom: [message] }, values: { dueDaysAfterIssue: "15" } });
    expect(await counts()).toEqual(before);
  });

  it("a version already in force is never edited", async () => {
    await prisma.setting.create({ data: { stationId, key: "billing", value: { ...DEFAULT_SETTINGS.billing, dueDaysAfterIssue: 12 }, effectiveFrom: new Date(`${today}T00:00:00Z`) } });
    signIn(admin);
    const before = await counts();
    const r = await scheduleSettingAction(null, formData("billing", today, { dueDaysAfterIssue: "20" }));
    expect(r).toMatchObject({ status: "invalid", fieldErrors: { effectiveFrom: [`${today} 起的版本已经生效，不能修改；请安排一个更晚生效的新版本。`] } });
    expect(await counts()).toEqual(before);
    expect((await settingsInForce(stationId, today)).settings.billing.dueDaysAfterIssue).toBe(12);
  });

  it("bad input: field messages in Chinese, nothing written", async () => {
    signIn(admin);
    const before = await counts();
    const r = await scheduleSettingAction(null, formData("lateFee", tomorrow, { residentialDailyRate: "0.1%", minimumTotal: "1.234" }));
    expect(r).toMatchObject({
      status: "invalid",
      message: "输入有误，请按提示修改后再提交。",
      fieldErrors: {
        residentialDailyRate: ["请填写小于 1 的小数，最多 8 位小数，如 0.001（即每日 0.1%）。"],
        minimumTotal: ["请填写金额（元），最多两位小数，如 1.00；留空表示不设。"],
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("a non-admin is refused, by the action and by the data layer; nothing written", async () => {
    const before = await counts();
    signIn(clerk);
    expect(await scheduleSettingAction(null, formData("billing", tomorrow, { dueDaysAfterIssue: "30" })))
      .toMatchObject({ status: "error", code: "FORBIDDEN", message: "您没有执行此操作的权限。" });
    signIn(null);
    expect(await scheduleSettingAction(null, formData("billing", tomorrow))).toMatchObject({ status: "error", code: "AUTH_REQUIRED" });
    const direct = await scheduleSettingVersion(clerk, { group: "billing", effectiveFrom: tomorrow, value: { ...DEFAULT_SETTINGS.billing, dueDaysAfterIssue: 30 } })
      .then(() => "written", (e: { code?: string }) => e.code);
    expect(direct).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("a version that changes nothing is not saved", async () => {
    signIn(admin);
    const before = await counts();
    const r = await scheduleSettingAction(null, formData("billing", addDays(today, 30), { dueDaysAfterIssue: "12" }));
    expect(r).toMatchObject({ status: "error", code: "SETTING_UNCHANGED" });
    expect(await counts()).toEqual(before);
  });
});
