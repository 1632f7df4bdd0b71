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

  test("repeated wrong passwords make this address wait, with the wait in the message", async ({ page }) => {
    const u = await createTestUser();
    await page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("用户名").fill(u.username);
      await page.getByLabel("密码").fill(`Wrong-${i}-pass`);
      await page.getByTestId("login-submit").click();
      await expect(page.getByTestId("login-error")).toContainText(i < 4 ? "用户名或密码错误" : "登录失败次数过多，请 1 秒后再试");
    }
    // the run is kept per account and the socket's own address (the app sees the browser's
    // loopback address, not a header); make this address's wait long, then the right password
    const { rows } = await db.query<{ address: string; failures: number }>("select address, failures from login_throttle where user_id = $1", [u.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ failures: 5 });
    expect(["127.0.0.1", "::1"]).toContain(rows[0].address);
    await db.query("update login_throttle set failures = 12, last_failed_at = now() where user_id = $1", [u.id]);
    await page.getByLabel("密码").fill(u.password);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toHaveText(/^登录失败次数过多，请 1\d\d 秒后再试。$/);
    await expect(page).toHaveURL(/\/login/);
  });

  test("rotating X-Forwarded-For does not escape the wait (the header is not believed from an unconfigured peer)", async ({ playwright, baseURL }) => {
    const u = await createTestUser();
    const ctx = await playwright.request.newContext({ baseURL });
    const attempt = async (password: string, forwardedFor: string) => {
      const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const res = await ctx.post("/api/auth/callback/credentials", {
        headers: { "X-Forwarded-For": forwardedFor, "X-Real-IP": forwardedFor, "x-chaohe-peer": forwardedFor },
        form: { csrfToken, username: u.username, password, json: "true" },
      });
      return new URL(((await res.json()) as { url: string }).url).searchParams.get("error") ?? "OK";
    };
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await attempt("Wrong-pass-1", `203.0.113.${i + 1}`));
    expect(codes.slice(0, 4)).toEqual(Array(4).fill("INVALID_CREDENTIALS"));
    expect(codes[4]).toMatch(/^TOO_MANY_ATTEMPTS:\d+$/);
    await db.query("update login_throttle set failures = 12, last_failed_at = now() where user_id = $1", [u.id]);
    expect(await attempt(u.password, "198.51.100.99")).toMatch(/^TOO_MANY_ATTEMPTS:\d+$/);
    await ctx.dispose();
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

test("sign out ends the session on the server: a copy of the cookie taken before is dead too", async ({ page, browser, baseURL }) => {
  const u = await createTestUser({ role: "CLERK" });
  await loginWith(page, u.username, u.password);
  const saved = await page.context().storageState(); // what someone who saw the cookie could keep
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/counter");
  await expect(page).toHaveURL(/\/login\?expired=1$/);

  const thief = await browser.newContext({ storageState: saved });
  const p = await thief.newPage();
  await p.goto("/counter");
  await expect(p).toHaveURL(/\/login\?expired=1$/);
  // next-auth's session endpoint gives it nothing, and no fresh token
  const res = await thief.request.get(`${baseURL}/api/auth/session`);
  expect(await res.json()).toEqual({});
  const renewed = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie" && /session-token=[^;]/.test(h.value));
  expect(renewed).toEqual([]);
  await thief.close();
  const { rows } = await db.query("select revoked_reason from auth_session where user_id = $1", [u.id]);
  expect(rows).toEqual([{ revoked_reason: "SIGN_OUT" }]);
});

test("a session unused for longer than the idle limit is over", async ({ page }) => {
  const u = await createTestUser({ role: "CLERK" });
  await loginWith(page, u.username, u.password);
  await expect(page).toHaveURL(/\/counter$/);
  // the run's saved sessions live under a long limit (global-setup); this one has been idle a day
  await db.query("update auth_session set last_seen_at = now() - interval '1 day' where user_id = $1", [u.id]);
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
