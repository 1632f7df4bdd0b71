// The counter end to end (issue 5): a clerk finds a demo customer by a fragment of the address,
// takes a payment with the keyboard only, prints the receipt, and the customer's balance and the
// day's cash-up agree.
import { authFile, db, expect, test, useRole } from "./fixtures";

type Demo = { id: number; customer_no: string; address: string };

/** A demo customer with unsettled bills whose address fragment is unique (a counter payer if
 *  any is still open: late in the month the demo's counter payers have all paid, and a bank-debit
 *  customer may pay at the counter too), claimed for this test
 *  (tests run in parallel on one database: the first to write its e2e.claim marker owns it). */
async function claimCustomer(): Promise<Demo & { fragment: string }> {
  const rows = (await db.query<Demo>(
    `select c.id, c.customer_no, c.address from customer c
     where c.status = 'ACTIVE' and c.payment_account_id is null
       and exists (select 1 from bill b where b.customer_id = c.id and b.status = 'RELEASED' and b.settled_on is null)
     order by (c.payment_method = 'COUNTER') desc, random() limit 40`)).rows;
  for (const r of rows) {
    // the house-number part of the address ("14幢1单元204室"), without the street: a fragment
    const fragment = r.address.slice(Math.max(0, r.address.length - 10));
    const n = (await db.query(`select count(*)::int n from customer where address like '%' || $1 || '%'`, [fragment])).rows[0].n;
    if (n !== 1) continue;
    // parallel workers share the database: claim the customer (a row in a table of our own would
    // outlive the run; a transaction-free claim by inserting a unique audit marker does not)
    const claimed = await db.query(
      `insert into audit_log (action, target_type, target_id) select 'e2e.claim', 'customer', $1::text
       where not exists (select 1 from audit_log where action = 'e2e.claim' and target_id = $1::text) returning id`, [String(r.id)]);
    if (claimed.rowCount) return { ...r, fragment };
  }
  throw new Error("no demo customer with open bills and a unique address fragment");
}

test.describe("counter", () => {
  useRole("clerk");

  test("find by an address fragment, pay with the keyboard only, print the receipt; balance and cash-up agree", async ({ page }) => {
    const c = await claimCustomer();
    const before = (await db.query(`select coalesce(sum(amount), 0)::numeric s from ledger_entry where customer_id = $1`, [c.id])).rows[0].s;
    expect(Number(before)).toBeGreaterThan(0);

    // 1. the search box is focused on load; type a fragment of the address
    await page.goto("/counter");
    const search = page.getByTestId("counter-search");
    await expect(search).toBeFocused();
    await page.keyboard.type(c.fragment);
    await expect(page.getByTestId("counter-hit")).toHaveCount(1);
    await expect(page.getByTestId("counter-hit").first()).toContainText(c.customer_no);

    // 2. Enter opens the account; the amount is focused and prefilled with what is payable
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/counter/customers/${c.id}`);
    const amount = page.getByTestId("pay-amount");
    await expect(amount).toBeFocused();
    const payableFen = Number(await page.getByTestId("due-payable").getAttribute("data-fen"));
    expect(payableFen).toBeGreaterThan(0);
    await expect(amount).toHaveValue((payableFen / 100).toFixed(2));

    // 3. Enter takes the payment → the receipt
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/counter\/receipts\/\d+$/);
    const paymentId = Number(page.url().split("/").pop());
    await expect(page.getByTestId("receipt-amount")).toHaveAttribute("data-fen", String(payableFen));
    const receiptNo = (await page.getByTestId("receipt-no").textContent())!.trim();
    expect(receiptNo).toMatch(/^\w+\d{8}$/);
    await expect(page.getByTestId("receipt-amount-upper")).toContainText("元");
    await expect(page.getByTestId("receipt-balance")).toHaveAttribute("data-fen", "0");

    // 4. print: Enter on the focused print button; the printout hides the app's header
    await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed++; }; });
    await expect(page.getByTestId("receipt-print")).toBeFocused();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator("header").first()).toBeHidden();
    await expect(page.getByTestId("receipt")).toBeVisible();
    await page.emulateMedia({ media: "screen" });

    // exactly one payment, and the ledger says the customer is settled
    const pays = (await db.query(`select count(*)::int n, sum(amount)::numeric s from payment where id = $1 and status = 'POSTED'`, [paymentId])).rows[0];
    expect(pays.n).toBe(1);
    expect(Math.round(Number(pays.s) * 100)).toBe(payableFen);
    const after = (await db.query(`select coalesce(sum(amount), 0)::numeric s from ledger_entry where customer_id = $1`, [c.id])).rows[0].s;
    expect(Number(after)).toBe(0);

    // 5. the account shows it settled
    await page.goto(`/counter/customers/${c.id}`);
    await expect(page.getByTestId("account-balance")).toHaveAttribute("data-balance-fen", "0");
    await expect(page.getByTestId("no-bills")).toBeVisible();

    // 6. the day's cash-up (mine) lists the receipt and its total equals the clerk's postings today
    await page.goto("/counter/cashup?scope=mine");
    await expect(page.getByTestId("cashup-list")).toContainText(receiptNo);
    const shownTotal = Number(await page.getByTestId("cashup-total").getAttribute("data-fen"));
    const dbTotal = (await db.query(
      `select coalesce(sum(p.amount), 0)::numeric s from payment p join app_user u on u.id = p.clerk_id join station st on st.id = p.station_id
       where u.username = 'clerk' and p.status = 'POSTED'
         and (p.posted_at at time zone st.timezone)::date = (now() at time zone st.timezone)::date`)).rows[0].s;
    expect(shownTotal).toBe(Math.round(Number(dbTotal) * 100));
    expect(shownTotal).toBeGreaterThanOrEqual(payableFen);
  });

  test("a double submission of the payment form posts once", async ({ page }) => {
    const c = await claimCustomer();
    await page.goto(`/counter/customers/${c.id}`);
    const amount = page.getByTestId("pay-amount");
    await expect(amount).toBeFocused();
    await amount.fill("1.00");
    const key = await page.locator('input[name="idempotencyKey"]').inputValue();
    // two submissions of the same rendered form, as a double click or a resubmit would send them
    await page.evaluate(() => {
      const f = document.querySelector<HTMLFormElement>('[data-testid="payment-form"]')!;
      f.requestSubmit();
      f.requestSubmit();
    });
    await page.waitForURL(/\/counter\/receipts\/\d+$/);
    const n = (await db.query(`select count(*)::int n from payment where idempotency_key = $1`, [key])).rows[0].n;
    expect(n).toBe(1);
  });

  test("bad input gives a clear message and changes nothing", async ({ page }) => {
    const c = await claimCustomer();
    const count = async () => (await db.query(`select count(*)::int n from payment where customer_id = $1`, [c.id])).rows[0].n;
    const n0 = await count();
    await page.goto(`/counter/customers/${c.id}`);
    for (const bad of ["-5", "abc", "0", "99999999999"]) {
      await page.getByTestId("pay-amount").fill(bad);
      await page.getByTestId("pay-amount").press("Enter");
      await expect(page.getByRole("alert").first()).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`/counter/customers/${c.id}$`));
    }
    expect(await count()).toBe(n0);
  });
});

test.describe("reversal needs the manager", () => {
  test("a clerk requests a reversal with a reason; nothing moves until the manager approves in /approvals", async ({ browser }) => {
    const c = await claimCustomer();
    const clerk = await (await browser.newContext({ storageState: authFile("clerk") })).newPage();
    await clerk.goto(`/counter/customers/${c.id}`);
    await clerk.getByTestId("pay-amount").fill("12.34");
    await clerk.getByTestId("pay-amount").press("Enter");
    await clerk.waitForURL(/\/counter\/receipts\/\d+$/);
    const paymentId = Number(clerk.url().split("/").pop());
    const balance = async () => Number((await db.query(`select coalesce(sum(amount), 0)::numeric s from ledger_entry where customer_id = $1`, [c.id])).rows[0].s);
    const afterPayment = await balance();

    await clerk.goto(`/counter/customers/${c.id}`);
    const req = clerk.getByTestId("recent-payments").getByTestId("reversal-request").first();
    await req.locator("summary").click();
    await req.getByRole("textbox").fill("收错户号，客户要求退回");
    await req.getByRole("button").click();
    // the page refreshes: the payment now shows the pending request instead of the form
    await expect(clerk.getByTestId("recent-payments").getByText("冲正待审批")).toBeVisible();
    expect((await db.query(`select status::text from payment where id = $1`, [paymentId])).rows[0].status).toBe("POSTED");
    expect(await balance()).toBe(afterPayment);

    const manager = await (await browser.newContext({ storageState: authFile("manager") })).newPage();
    await manager.goto("/approvals");
    const approvalId = (await db.query(`select id from approval where kind = 'REVERSE_PAYMENT' and target_id = $1 and status = 'PENDING'`, [paymentId])).rows[0].id;
    await manager.getByTestId(`approval-${approvalId}-approve`).click();
    // decided: the request leaves the waiting list for the decided one
    await expect(manager.getByTestId(`approval-decided-${approvalId}`)).toContainText("已批准");
    expect((await db.query(`select status::text from payment where id = $1`, [paymentId])).rows[0].status).toBe("REVERSED");
    expect(await balance()).toBeCloseTo(afterPayment + 12.34, 2);
    await clerk.goto(`/counter/receipts/${paymentId}`);
    await expect(clerk.getByTestId("receipt")).toContainText("此笔缴费已冲正");
  });
});
