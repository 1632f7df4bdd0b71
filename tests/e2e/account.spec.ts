// One's own account (issue 9 item 10): the initial password is changed before anything else,
// anyone changes their own password, and a manager or administrator enrols an authenticator at
// the first sign-in, then signs in with its codes or a one-time recovery code.
import { totpCode, totpStep } from "../../lib/auth/totp";
import { createTestUser, db, expect, loginWith, postServerAction, serverActionId, test } from "./fixtures";

test("an initial password opens only the change-password page until the user picks their own", async ({ page, playwright }) => {
  const u = await createTestUser({ role: "CLERK", mustChangePassword: true });
  await loginWith(page, u.username, u.password);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByTestId("must-change-password")).toBeVisible();
  for (const path of ["/counter", "/", "/login"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/account\/password$/);
  }
  // the held session cannot use the clerk's actions either
  const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: await page.context().storageState() });
  const res = await postServerAction(request, {
    path: "/counter",
    actionId: serverActionId("app/admin/users/actions.ts", "createUserAction"),
    fields: { username: "x" },
  });
  expect(res.body).toContain('"AUTH_REQUIRED"');
  await request.dispose();

  await page.getByLabel("当前密码").fill("Not-my-password-1");
  await page.getByLabel("新密码", { exact: true }).fill("Mine-2026-pw");
  await page.getByLabel("再次输入新密码").fill("Mine-2026-pw");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("当前密码不正确。");

  await page.getByLabel("当前密码").fill(u.password);
  await page.getByLabel("新密码", { exact: true }).fill("Mine-2026-pw");
  await page.getByLabel("再次输入新密码").fill("Mine-2026-pw2");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.locator("#confirm-error")).toHaveText("两次输入的新密码不一致。");

  await page.getByLabel("当前密码").fill(u.password);
  await page.getByLabel("新密码", { exact: true }).fill("Mine-2026-pw");
  await page.getByLabel("再次输入新密码").fill("Mine-2026-pw");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page).toHaveURL(/\/counter$/);
  const { rows } = await db.query("select must_change_password from app_user where id = $1", [u.id]);
  expect(rows).toEqual([{ must_change_password: false }]);
});

test("anyone changes their own password from the header; their other sessions end", async ({ page, browser }) => {
  const u = await createTestUser({ role: "READER" });
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const elsewhere = await other.newPage();
  await loginWith(elsewhere, u.username, u.password);
  await loginWith(page, u.username, u.password);
  await page.getByTestId("account-link").click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel("当前密码").fill(u.password);
  await page.getByLabel("新密码", { exact: true }).fill("Reader-own-77");
  await page.getByLabel("再次输入新密码").fill("Reader-own-77");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByTestId("form-ok")).toHaveText("密码已修改。");
  await page.goto("/reader");
  await expect(page).toHaveURL(/\/reader/); // this session goes on
  await elsewhere.goto("/reader");
  await expect(elsewhere).toHaveURL(/\/login\?expired=1$/); // the other one is over
  await other.close();
  const { rows } = await db.query("select 1 from audit_log where action = 'auth.password.change' and target_id = $1", [String(u.id)]);
  expect(rows).toHaveLength(1);
});

test("a manager enrols an authenticator at the first sign-in, then signs in with a code or a recovery code once", async ({ page }) => {
  const u = await createTestUser({ role: "MANAGER", enrolled: false });
  await loginWith(page, u.username, u.password);
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/account\/two-factor$/); // no manager page before enrolment
  await expect(page.getByTestId("totp-qr").locator("svg")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("enrol.png"), fullPage: true });
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const form = page.getByTestId("enrol-form");
  await form.getByLabel("验证码").fill("000000" === totpCode(secret, totpStep(new Date())) ? "111111" : "000000");
  await form.getByRole("button", { name: "完成绑定" }).click();
  await expect(form.getByTestId("form-error")).toContainText("验证码不正确");
  await form.getByLabel("验证码").fill(totpCode(secret, totpStep(new Date())));
  await form.getByRole("button", { name: "完成绑定" }).click();
  const codes = await page.getByTestId("recovery-code").allInnerTexts();
  expect(codes).toHaveLength(10);
  await page.getByTestId("recovery-codes-done").click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // stored: the secret sealed, the codes hashed
  const { rows } = await db.query<{ totp_secret: string }>("select totp_secret from app_user where id = $1", [u.id]);
  expect(rows[0].totp_secret).not.toContain(secret);
  const { rows: hashes } = await db.query<{ code_hash: string }>("select code_hash from user_recovery_code where user_id = $1", [u.id]);
  expect(hashes).toHaveLength(10);
  for (const h of hashes) expect(codes.map((c) => c.replace("-", ""))).not.toContain(h.code_hash);

  // sign out; a recovery code instead of the authenticator works once
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  const withCode = async (code: string) => {
    await page.goto("/login");
    await page.getByLabel("用户名").fill(u.username);
    await page.getByLabel("密码").fill(u.password);
    await page.getByTestId("login-submit").click();
    await page.getByLabel("验证码").fill(code);
    await page.getByTestId("login-submit").click();
  };
  await withCode(codes[0]);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await withCode(codes[0]);
  await expect(page.getByTestId("login-error")).toContainText("验证码不正确");
  const { rows: audit } = await db.query<{ action: string }>(
    "select action from audit_log where target_type = 'user' and target_id = $1 and action like 'auth.mfa.%' order by id",
    [String(u.id)],
  );
  expect(audit.map((a) => a.action)).toEqual(["auth.mfa.enrol", "auth.mfa.recovery_used"]);
});

test("a password alone never reaches a manager's pages once enrolled", async ({ page, playwright, baseURL }) => {
  const u = await createTestUser({ role: "MANAGER" });
  const ctx = await playwright.request.newContext({ baseURL });
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken, username: u.username, password: u.password, json: "true" } });
  expect(new URL(((await res.json()) as { url: string }).url).searchParams.get("error")).toBe("MFA_REQUIRED");
  const state = await ctx.storageState();
  expect(state.cookies.some((c) => c.name.endsWith("session-token"))).toBe(false);
  await ctx.dispose();
  await page.goto("/login");
  await page.getByLabel("用户名").fill(u.username);
  await page.getByLabel("密码").fill(u.password);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-code-intro")).toBeVisible();
  await expect(page.getByLabel("验证码")).toHaveValue(""); // the password is not carried into the code box
  await expect(page.getByLabel("验证码")).toBeFocused();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?expired=1$/);
});
