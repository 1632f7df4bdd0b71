// The admin's users page end to end: create (with a validation error first), change role,
// reset password, deactivate; the changed user's session ends at once.
import { createTestUser, db, expect, loginWith, test, uniq, useRole } from "./fixtures";

test.describe("users administration", () => {
  useRole("admin");

  test("create a user, with a clear message for bad input first", async ({ page }) => {
    await page.goto("/admin/users");
    await page.getByTestId("new-user").click();
    await page.getByLabel("用户名").fill("9-bad name");
    await page.getByLabel("姓名").fill("新来的收费员");
    await page.getByLabel("初始密码").fill("short");
    await page.getByTestId("create-user-submit").click();
    await expect(page.getByTestId("form-error")).toHaveText("输入有误，请按提示修改后再提交。");
    await expect(page.locator("#username-error")).toContainText("用户名须以小写字母开头");
    await expect(page.locator("#password-error")).toContainText("密码至少 8 位");
    await expect(page.getByLabel("姓名")).toHaveValue("新来的收费员"); // kept after the error

    const username = uniq("new").toLowerCase();
    await page.getByLabel("用户名").fill(username);
    await page.getByLabel("角色").selectOption("READER");
    await page.getByLabel("初始密码").fill("Welcome-2026");
    await page.getByTestId("create-user-submit").click();
    await expect(page.getByTestId("created")).toContainText(username);
    await page.goto("/admin/users");
    await expect(page.getByTestId(`user-row-${username}`)).toContainText("抄表员");
  });

  test("a taken username is refused in Chinese", async ({ page }) => {
    await page.goto("/admin/users/new");
    await page.getByLabel("用户名").fill("clerk");
    await page.getByLabel("姓名").fill("重名");
    await page.getByLabel("初始密码").fill("Welcome-2026");
    await page.getByTestId("create-user-submit").click();
    await expect(page.getByTestId("form-error")).toHaveText("该用户名已被使用，请换一个。");
  });

  test("role change and deactivation end the user's session at once", async ({ page, browser }) => {
    const u = await createTestUser({ role: "CLERK" });
    const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } }); // not the admin
    const theirPage = await theirs.newPage();
    await loginWith(theirPage, u.username, u.password);
    await expect(theirPage).toHaveURL(/\/counter$/);

    await page.goto(`/admin/users/${u.id}`);
    await page.getByTestId("role-form").getByLabel("角色").selectOption("AUDITOR");
    await page.getByTestId("role-form").getByRole("button").click();
    await expect(page.getByTestId("role-form").getByTestId("form-ok")).toBeVisible();
    await theirPage.goto("/counter");
    await expect(theirPage).toHaveURL(/\/login\?expired=1$/);

    // signs in again as an auditor, then is deactivated
    await loginWith(theirPage, u.username, u.password);
    await expect(theirPage).toHaveURL(/\/audit$/);
    await page.getByTestId("active-form").getByRole("button", { name: "停用账号" }).click();
    await expect(page.getByTestId("user-status")).toHaveText("已停用");
    await theirPage.goto("/audit");
    await expect(theirPage).toHaveURL(/\/login\?expired=1$/);
    await theirs.close();
  });

  test("password reset: the old password stops working, the new one works once the user picks their own", async ({ page, browser }) => {
    const u = await createTestUser({ role: "MANAGER" });
    await page.goto(`/admin/users/${u.id}`);
    await page.getByLabel("新密码").fill("Reset-pass-77");
    await page.getByTestId("password-form").getByRole("button").click();
    await expect(page.getByTestId("password-form").getByTestId("form-ok")).toBeVisible();
    await expect(page.getByTestId("user-must-change")).toBeVisible();
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p = await ctx.newPage();
    await p.goto("/login");
    await p.getByLabel("用户名").fill(u.username);
    await p.getByLabel("密码").fill(u.password);
    await p.getByTestId("login-submit").click();
    await expect(p.getByTestId("login-error")).toHaveText("用户名或密码错误。");
    // the reset password (known to the administrator) opens only the change-password page
    await loginWith(p, u.username, "Reset-pass-77");
    await expect(p).toHaveURL(/\/account\/password$/);
    await expect(p.getByTestId("must-change-password")).toBeVisible();
    await p.goto("/dashboard");
    await expect(p).toHaveURL(/\/account\/password$/);
    await p.getByLabel("当前密码").fill("Reset-pass-77");
    await p.getByLabel("新密码", { exact: true }).fill("Own-pass-2026");
    await p.getByLabel("再次输入新密码").fill("Own-pass-2026");
    await p.getByRole("button", { name: "保存新密码" }).click();
    await expect(p).toHaveURL(/\/dashboard$/);
    await ctx.close();
  });

  test("two-step verification reset: the user's sessions end and they enrol again at the next sign-in", async ({ page, browser }) => {
    const u = await createTestUser({ role: "MANAGER" });
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p = await ctx.newPage();
    await loginWith(p, u.username, u.password);
    await expect(p).toHaveURL(/\/dashboard$/);

    await page.goto(`/admin/users/${u.id}`);
    await expect(page.getByTestId("user-two-factor")).toHaveText("已启用");
    await page.getByTestId("two-factor-form").getByRole("button", { name: "重置两步验证" }).click();
    await expect(page.getByTestId("two-factor-form").getByTestId("form-ok")).toBeVisible();
    await expect(page.getByTestId("user-two-factor")).toContainText("尚未绑定");

    await p.goto("/dashboard");
    await expect(p).toHaveURL(/\/login\?expired=1$/);
    await loginWith(p, u.username, u.password); // the password alone now: enrolment comes first
    await expect(p).toHaveURL(/\/account\/two-factor$/);
    const { rows } = await db.query("select action from audit_log where target_type = 'user' and target_id = $1 and action = 'auth.mfa.reset'", [String(u.id)]);
    expect(rows).toHaveLength(1);
    await ctx.close();
  });

  test("an administrator cannot reset their own two-step verification", async ({ page }) => {
    await page.goto("/admin/users");
    await page.getByTestId("user-row-admin").getByRole("link").click();
    await expect(page.getByTestId("two-factor-form").getByRole("button")).toBeDisabled();
  });

  test("an admin cannot deactivate themself", async ({ page }) => {
    await page.goto("/admin/users");
    await page.getByTestId("user-row-admin").getByRole("link").click();
    await expect(page.getByTestId("active-form").getByRole("button")).toBeDisabled();
    await expect(page.getByTestId("role-form").getByRole("button")).toBeDisabled();
  });
});

// Settings as effective-dated versions: the admin schedules a change of one audit threshold,
// first with a bad value and a past date (clear messages, nothing saved), then for real, and
// sees it in the group's history. The date is far ahead so no other spec's figures change.
test.describe("settings administration", () => {
  useRole("admin");

  test("schedule a new version of a setting and see it in the history", async ({ page }) => {
    const day = 1 + Math.floor(Math.random() * 28);
    const date = `2090-${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    await page.goto("/admin/settings");
    const inForce = (await page.getByTestId("value-audit-historyDeviationPct").locator("td").nth(1).innerText()).trim();
    await page.getByTestId("schedule-audit").click();
    const form = page.getByTestId("setting-form-new-audit");
    const field = form.getByLabel("与近 12 月均值偏差（±%）");
    await expect(field).toHaveValue(inForce); // prefilled with the value in force
    await expect(form.getByLabel("生效日期")).not.toHaveValue("");

    await field.fill("三十");
    await form.getByLabel("生效日期").fill(date);
    await form.getByRole("button", { name: "保存新版本" }).click();
    await expect(form.getByTestId("form-error")).toHaveText("输入有误，请按提示修改后再提交。");
    await expect(page.locator("#new-audit-historyDeviationPct-error")).toHaveText("请填写 1 到 1000 之间的整数。");

    const value = String(41 + Math.floor(Math.random() * 50));
    await form.getByLabel("与近 12 月均值偏差（±%）").fill(value);
    await form.getByLabel("生效日期").fill("2020-01-01");
    await form.getByRole("button", { name: "保存新版本" }).click();
    await expect(page.locator("#new-audit-effectiveFrom-error")).toContainText("生效日期 2020-01-01 早于今天");
    await expect(page.locator("#new-audit-effectiveFrom-error")).toContainText("违约金");
    expect((await db.query("select 1 from setting where effective_from = '2020-01-01'")).rowCount).toBe(0);

    await form.getByLabel("生效日期").fill(date);
    await form.getByRole("button", { name: "保存新版本" }).click();
    await expect(form.getByTestId("form-ok")).toHaveText(`已保存：新版本自 ${date} 起生效。`);
    const row = page.getByTestId(`version-audit-${date}-station`);
    await expect(row).toContainText(`与近 12 月均值偏差（±%）：${value}`);
    await expect(row).toContainText("待生效");
    await expect(row).toContainText("马俊"); // the demo admin
    // today's value is unchanged
    await expect(page.getByTestId("value-audit-historyDeviationPct").locator("td").nth(1)).toHaveText(inForce);
    const saved = await db.query<{ v: number; actions: number }>(
      `select (s.value->>'historyDeviationPct')::int v,
              (select count(*)::int from audit_log a where a.target_type = 'setting' and a.target_id = s.id::text) actions
       from setting s where s.key = 'audit' and s.effective_from = $1 and s.station_id is not null`, [date]);
    expect(saved.rows).toEqual([{ v: Number(value), actions: 1 }]);
  });
});
