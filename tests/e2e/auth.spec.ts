// Login, the Chinese messages for every way it can fail, sign-out and the language switch.
import zhShell from "../../lib/i18n/messages/zh/shell";
import { ROLES, ROLE_USERS, createTestUser, db, expect, loginAs, loginWith, test, uniq } from "./fixtures";

test.describe("each role signs in and lands on its home", () => {
  for (const role of ROLES) {
    test(role, async ({ page }) => {
      await loginAs(page, role);
      const { home, role: dbRole } = ROLE_USERS[role];
      await expect(page).toHaveURL(new RegExp(`${home}$`));
      await expect(page.getByTestId("current-role")).toHaveText(zhShell.roles[dbRole]);
      // the role's own navigation, its home first and marked as the current page
      const nav = page.getByRole("navigation", { name: zhShell.nav.label });
      await expect(nav.getByRole("link").first()).toHaveAttribute("href", home);
      await expect(nav.locator('[aria-current="page"]')).toHaveAttribute("href", home);
      // "/" sends the signed-in user home too
      await page.goto("/");
      await expect(page).toHaveURL(new RegExp(`${home}$`));
    });
  }
});

test.describe("failed sign-in shows a Chinese message and signs nobody in", () => {
  test("wrong password", async ({ page }) => {
    const u = await createTestUser();
    await page.goto("/login");
    await page.getByLabel("用户名").fill(u.username);
    await page.getByLabel("密码").fill("Not-the-password-1");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText("用户名或密码错误。");
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("unknown user gets the same message as a wrong password", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("用户名").fill(uniq("nobody"));
    await page.getByLabel("密码").fill("Whatever-123");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText("用户名或密码错误。");
  });

  test("empty fields", async ({ page }) => {
    await page.goto("/login");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText("请输入用户名和密码。");
  });

  test("deactivated user, right password", async ({ page }) => {
    const u = await createTestUser({ active: false });
    await page.goto("/login");
    await page.getByLabel("用户名").fill(u.username);
    await page.getByLabel("密码").fill(u.password);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText("该账号已停用，请联系管理员。");
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("repeated wrong passwords lock the account, even against the right one", async ({ page }) => {
    const u = await createTestUser();
    await page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("用户名").fill(u.username);
      await page.getByLabel("密码").fill(`Wrong-${i}-pass`);
      await page.getByTestId("login-submit").click();
      await expect(page.getByTestId("login-error")).toContainText(i < 4 ? "用户名或密码错误" : "登录失败次数过多");
    }
    await page.getByLabel("密码").fill(u.password);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toContainText("登录失败次数过多");
    await expect(page).toHaveURL(/\/login/);
    const { rows } = await db.query("select failed_logins from app_user where id = $1", [u.id]);
    expect(rows[0].failed_logins).toBe(5);
  });
});

test.describe("expired or invalid session", () => {
  test("no session: a protected page sends to the login page with the expired message", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\?expired=1$/);
    await expect(page.getByTestId("login-notice")).toHaveText("登录已过期或未登录，请重新登录。");
  });

  test("a session ended on the server (password reset elsewhere) is out at the next request", async ({ page }) => {
    const u = await createTestUser({ role: "MANAGER" });
    await loginWith(page, u.username, u.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await db.query("update app_user set session_version = session_version + 1 where id = $1", [u.id]);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?expired=1$/);
    await expect(page.getByTestId("login-notice")).toHaveText("登录已过期或未登录，请重新登录。");
  });

  test("a deactivated user is out at once", async ({ page }) => {
    const u = await createTestUser({ role: "AUDITOR" });
    await loginWith(page, u.username, u.password);
    await db.query("update app_user set active = false where id = $1", [u.id]);
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/login\?expired=1$/);
  });

  test("a forged session cookie is not a session", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "next-auth.session-token", value: "forged.token.value", url: baseURL! }]);
    await page.goto("/counter");
    await expect(page).toHaveURL(/\/login\?expired=1$/);
  });
});

test("sign out ends the session", async ({ page }) => {
  const u = await createTestUser({ role: "CLERK" });
  await loginWith(page, u.username, u.password);
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/counter");
  await expect(page).toHaveURL(/\/login\?expired=1$/);
});

test("the header switches between 中文 and English", async ({ page }) => {
  const u = await createTestUser({ role: "READER" });
  await loginWith(page, u.username, u.password);
  await expect(page.getByTestId("sign-out")).toHaveText("退出登录");
  await page.getByTestId("locale-en").click();
  await expect(page.getByTestId("sign-out")).toHaveText("Sign out");
  await expect(page.getByTestId("current-role")).toHaveText("Meter reader");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByTestId("locale-zh").click();
  await expect(page.getByTestId("sign-out")).toHaveText("退出登录");
});
