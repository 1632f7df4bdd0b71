// The auditor's side of readings (issue 3): the reading-day checks page and its Excel export,
// a missed reading sent to estimate, the collected-readings import (a bad file refused whole,
// a clean one imported), a reading-day change asked by a reader and approved by the auditor, and
// a re-read (复抄) ordered on the worklist, recorded on the reader's tablet and back on the worklist.
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

test.describe("复抄: ordered on the worklist, read on the tablet, back on the worklist", () => {
  /** A reading of this period far above the customer's own (1000 kWh against 100), its bill held
   *  by HISTORY_HIGH, as the billing run leaves it. */
  async function heldMisread(installationId: number, period: string) {
    const { rows } = await db.query<{ id: number; customer_id: number; station_id: number; scheduled_on: string }>(
      `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, total, source)
       select rt.station_id, c.id, i.id, $2::varchar, ($2::text || '-' || lpad(rt.reading_day::text, 2, '0'))::date,
              (($2::text || '-' || lpad(rt.reading_day::text, 2, '0'))::date + time '10:00') at time zone 'Asia/Shanghai', 2600, 'MANUAL'::"ReadingSource"
         from meter_installation i join customer c on c.id = i.customer_id join route rt on rt.id = c.route_id where i.id = $1
       returning id, customer_id, station_id, scheduled_on::text`, [installationId, period]);
    const rd = rows[0];
    const bill = (await db.query<{ id: number }>(
      `insert into bill (station_id, customer_id, period, kwh, amount, lines, status, reading_id, due_date)
       values ($1, $2, $3, 1000, '546.90', '[]', 'HELD', $4, $5::date + 10) returning id`, [rd.station_id, rd.customer_id, period, rd.id, rd.scheduled_on])).rows[0].id;
    const exc = (await db.query<{ id: number }>(
      `insert into audit_exception (station_id, bill_id, customer_id, period, code, details) values ($1, $2, $3, $4, 'HISTORY_HIGH', $5) returning id`,
      [rd.station_id, bill, rd.customer_id, period, JSON.stringify({ kwh: 1000, averageKwh: 100, periods: 6, thresholdPct: 30 })])).rows[0].id;
    return { readingId: rd.id, billId: bill, exceptionId: exc };
  }

  test("a misread is corrected by the reader's re-read; a confirmed one waits for the auditor with who, when and what", async ({ browser }) => {
    const r = await makeReaderRoute(URL_DB, { meters: 2 });
    const [wrong, right] = [await heldMisread(r.installationIds[0], r.period), await heldMisread(r.installationIds[1], r.period)];

    const auditor = await browser.newPage({ storageState: authFile("auditor") });
    const worklist = `/audit?period=${r.period}&route=${r.routeId}`;
    await auditor.goto(worklist);
    for (const x of [wrong, right]) {
      await auditor.getByTestId(`handle-${x.exceptionId}`).click();
      const form = auditor.getByTestId(`clear-form-${x.exceptionId}`);
      await form.locator(`#x${x.exceptionId}-resolution`).selectOption("REREAD");
      await form.locator(`#x${x.exceptionId}-note`).fill("电量是平时的十倍，请复抄");
      await auditor.getByTestId(`clear-submit-${x.exceptionId}`).click();
      const row = auditor.getByTestId(`exception-${x.exceptionId}`);
      await expect(row.getByTestId("clear-ok")).toBeVisible();
      await expect(row).toContainText("复抄计划"); // for whom and when, after the page refreshes
    }
    const visitOf = async (readingId: number) =>
      (await db.query<{ id: number }>(`select id from visit where reading_id = $1 and purpose = 'CATCH_UP_READING'`, [readingId])).rows[0].id;
    const [v1, v2] = [await visitOf(wrong.readingId), await visitOf(right.readingId)];

    // the reader's tablet (800×1280): a banner, then the re-reads beside the site checks
    const ctx = await browser.newContext({ storageState: authFile("reader"), viewport: { width: 800, height: 1280 } });
    const reader = await ctx.newPage();
    await reader.goto("/reader");
    await expect(reader.getByTestId("reread-banner")).toContainText("待复抄");
    await reader.goto("/reader/visits");
    const card = reader.getByTestId(`reread-${v1}`);
    await expect(reader.getByTestId(`reread-doubted-${v1}`)).toHaveText("2600.00");
    await expect(card).toContainText("电量高于本户历史");
    await expect(card).toContainText("电量是平时的十倍，请复抄");
    // offline: said so, and the button waits
    await ctx.setOffline(true);
    await expect(reader.getByTestId(`reread-offline-${v1}`)).toBeVisible();
    await expect(reader.getByTestId(`reread-submit-${v1}`)).toBeDisabled();
    await ctx.setOffline(false);
    await expect(reader.getByTestId(`reread-submit-${v1}`)).toBeEnabled();
    // letters refused in Chinese, nothing saved
    await reader.getByTestId(`reread-value-${v1}`).fill("17O5");
    await reader.getByTestId(`reread-submit-${v1}`).click();
    await expect(reader.getByTestId(`reread-form-${v1}`)).toContainText("读数只能是数字");
    expect((await db.query(`select total::text t from reading where id = $1`, [wrong.readingId])).rows[0].t).toBe("2600.00");
    await reader.getByTestId(`reread-value-${v1}`).fill("1705");
    await reader.getByTestId(`reread-submit-${v1}`).click();
    await expect(reader.getByTestId(`reread-ok-${v1}`)).toContainText("已按复抄示数 1705.00（原 2600.00）重算：1000 → 105 千瓦时");
    await reader.getByTestId(`reread-value-${v2}`).fill("2600");
    await reader.getByTestId(`reread-submit-${v2}`).click();
    await expect(reader.getByTestId(`reread-ok-${v2}`)).toContainText("复抄一致（2600.00）");
    await reader.screenshot({ path: "test-results/reader-rereads.png", fullPage: true });
    await ctx.close();

    const bills = (await db.query<{ id: number; status: string; kwh: number }>(`select id, status::text status, kwh from bill where id = any($1) order by id`, [[wrong.billId, right.billId]])).rows;
    expect(bills).toEqual([{ id: wrong.billId, status: "DRAFT", kwh: 105 }, { id: right.billId, status: "HELD", kwh: 1000 }]);
    // the worklist: the corrected one is gone, the confirmed one says the re-read came back
    await auditor.goto(worklist);
    await expect(auditor.getByTestId(`exception-${wrong.exceptionId}`)).toHaveCount(0);
    await expect(auditor.getByTestId(`reread-back-${v2}`)).toContainText("与原读数一致");
    await expect(auditor.getByTestId(`reread-back-${v2}`)).toContainText("2600.00");
    await auditor.close();
  });
});
