// Billing end to end in Chromium: the auditor starts a run for its own route and period, watches
// the progress bar finish, clears a held bill in the worklist, releases the run and opens the
// printable bill; the clerk can read bills but cannot start runs or clear exceptions; the admin
// adds a tariff version through the form.
import { expect, test, useRole, db, uniq, serverActionId, postServerAction } from "./fixtures";
import { addCustomers, type BillingBase } from "../integration/billing-fixtures";

/** Its own route with three customers read in `period`: one clean, one a shop in a home, one estimated. */
async function fixture(period: string) {
  const st = (await db.query<{ id: number }>(`select id from station where code = 'TH01'`)).rows[0].id;
  const any = (await db.query(`select district_id, line_id, street_id from customer where station_id = $1 limit 1`, [st])).rows[0];
  const code = uniq("E2E").slice(0, 28);
  const route = (await db.query<{ id: number }>(
    `insert into route (station_id, code, name, reading_day) values ($1, $2::text, $2::text, 18) returning id`, [st, code])).rows[0].id;
  const tariffs = new Map((await db.query<{ id: number; code: string }>(`select id, code from tariff`)).rows.map((t) => [t.code, t.id]));
  const base = {
    stationId: st, districtId: any.district_id, lineId: any.line_id, streetId: any.street_id, routeIds: [route],
    tariffId: (c: string) => tariffs.get(c)!,
  } as unknown as BillingBase;
  const [y, m] = period.split("-").map(Number);
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  const ids = await addCustomers(db, base, [
    { tariff: "SD-RES", readings: { [prev]: { total: "1000" }, [period]: { total: "1200" } } },
    { tariff: "SD-RES", readings: { [prev]: { total: "1000" }, [period]: { total: "4000" } } },
    { tariff: "SD-RES", readings: { [prev]: { total: "1000" }, [period]: { total: "1150", source: "ESTIMATED" } } },
  ]);
  const nos = (await db.query<{ id: number; customer_no: string }>(`select id, customer_no from customer where id = any($1) order by id`, [ids])).rows;
  return { route, code, ids, nos: nos.map((n) => n.customer_no) };
}

/** A period after the demo's, different per test so parallel tests never share a run; before
 *  2060, so the tariff test's versions (2060+) still start after the last billed period. */
function period(): string {
  return `20${40 + Math.floor(Math.random() * 20)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}`;
}

test.describe("billing (auditor)", () => {
  useRole("auditor");

  test("run → progress → clear → release → printable bill", async ({ page }) => {
    const P = period();
    const f = await fixture(P);
    await page.goto("/audit/runs");
    await page.locator("#period").fill(P);
    await page.locator("#routeIds").selectOption(String(f.route));
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("form-ok")).toBeVisible();
    const runId = (await db.query<{ id: number }>(`select id from billing_run where period = $1 order by id desc limit 1`, [P])).rows[0].id;
    // the progress bar polls the server and reaches COMPLETED without a reload
    await expect(page.getByTestId(`run-progress-${runId}`)).toHaveAttribute("data-status", "COMPLETED", { timeout: 30_000 });
    await expect(page.getByTestId(`run-progress-${runId}`)).toContainText("3 / 3");

    const bills = (await db.query(`select customer_id, status::text as status, amount::text as amount from bill where customer_id = any($1) order by customer_id`, [f.ids])).rows;
    expect(bills.map((b) => b.status)).toEqual(["DRAFT", "HELD", "HELD"]);

    // the worklist, filtered to this route: accept the estimate with a reason
    await page.goto(`/audit?period=${P}&route=${f.route}`);
    const row = page.locator(`[data-customer="${f.nos[2]}"]`).first();
    const xid = (await row.getAttribute("data-testid"))!.split("-")[1];
    await row.getByTestId(`handle-${xid}`).click();
    await row.locator("select[name=resolution]").selectOption("ACCEPT");
    await row.getByTestId(`clear-submit-${xid}`).click();
    await expect(row.getByRole("alert").last()).toContainText("原因"); // a reason is required
    await row.locator("textarea[name=note]").fill("客户外出，下月实抄结算");
    await row.getByTestId(`clear-submit-${xid}`).click();
    // cleared: the worklist is revalidated and the exception leaves it
    await expect(page.getByTestId(`exception-${xid}`)).toHaveCount(0);
    const cleared = (await db.query(`select status::text as status, note, cleared_by from audit_exception where id = $1`, [Number(xid)])).rows[0];
    expect(cleared).toMatchObject({ status: "CLEARED", note: "客户外出，下月实抄结算" });
    expect(cleared.cleared_by).not.toBeNull();

    // release: the two unheld bills go out; the shop-in-a-home stays held
    await page.goto("/audit/runs");
    page.once("dialog", (d) => d.accept());
    await page.getByTestId(`release-${runId}`).click();
    await expect(page.getByTestId("run-action-ok")).toBeVisible();
    const after = (await db.query(`select status::text as status from bill where customer_id = any($1) order by customer_id`, [f.ids])).rows;
    expect(after.map((b) => b.status)).toEqual(["RELEASED", "HELD", "RELEASED"]);
    const ledger = (await db.query(`select count(*)::int as n from ledger_entry where customer_id = any($1) and kind = 'BILL'`, [f.ids])).rows[0].n;
    expect(ledger).toBe(2);

    // the bill: 200 kWh × 0.5469 = 109.38
    const billId = (await db.query(`select id from bill where customer_id = $1`, [f.ids[0]])).rows[0].id;
    await page.goto(`/bills/${billId}`);
    await expect(page.getByTestId("bill-customer-no")).toHaveText(f.nos[0]);
    await expect(page.getByTestId("bill-total")).toHaveText("109.38");
    await expect(page.getByTestId("amount-due")).toContainText("109.38");
    await expect(page.getByTestId("usage-chart")).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(page.getByTestId("print")).toBeHidden();
  });
});

test.describe("billing access", () => {
  useRole("clerk");

  test("a clerk cannot open the runs page nor start a run by a direct POST", async ({ page, request }) => {
    const res = await page.goto("/audit/runs");
    expect(res?.status()).toBe(403);
    const P = period();
    const before = (await db.query(`select count(*)::int as n from billing_run where period = $1`, [P])).rows[0].n;
    const form = new FormData();
    form.set("period", P);
    await postServerAction(request, { path: "/audit/runs", actionId: serverActionId("app/audit/runs/actions.ts", "startRunAction"), args: [null, form] });
    const after = (await db.query(`select count(*)::int as n from billing_run where period = $1`, [P])).rows[0].n;
    expect(after).toBe(before);
  });
});

test.describe("tariffs (admin)", () => {
  useRole("admin");

  test("adds a version effective from a later date; a bad tier is refused with a field message", async ({ page }) => {
    await page.goto("/admin/tariffs");
    await page.getByTestId("add-version-TEMP-FLAT").click();
    const form = page.locator('[data-testid^="tariff-form-add-"]:visible').first();
    const year = 2060 + Math.floor(Math.random() * 30);
    await form.locator("input[name=effectiveFrom]").fill(`${year}-01-01`);
    await form.locator("input[name=tier0Price]").fill("0.66a");
    await form.locator("button[type=submit]").click();
    await expect(form.getByTestId("form-error")).toBeVisible();
    await expect(form.getByText("电价须为小数")).toBeVisible();
    await form.locator("input[name=tier0Price]").fill("0.6700");
    await form.locator("input[name=source]").fill("e2e 测试");
    await form.locator("button[type=submit]").click();
    await expect(page.getByTestId("form-ok").first()).toBeVisible();
    const v = (await db.query(`select definition from tariff_version tv join tariff t on t.id = tv.tariff_id where t.code = 'TEMP-FLAT' and tv.effective_from = $1`, [`${year}-01-01`])).rows;
    expect(v).toHaveLength(1);
    expect(v[0].definition.tiers[0].price).toBe("0.6700");
  });
});
