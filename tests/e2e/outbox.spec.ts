// The outbox in Chromium: the manager sees what went out (recipients masked) and the print
// queue, prints a ticked letter, is refused marking one undeliverable without a reason, marks it
// delivered; and the app's own minute job sends a due SMS through the local adapter.
import { expect, test, db, uniq, authFile } from "./fixtures";

async function demoStation() {
  const st = (await db.query<{ id: number }>(`select id from station where code = 'TH01'`)).rows[0].id;
  const c = (await db.query<{ id: number; customer_no: string; name: string }>(
    `select id, customer_no, name from customer where station_id = $1 and status = 'ACTIVE' order by id limit 1`, [st])).rows[0];
  return { st, c };
}

async function queue(st: number, customerId: number | null, channel: string, recipient: string, content: string, notBefore = "now()") {
  return (await db.query<{ id: number }>(
    `insert into outbox_message (station_id, customer_id, channel, recipient, template, content, dedupe_key, not_before)
     values ($1, $2, $3::"Channel", $4, 'closure-notice', $5, $6, ${notBefore}) returning id`,
    [st, customerId, channel, recipient, content, uniq("e2e-outbox")])).rows[0].id;
}

test("manager: masked list, print a ticked letter, undeliverable needs a reason, mark delivered", async ({ browser }) => {
  const { st, c } = await demoStation();
  const text = `尊敬的客户，${uniq("函")}`;
  const letter = await queue(st, c.id, "POST", "幸福路 18 号", text);
  // an SMS planned for next week: the dispatcher leaves it, so the list shows it pending, masked
  const sms = await queue(st, c.id, "SMS", "13912345678", "短信", "now() + interval '7 days'");
  const page = await browser.newPage({ storageState: authFile("manager") });
  await page.goto("/outbox");
  await expect(page.getByTestId("outbox-adapter")).toContainText("本地记录模式");
  await expect(page.getByTestId("count-POST")).toBeVisible();
  await page.goto(`/outbox?channel=SMS&status=PENDING`);
  await expect(page.getByTestId(`message-${sms}-recipient`)).toHaveText("139****5678");
  await expect(page.locator("body")).not.toContainText("13912345678");

  await page.goto("/outbox");
  const row = page.getByTestId(`paper-${letter}`);
  await expect(row).toContainText("幸福路 18 号");
  await row.getByRole("checkbox").check();
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByTestId("print-selected").click()]);
  await expect(popup.getByTestId(`notice-${letter}-content`)).toHaveText(text);
  await expect(popup.getByTestId("print-count")).toHaveText("共 1 份");
  await popup.close();

  await page.getByTestId("paper-outcome").selectOption("UNDELIVERABLE");
  await page.getByTestId("paper-mark").click();
  await expect(page.getByRole("alert").filter({ hasText: "无法送达时请写明原因" }).first()).toBeVisible();
  expect((await db.query(`select status from outbox_message where id = $1`, [letter])).rows[0].status).toBe("PENDING");

  await page.getByTestId(`paper-${letter}`).getByRole("checkbox").check();
  await page.getByTestId("paper-outcome").selectOption("DELIVERED");
  await page.getByTestId("paper-mark").click();
  await expect(page.getByTestId("paper-status")).toHaveText("已标记 1 份。");
  await expect(page.getByTestId(`paper-${letter}`)).toHaveCount(0);
  const m = (await db.query(`select status, sent_at from outbox_message where id = $1`, [letter])).rows[0];
  expect(m.status).toBe("SENT");
  expect(m.sent_at).not.toBeNull();
  await page.close();
});

test("the app's minute job sends a due SMS once through the local adapter", async () => {
  test.setTimeout(180_000);
  // a station of its own without quiet hours, so the test does not depend on the time of day
  // and changes nothing the other specs look at
  const code = uniq("OB").slice(0, 20).toUpperCase();
  const st = (await db.query<{ id: number }>(`insert into station (code, name) values ($1, '发送测试所') returning id`, [code])).rows[0].id;
  await db.query(
    `insert into setting (station_id, key, value, effective_from)
     values ($1, 'reminders', '{"quietFrom":"00:00","quietTo":"00:00","sendAt":"09:00","callAt":"10:00","preDebitDays":2}', '2020-01-01')`, [st]);
  const id = await queue(st, null, "SMS", "13900001111", "您的电费已出账", "now() - interval '1 minute'");
  await expect.poll(async () => (await db.query(`select status from outbox_message where id = $1`, [id])).rows[0].status,
    { timeout: 150_000, intervals: [5_000] }).toBe("SENT");
  const d = (await db.query(`select recipient, content, adapter, provider_ref from outbox_delivery where message_id = $1`, [id])).rows;
  expect(d).toHaveLength(1);
  expect(d[0]).toMatchObject({ recipient: "13900001111", content: "您的电费已出账", adapter: "local" });
  const m = (await db.query(`select provider_ref, attempts from outbox_message where id = $1`, [id])).rows[0];
  expect(m).toEqual({ provider_ref: d[0].provider_ref, attempts: 1 });
});
