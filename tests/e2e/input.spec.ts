// Input as a clerk's keyboard gives it (issue 9 item 7): a NUL in the search is refused with a
// Chinese message (it was an HTTP 500), a customer number and an amount typed in full-width digits
// (a Chinese IME) are read as the numbers they are.
import { db, expect, test, useRole } from "./fixtures";

const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A demo customer with an open bill, claimed for this test (workers share the database). */
async function claimCustomer(): Promise<{ id: number; customer_no: string }> {
  const rows = (await db.query<{ id: number; customer_no: string }>(
    `select c.id, c.customer_no from customer c
     where c.status = 'ACTIVE' and c.payment_account_id is null
       and exists (select 1 from bill b where b.customer_id = c.id and b.status = 'RELEASED' and b.settled_on is null)
     order by random() limit 40`)).rows;
  for (const r of rows) {
    const claimed = await db.query(
      `insert into audit_log (action, target_type, target_id) select 'e2e.claim', 'customer', $1::text
       where not exists (select 1 from audit_log where action = 'e2e.claim' and target_id = $1::text) returning id`, [String(r.id)]);
    if (claimed.rowCount) return r;
  }
  throw new Error("no demo customer with open bills to claim");
}

test.describe("what the keyboard types", () => {
  useRole("clerk");

  test("a NUL in the search is refused with a message, in the page and as you type", async ({ page }) => {
    const res = await page.goto(`/counter?q=${encodeURIComponent("王\u0000伟")}`);
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId("counter-search-error")).toContainText("控制字符");
    await expect(page.getByTestId("counter-results")).toHaveCount(0);

    await page.goto("/counter");
    const answer = page.waitForResponse((r) => r.url().includes("/api/counter/search"));
    await page.getByTestId("counter-search").fill("幸福\u0000");
    expect((await answer).status()).toBe(400);
    await expect(page.getByTestId("counter-search-error")).toContainText("控制字符");
  });

  test("a customer number and an amount typed in full-width digits are numbers", async ({ page }) => {
    const c = await claimCustomer();
    const count = async () => (await db.query(`select count(*)::int n from payment where customer_id = $1`, [c.id])).rows[0].n;
    const n0 = await count();
    await page.goto("/counter");
    await page.getByTestId("counter-search").fill(fullWidth(c.customer_no));
    await expect(page.getByTestId("counter-hit").first()).toContainText(c.customer_no);
    await page.goto(`/counter/customers/${c.id}`);
    await page.getByTestId("pay-amount").fill("１．００");
    await page.getByTestId("pay-amount").press("Enter");
    await page.waitForURL(/\/counter\/receipts\/\d+$/);
    expect(await count()).toBe(n0 + 1);
    const paid = (await db.query(`select amount::text from payment where customer_id = $1 order by id desc limit 1`, [c.id])).rows[0].amount;
    expect(paid).toBe("1.00");
  });
});
