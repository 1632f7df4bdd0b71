// 销户 in Chromium: the reader sees the banner on his tablet and records "vacant" for his site
// check; the manager approves the closure in /approvals (the customer's prepaid funds become a
// refund); the clerk pays the refund out and finds it in the day's cash-up apart from what was
// collected; the auditor records "in use" for another customer on /audit/closures, which
// withdraws that closure. A clerk cannot record a site check by direct POST.
import { expect, test, db, uniq, authFile, serverActionId, postServerAction } from "./fixtures";
import { addCustomers, type BillingBase } from "../integration/billing-fixtures";

const TODAY = `(now() at time zone 'Asia/Shanghai')::date`;

/** A customer already proposed for closure (as the audit worklist leaves it), its site check
 *  assigned to the demo reader, with `funds` yuan of prepaid funds from a counter payment. */
async function proposed(funds: string | null) {
  const st = (await db.query<{ id: number }>(`select id from station where code = 'TH01'`)).rows[0].id;
  const any = (await db.query(`select district_id, line_id, street_id, route_id from customer where station_id = $1 limit 1`, [st])).rows[0];
  const tariffs = new Map((await db.query<{ id: number; code: string }>(`select id, code from tariff`)).rows.map((t) => [t.code, t.id]));
  const base = { stationId: st, districtId: any.district_id, lineId: any.line_id, streetId: any.street_id, routeIds: [any.route_id], tariffId: (c: string) => tariffs.get(c)! } as unknown as BillingBase;
  const [id] = await addCustomers(db, base, [{ tariff: "SD-RES", readings: { "2026-09": { total: "800" }, "2026-10": { total: "800" } } }]);
  const user = async (u: string) => (await db.query<{ id: number }>(`select id from app_user where username = $1`, [u])).rows[0].id;
  const [reader, auditor, clerk] = [await user("reader"), await user("auditor"), await user("clerk")];
  const name = uniq("销户");
  await db.query(`update customer set status = 'CLOSURE_PROPOSED', name = $2 where id = $1`, [id, name]);
  const bill = (await db.query<{ id: number }>(
    `insert into bill (station_id, customer_id, period, kwh, amount, lines, status, issue_date, due_date, released_at)
     values ($1, $2, '2026-10', 0, 0, '[]', 'RELEASED', ${TODAY}, ${TODAY} + 20, now()) returning id`, [st, id])).rows[0].id;
  await db.query(`insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id) values ($1, $2, 'BILL', 0, ${TODAY}, to_char(${TODAY}, 'YYYY-MM'), $3)`, [st, id, bill]);
  if (funds) {
    const p = (await db.query<{ id: number }>(
      `insert into payment (station_id, customer_id, amount, channel, idempotency_key, value_date, clerk_id) values ($1, $2, $3, 'COUNTER_CASH', $4, ${TODAY}, $5) returning id`,
      [st, id, funds, uniq("e2e-closure"), clerk])).rows[0].id;
    await db.query(`insert into payment_allocation (payment_id, customer_id, bill_id, principal) values ($1, $2, null, $3)`, [p, id, funds]);
    await db.query(`insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, payment_id) values ($1, $2, 'PAYMENT', -$3::numeric, ${TODAY}, to_char(${TODAY}, 'YYYY-MM'), $4)`, [st, id, funds, p]);
  }
  const visit = (await db.query<{ id: number }>(
    `insert into visit (station_id, customer_id, staff_id, purpose, planned_on) values ($1, $2, $3, 'SITE_CHECK', ${TODAY}) returning id`, [st, id, reader])).rows[0].id;
  const notice = (await db.query<{ id: number }>(
    `insert into outbox_message (station_id, customer_id, channel, recipient, template, content, dedupe_key, not_before)
     values ($1, $2, 'POST', '幸福路', 'closure-notice', '销户通知', $3, now()) returning id`, [st, id, uniq("closure-notice")])).rows[0].id;
  const approval = (await db.query<{ id: number }>(
    `insert into approval (station_id, kind, target_type, target_id, payload, reason, requested_by) values ($1, 'ACCOUNT_CLOSURE', 'customer', $2, $3, '连续六个月零电量', $4) returning id`,
    [st, id, JSON.stringify({ customerId: id, customerNo: name, statusBefore: "ACTIVE", finalBillId: bill, period: "2026-10", balance: funds ? `-${funds}` : "0.00", siteCheckVisitId: visit, noticeId: notice, balanceHandling: funds ? "REFUND" : "NONE" }), auditor])).rows[0].id;
  return { id, name, visit, approval };
}

test("reader records vacant → manager approves → clerk pays the refund out, apart from collections", async ({ browser }) => {
  const c = await proposed("30.00");
  const reader = await browser.newPage({ storageState: authFile("reader") });
  await reader.goto("/reader");
  await expect(reader.getByTestId("site-check-banner")).toBeVisible();
  await reader.goto("/reader/visits");
  const form = reader.getByTestId(`site-check-form-${c.visit}`);
  await form.locator(`#v${c.visit}-result`).selectOption("VACANT");
  // a register past the last one contradicts "vacant": refused, nothing recorded
  await form.locator(`#v${c.visit}-finalReading`).fill("805");
  await form.locator(`#v${c.visit}-note`).fill("房屋空置，户主电话同意销户");
  await reader.getByTestId(`site-check-submit-${c.visit}`).click();
  await expect(reader.getByTestId(`site-check-error-${c.visit}`)).toContainText("仍有用电");
  await reader.locator(`#v${c.visit}-finalReading`).fill("800");
  await reader.getByTestId(`site-check-submit-${c.visit}`).click();
  await expect(reader.getByTestId(`site-check-ok-${c.visit}`)).toContainText("等待所长审批");
  await reader.close();

  const manager = await browser.newPage({ storageState: authFile("manager") });
  await manager.goto("/approvals");
  await manager.getByTestId(`approval-${c.approval}-approve`).click();
  await expect(manager.getByTestId(`approval-decided-${c.approval}`)).toContainText("已批准");
  await manager.close();
  const cu = (await db.query(`select status::text status from customer where id = $1`, [c.id])).rows[0];
  expect(cu.status).toBe("CLOSED");
  const refund = (await db.query<{ id: number; amount: string }>(`select id, amount::text amount from refund where customer_id = $1`, [c.id])).rows[0];
  expect(refund.amount).toBe("30.00");

  const clerk = await browser.newPage({ storageState: authFile("clerk") });
  const no = (await db.query<{ customer_no: string }>(`select customer_no from customer where id = $1`, [c.id])).rows[0].customer_no;
  await clerk.goto("/counter/refunds");
  // a bank transfer needs its voucher number: refused, still to pay
  await clerk.getByTestId(`refund-${refund.id}-form`).locator("select").selectOption("BANK_TRANSFER");
  await clerk.getByTestId(`refund-${refund.id}-pay`).click();
  await expect(clerk.getByTestId(`refund-${refund.id}-form`)).toContainText("凭证号");
  await clerk.getByTestId(`refund-${refund.id}-form`).locator("select").selectOption("CASH");
  await clerk.getByTestId(`refund-${refund.id}-pay`).click();
  await expect(clerk.getByTestId("refunds-paid")).toContainText(no);
  expect((await db.query(`select status, channel from refund where id = $1`, [refund.id])).rows[0]).toEqual({ status: "PAID", channel: "CASH" });
  await clerk.goto("/counter/cashup");
  // the refund is listed in its own section (money out); the day's receipts keep the 30.00 top-up
  await expect(clerk.getByTestId("cashup-refunds")).toContainText(no);
  await expect(clerk.getByTestId("cashup-refunds")).toContainText("30.00");
  await clerk.close();
});

test("auditor records 'in use' on the closures page: the closure is withdrawn; a clerk cannot record", async ({ browser }) => {
  const c = await proposed(null);
  const clerk = await browser.newContext({ storageState: authFile("clerk") });
  const fields = { visitId: String(c.visit), result: "VACANT", note: "越权登记", finalReading: "" };
  await postServerAction(clerk.request, { path: "/audit/closures", actionId: serverActionId("app/audit/closures/actions.ts", "recordSiteCheckAction"), fields });
  expect((await db.query(`select done_at from visit where id = $1`, [c.visit])).rows[0].done_at).toBeNull();
  await clerk.close();

  const page = await browser.newPage({ storageState: authFile("auditor") });
  await page.goto("/audit/closures");
  const card = page.getByTestId(`closure-${c.id}`);
  await expect(card).toBeVisible();
  await expect(page.getByTestId(`closure-${c.id}-ready`)).toContainText("核查完成");
  await card.locator(`#v${c.visit}-result`).selectOption("IN_USE");
  await card.locator(`#v${c.visit}-note`).fill("已出租，租户正常用电");
  await page.getByTestId(`site-check-submit-${c.visit}`).click();
  await expect(page.getByTestId(`site-check-ok-${c.visit}`)).toContainText("已撤销销户");
  const after = (await db.query(`select c.status::text status, a.status::text approval from customer c join approval a on a.target_id = c.id where c.id = $1`, [c.id])).rows[0];
  expect(after).toEqual({ status: "ACTIVE", approval: "CANCELLED" });
  await page.close();
});
