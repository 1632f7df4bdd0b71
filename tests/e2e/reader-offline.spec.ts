// The reader on a tablet (issue 3, "done when"): a route read end to end on an 800×1280 screen
// with the connection cut halfway, a reload while offline, and every reading arriving exactly
// once when the connection is back. Also: bad input changes nothing; the landscape layout.
import { test, expect, useRole, db } from "./fixtures";
import { makeReaderRoute, readingsOf, type ReaderRoute } from "./reader-fixtures";

const URL_DB = process.env.DATABASE_URL!;
// an 8×8 PNG
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4YWSEFTEMLQkAc/tLAZi7j8gAAAAASUVORK5CYII=";

async function openRoute(page: import("@playwright/test").Page, r: ReaderRoute) {
  await page.goto("/reader");
  await expect(page.getByTestId("sw-ready")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
  await page.getByTestId("route-card").filter({ hasText: r.code }).getByRole("button").click();
  await expect(page.getByTestId("meter-card")).toBeVisible();
}

async function read(page: import("@playwright/test").Page, value: string) {
  const card = page.getByTestId("meter-card");
  const before = await card.getAttribute("data-installation");
  await page.getByTestId("reading-input").fill(value);
  await page.getByTestId("save-reading").click();
  // the form moves on to the next meter (or shows the route finished)
  await expect(async () => {
    const done = await page.getByTestId("route-done").isVisible();
    expect(done || (await card.getAttribute("data-installation")) !== before).toBe(true);
  }).toPass();
}

test.describe("reader's tablet", () => {
  useRole("reader");

  test.describe("portrait 800×1280", () => {
    test.use({ viewport: { width: 800, height: 1280 } });

    test("reads a route with the connection cut halfway, reloads offline, and every reading arrives once", async ({ page, context }) => {
      const r = await makeReaderRoute(URL_DB, { meters: 6, kwh: 100 }); // last reading 1600 everywhere
      await openRoute(page, r);
      const pending = page.getByTestId("pending-count");

      // first half online: each one is sent at once
      for (const v of ["1700", "1695.5", "1712"]) await read(page, v);
      await expect(pending).toHaveAttribute("data-count", "0", { timeout: 20_000 });
      expect((await readingsOf(URL_DB, r.installationIds, r.period)).length).toBe(3);

      // the signal goes: the rest is kept on the tablet, the count of what waits is visible
      await context.setOffline(true);
      await expect(page.getByTestId("net-status")).toHaveAttribute("data-online", "false");
      for (const v of ["1702", "1698"]) await read(page, v);
      // an unusual value still asks at the meter, offline too: confirm it with a reason
      await page.getByTestId("reading-input").fill("2400");
      await page.getByTestId("save-reading").click();
      await expect(page.getByTestId("check-panel")).toBeVisible();
      await page.getByTestId("confirm-USAGE_CHANGED").click();
      await expect(page.getByTestId("route-done")).toBeVisible();
      await expect(pending).toHaveAttribute("data-count", "3");
      await page.screenshot({ path: "test-results/reader-offline-portrait.png" });

      // a reload while offline loses nothing: the page comes from the service worker, the
      // queue from IndexedDB, and the reader is back on the same route
      await page.reload();
      await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", "3", { timeout: 20_000 });
      await expect(page.getByTestId("route-done")).toBeVisible();
      expect((await readingsOf(URL_DB, r.installationIds, r.period)).length).toBe(3);

      // back online: everything waiting goes up, exactly once
      await context.setOffline(false);
      await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
      const rows = await readingsOf(URL_DB, r.installationIds, r.period);
      expect(rows.map((x) => x.n)).toEqual([1, 1, 1, 1, 1, 1]);
      const byInst = new Map(rows.map((x) => [x.installation_id, Number(x.total)]));
      expect(r.installationIds.map((id) => byInst.get(id))).toEqual([1700, 1695.5, 1712, 1702, 1698, 2400]);

      // a second trip online (another reload) sends nothing again
      await page.reload();
      await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", "0");
      expect((await readingsOf(URL_DB, r.installationIds, r.period)).map((x) => x.n)).toEqual([1, 1, 1, 1, 1, 1]);
    });

    test("letters and a reading below the last one are caught at the meter; nothing is saved", async ({ page }) => {
      const r = await makeReaderRoute(URL_DB, { meters: 2 });
      await openRoute(page, r);
      await page.getByTestId("reading-input").fill("16O0");
      await page.getByTestId("save-reading").click();
      await expect(page.locator("#reading-error")).toHaveText("读数只能是数字，最多两位小数。");
      // below the last reading (1600): a re-read is required; a different second value is checked afresh
      await page.getByTestId("reading-input").fill("1500");
      await page.getByTestId("save-reading").click();
      await expect(page.getByTestId("check-panel")).toContainText("低于上次读数");
      await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", "0");
      expect(await readingsOf(URL_DB, r.installationIds, r.period)).toEqual([]);
      await page.getByTestId("reread-input").fill("1650");
      await page.getByTestId("reread-save").click();
      await expect.poll(async () => (await readingsOf(URL_DB, r.installationIds, r.period)).length, { timeout: 20_000 }).toBe(1);
      await expect(page.getByTestId("pending-count")).toHaveAttribute("data-count", "0");
      const rows = await readingsOf(URL_DB, r.installationIds, r.period);
      expect(rows.map((x) => [x.n, Number(x.total)])).toEqual([[1, 1650]]);
    });

    test("the sync endpoint refuses a meter that is not on the reader's route", async ({ page }) => {
      const mine = await makeReaderRoute(URL_DB, { meters: 1 });
      const other = await makeReaderRoute(URL_DB, { meters: 1, username: "reader2" });
      await page.goto("/reader");
      const res = await page.request.post("/api/readings/sync", {
        data: { items: [{ clientKey: `e2e-${Date.now()}-x`, installationId: other.installationIds[0], period: other.period, value: "1700", readAt: new Date().toISOString(), observations: [] }] },
      });
      const body = (await res.json()) as { results: { status: string; message: string }[] };
      expect(body.results[0]).toMatchObject({ status: "rejected", message: "该电表不在您负责的抄表段上，读数未保存。" });
      expect(await readingsOf(URL_DB, other.installationIds, other.period)).toEqual([]);
      expect(await readingsOf(URL_DB, mine.installationIds, mine.period)).toEqual([]);
    });
  });

  test.describe("landscape 1280×800", () => {
    test.use({ viewport: { width: 1280, height: 800 } });

    test("shows the meter and the route list side by side and reads", async ({ page }) => {
      const r = await makeReaderRoute(URL_DB, { meters: 3 });
      await openRoute(page, r);
      const card = await page.getByTestId("meter-card").boundingBox();
      const list = await page.getByRole("navigation", { name: "本段电表" }).boundingBox();
      expect(card && list && list.x > card.x + card.width - 1).toBe(true); // the list is to the right
      await expect(page.getByTestId("previous")).toHaveText("1600.00");
      await expect(page.getByTestId("expected")).toContainText("–");
      await page.screenshot({ path: "test-results/reader-landscape.png" });
      // an optional photo of the register goes with the reading (downscaled to a JPEG on the tablet)
      await page.locator('input[type="file"]').setInputFiles({ name: "register.png", mimeType: "image/png", buffer: Buffer.from(PNG, "base64") });
      await expect(page.getByTestId("meter-card")).toContainText("已拍照");
      await read(page, "1710");
      await expect.poll(async () => (await readingsOf(URL_DB, r.installationIds, r.period)).length, { timeout: 20_000 }).toBe(1);
      // the next customer keeps the door shut: the reader records why instead of a value
      await page.getByTestId("not-read").click();
      await page.getByTestId("missed-CUSTOMER_REFUSED").click();
      await expect.poll(async () => (await readingsOf(URL_DB, r.installationIds, r.period)).length, { timeout: 20_000 }).toBe(2);
      const rows = await readingsOf(URL_DB, r.installationIds, r.period);
      expect(rows.map((x) => [x.n, x.total === null ? null : Number(x.total)])).toEqual([[1, 1710], [1, null]]);
      const photo = await db.query<{ photo_path: string | null; reason_code: string | null }>(
        `select photo_path, reason_code from reading where installation_id = any($1) and period = $2 order by installation_id`, [r.installationIds, r.period]);
      expect(photo.rows[0].photo_path).toMatch(/\.jpg$/);
      expect(photo.rows[1]).toMatchObject({ photo_path: null, reason_code: "CUSTOMER_REFUSED" });
      await page.screenshot({ path: "test-results/reader-landscape-after.png" });
    });
  });
});
