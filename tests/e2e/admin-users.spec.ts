// The admin's users page end to end: create (with a validation error first), change role,
// reset password, deactivate; the changed user's session ends at once.
import { createTestUser, expect, loginWith, test, uniq, useRole } from "./fixtures";

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

  test("password reset: the old password stops working, the new one works", async ({ page, browser }) => {
    const u = await createTestUser({ role: "MANAGER" });
    await page.goto(`/admin/users/${u.id}`);
    await page.getByLabel("新密码").fill("Reset-pass-77");
    await page.getByTestId("password-form").getByRole("button").click();
    await expect(page.getByTestId("password-form").getByTestId("form-ok")).toBeVisible();
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const p = await ctx.newPage();
    await p.goto("/login");
    await p.getByLabel("用户名").fill(u.username);
    await p.getByLabel("密码").fill(u.password);
    await p.getByTestId("login-submit").click();
    await expect(p.getByTestId("login-error")).toHaveText("用户名或密码错误。");
    await loginWith(p, u.username, "Reset-pass-77");
    await expect(p).toHaveURL(/\/dashboard$/);
    await ctx.close();
  });

  test("an admin cannot deactivate themself", async ({ page }) => {
    await page.goto("/admin/users");
    await page.getByTestId("user-row-admin").getByRole("link").click();
    await expect(page.getByTestId("active-form").getByRole("button")).toBeDisabled();
    await expect(page.getByTestId("role-form").getByRole("button")).toBeDisabled();
  });
});
