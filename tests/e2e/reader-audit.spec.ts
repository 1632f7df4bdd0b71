// The auditor's side of readings (issue 3): the reading-day checks page and its Excel export,
// a missed reading sent to estimate, the collected-readings import (a bad file refused whole,
// a clean one imported), and a reading-day change asked by a reader and approved by the auditor.
import fs from "node:fs";
import ExcelJS from "exceljs";
import { test, expect, useRole, db, authFile } from "./fixtures";
import { makeReaderRoute, readingsOf } from "./reader-fixtures";

const URL_DB = process.env.DATABASE_URL!;

/** Readings for the fixture route: on the day, three days late, a refusal recorded, an estimate
 *  (the month before estimated too), and one meter nobody read. */
async function seedPeriod(routeId: number, period: string, ids: number[]) {
  const { rows } = await db.query<{ reading_day: number; station_id: number }>(`select reading_day, station_id from route where id = $1`, [routeId]);
  const { reading_day: day, station_id: st } = rows[0];
  const date = (d: number) => `${period}-${String(d).padStart(2, "0")}`;
  const put = (inst: number, p: string, read: string | null, total: string | null, source: string, reason: string | null) => db.query(
    `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source, reason_code)
     select $1, customer_id, id, $2, $3::date, $4::timestamptz, $5, $6::"ReadingSource", $7 from meter_installation where id = $8
     on conflict (installation_id, period) do update set total = excluded.total, source = excluded.source, read_at = excluded.read_at`,
    [st, p, date(day), read, total, source, reason, inst]);
  await put(ids[0], period, `${date(day)}T10:00:00+08:00`, "1700", "MANUAL", null);
  await put(ids[1], period, `${date(day > 3 ? day - 3 : day + 3)}T10:00:00+08:00`, "1700", "MANUAL", null);
  await put(ids[2], period, `${date(day)}T11:00:00+08:00`, null, "MANUAL", "CUSTOMER_REFUSED");
  const prev = (await db.query<{ p: string }>(`select to_char(($1 || '-01')::date - 1, 'YYYY-MM') as p`, [period])).rows[0].p;
  await put(ids[3], prev, null, "1600", "ESTIMATED", "NO_ACCESS");
  await put(ids[3], period, null, "1700", "ESTIMATED", "NO_ACCESS");
  // ids[4]: nothing at all
}

test.describe("auditor: reading-day checks", () => {
  useRole("auditor");

  test("shows deviations, misses and estimates of a route, estimates a refusal, exports masked", async ({ page }) => {
    const r = await makeReaderRoute(URL_DB, { meters: 5 });
    await seedPeriod(r.routeId, r.period, r.installationIds);
    await page.goto(`/audit/checks?period=${r.period}&scope=route:${r.routeId}&filter=ALL`);
    await expect(page.getByTestId("total-due")).toHaveText("5");
    await expect(page.getByTestId("total-taken")).toHaveText("2");
    await expect(page.getByTestId("total-notTaken")).toHaveText("2");
    await expect(page.getByTestId("total-estimated")).toHaveText("1");
    await expect(page.getByTestId("total-estimateExceptions")).toHaveText("1");
    const rows = page.getByTestId("check-rows").locator("tbody tr");
    await expect(rows).toHaveCount(5);
    await expect(rows.filter({ hasText: /(-3|\+3)/ })).toContainText("未按例日");
    await expect(rows.filter({ hasText: "连续估抄" })).toHaveCount(1);
    await expect(page.getByTestId("check-rows")).not.toContainText("13900000000"); // phones masked
    await page.screenshot({ path: "test-results/reader-audit-checks.png", fullPage: true });

    // the recorded refusal: bill the previous period's consumption, settle at the next reading
    const refused = rows.filter({ hasText: "客户拒绝抄表" });
    await refused.getByRole("button", { name: "估抄" }).click();
    await expect(refused).toContainText("已按上期电量估抄");
    const est = await readingsOf(URL_DB, [r.installationIds[2]], r.period);
    expect(Number(est[0].total)).toBe(1700); // 1600 + last month's 100 kWh

    // Excel export of the same check
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("checks-export").click()]);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["汇总", "抄表段", "抄表员", "明细"]);
    const detail = wb.getWorksheet("明细")!;
    expect(detail.rowCount).toBe(6); // header + 5 meters
    const phones = detail.getColumn(3).values.slice(2).map(String);
    expect(phones.every((p) => /^139\*{4}\d{4}$/.test(p))).toBe(true);
    fs.rmSync(file!, { force: true });
  });

  test("a route read on another day with no approved change is flagged", async ({ page }) => {
    const r = await makeReaderRoute(URL_DB, { meters: 3 });
    const { rows } = await db.query<{ reading_day: number }>(`select reading_day from route where id = $1`, [r.routeId]);
    const off = rows[0].reading_day > 4 ? rows[0].reading_day - 4 : rows[0].reading_day + 4;
    for (const id of r.installationIds) {
      await db.query(
        `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source)
         select (select station_id from route where id = $4), customer_id, id, $1::text, ($1::text || '-01')::date, ($1::text || '-' || lpad($2::text, 2, '0') || ' 10:00+08')::timestamptz, 1700, 'MANUAL'
         from meter_installation where id = $3`, [r.period, off, id, r.routeId]);
    }
    await page.goto(`/audit/checks?period=${r.period}&scope=route:${r.routeId}`);
    await expect(page.getByTestId("checks-routes").locator(`tr[data-route="${r.code}"]`)).toContainText("未经批准改变例日");
  });
});

test.describe("auditor: collected readings import", () => {
  useRole("auditor");

  test("a malformed file is refused with per-row reasons and nothing imported; a clean one goes in", async ({ page }) => {
    const r = await makeReaderRoute(URL_DB, { meters: 3 });
    await page.goto("/audit/imports");
    const now = new Date(Date.now() - 3600_000);
    const local = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" }).format(now);
    const bad = ["meter_no,read_time,total", `${r.meterNos[0]},${local},1700`, `${r.meterNos[1]},${local},17OO`, `NO-SUCH-METER,${local},1700`].join("\n");
    await page.getByTestId("import-file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByTestId("import-submit").click();
    await expect(page.getByTestId("import-result")).toContainText("整个文件未导入");
    const errors = page.getByTestId("import-errors");
    await expect(errors.locator("tbody tr")).toHaveCount(2);
    await expect(errors).toContainText("示数不是有效数字");
    await expect(errors).toContainText("表号不存在");
    expect(await readingsOf(URL_DB, r.installationIds, r.period)).toEqual([]);

    const good = ["表号,抄表时间,总示数", ...r.meterNos.map((m, i) => `${m},${local},${1700 + i}`)].join("\n");
    await page.getByTestId("import-file").setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.getByTestId("import-submit").click();
    await expect(page.getByTestId("import-result")).toContainText("已导入 3 行");
    expect((await readingsOf(URL_DB, r.installationIds, r.period)).map((x) => x.n)).toEqual([1, 1, 1]);
  });
});

test.describe("reading-day change", () => {
  test("a reader asks, the auditor approves, every customer of the route gets a notice", async ({ browser }) => {
    const r = await makeReaderRoute(URL_DB, { meters: 4 });
    const reader = await browser.newContext({ storageState: authFile("reader") });
    const rp = await reader.newPage();
    await rp.goto("/audit/reading-days");
    const form = rp.getByTestId("day-change-request");
    await form.getByLabel("抄表段").selectOption(String(r.routeId));
    const { rows } = await db.query<{ reading_day: number }>(`select reading_day from route where id = $1`, [r.routeId]);
    const newDay = rows[0].reading_day === 20 ? 19 : 20;
    await form.getByLabel("新例日（日）").fill(String(newDay));
    await form.getByLabel("变更原因").fill("与相邻台区合并抄表路线");
    await form.getByRole("button", { name: "提交申请" }).click();
    await expect(form).toContainText("申请已提交");
    const change = (await db.query<{ id: number; status: string }>(`select id, status from reading_day_change where route_id = $1`, [r.routeId])).rows[0];
    expect(change.status).toBe("PENDING");
    await reader.close();

    const auditor = await browser.newContext({ storageState: authFile("auditor") });
    const ap = await auditor.newPage();
    await ap.goto("/audit/reading-days");
    const decide = ap.getByTestId(`decide-${change.id}`);
    await decide.getByRole("textbox").fill("同意，已电话告知");
    await decide.getByRole("button", { name: "批准" }).click();
    // the page refreshes with the decision: approved, notices counted
    const card = ap.getByTestId(`change-${change.id}`);
    await expect(card).toContainText("已批准");
    await expect(card).toContainText("已发通知 4 户");
    const sent = await db.query(`select channel from outbox_message where dedupe_key like $1`, [`reading-day-change:${change.id}:%`]);
    expect(sent.rowCount).toBe(4);
    await auditor.close();
  });
});
