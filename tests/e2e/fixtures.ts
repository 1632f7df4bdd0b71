/**
 * Shared helpers for the end-to-end specs. Run them with `npm run test:e2e` (scripts/e2e.ts:
 * throw-away PostgreSQL with a 300-customer demo station, a production build, Chromium).
 * Run one file: `npm run test:e2e -- tests/e2e/my-area.spec.ts`.
 *
 * SIGNED IN AS A ROLE. global-setup.ts signs the five demo users in once and saves each
 * session; a spec reuses it:
 *
 *     import { test, expect, useRole } from "./fixtures";
 *     test.describe("counter", () => {
 *       useRole("clerk");                        // every test in this block is the clerk
 *       test("takes a payment", async ({ page }) => { await page.goto("/counter"); … });
 *     });
 *
 *   or go through the login form yourself: `await loginAs(page, "reader")`
 *   (or `loginWith(page, username, password)` for a user you created).
 *   Several roles in one test: `const clerk = await browser.newContext({ storageState: authFile("clerk") })`.
 *
 * SECOND FACTOR. Managers and administrators sign in with a TOTP code after the password: the
 *   demo manager and admin have the fixed secrets of prisma/seed/base.ts, a createTestUser of
 *   those roles is enrolled with a fresh one (`enrolled: false` leaves it to enrol at its first
 *   sign-in), and loginWith / global-setup compute the current code (`codeFor(username)`).
 *
 * DO NOT change the demo users (clerk, reader, auditor, manager, admin: password, role, active):
 *   their saved sessions would end for every other spec running in parallel. Need a user to
 *   lock, deactivate or demote? `const u = await createTestUser({ role: "CLERK" })`.
 *
 * DATA. `db` is a pg Pool on the test database (DATABASE_URL from scripts/e2e.ts): use it to set
 *   up and check data. Tests run in parallel workers on one database: each test makes its own
 *   data with unique names (`uniq("客户")`) and never relies on counts of shared tables.
 *
 * SERVER ACTIONS BY DIRECT POST (proving that a refused role changes nothing):
 *   `const id = serverActionId("app/admin/users/actions.ts", "createUserAction")`, then
 *   `await postServerAction(request, { path: "/admin/users", actionId: id, fields: { username: "x", … } })`
 *   (or `args: [null, formData]`, or `args: [{ plain: "input" }]` for an action taking an object)
 *   with `request` from a context signed in as the role under test, then check the database
 *   (see access.spec.ts; the "control" test there proves the encoding reaches the action).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import { hashPassword } from "../../lib/auth/password";
import { sealSecret } from "../../lib/auth/secret-box";
import { newTotpSecret, totpCode, totpStep, TOTP_WINDOW } from "../../lib/auth/totp";
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from "../../prisma/seed/base";

export { expect };
export const test = base;

export type RoleName = "clerk" | "reader" | "auditor" | "manager" | "admin";
export type DbRole = "CLERK" | "READER" | "AUDITOR" | "MANAGER" | "ADMIN";

/** The demo users (prisma/seed/base.ts) and where each role lands after signing in. */
export const ROLE_USERS: Record<RoleName, { username: string; password: string; role: DbRole; home: string }> = {
  clerk: { username: "clerk", password: DEMO_PASSWORD, role: "CLERK", home: "/counter" },
  reader: { username: "reader", password: DEMO_PASSWORD, role: "READER", home: "/reader" },
  auditor: { username: "auditor", password: DEMO_PASSWORD, role: "AUDITOR", home: "/audit" },
  manager: { username: "manager", password: DEMO_PASSWORD, role: "MANAGER", home: "/dashboard" },
  admin: { username: "admin", password: DEMO_PASSWORD, role: "ADMIN", home: "/admin/users" },
};
export const ROLES = Object.keys(ROLE_USERS) as RoleName[];

const AUTH_DIR =
  process.env.E2E_AUTH_DIR ||
  path.join(os.tmpdir(), `chaohe-e2e-auth-${new URL(process.env.E2E_BASE_URL || "http://localhost:3000").port}`);
fs.mkdirSync(AUTH_DIR, { recursive: true });

/** The saved session of a demo role (written by global-setup.ts). */
export function authFile(role: RoleName): string {
  return path.join(AUTH_DIR, `${role}.json`);
}

/** Every test in the enclosing describe block runs signed in as `role`. */
export function useRole(role: RoleName) {
  test.use({ storageState: authFile(role) });
}

/** TOTP secrets of the users this worker knows: the demo's, and those createTestUser enrolled. */
const TOTP_SECRETS = new Map<string, string>(Object.entries(DEMO_TOTP_SECRETS));

/**
 * A code the server will accept for `username` now: a code works once (the server keeps the last
 * accepted time step), so take the current step unless it was used, else the next one (also
 * accepted, clock drift), else wait for a fresh step.
 */
export async function codeFor(username: string): Promise<string> {
  const secret = TOTP_SECRETS.get(username);
  if (!secret) throw new Error(`no TOTP secret known for ${username}`);
  for (;;) {
    const { rows } = await db.query<{ totp_last_step: number | null }>("select totp_last_step from app_user where username = $1", [username]);
    const last = rows[0]?.totp_last_step ?? -1;
    const now = totpStep(new Date());
    const step = Math.max(now, last + 1);
    if (step <= now + TOTP_WINDOW) return totpCode(secret, step);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Signs in through the login form (the code too, when the form asks for one) and waits until
 *  the app has left the login page. */
export async function loginWith(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByTestId("login-submit").click();
  const codeField = page.getByLabel("验证码");
  await Promise.race([page.waitForURL((u) => !u.pathname.startsWith("/login")), codeField.waitFor()]);
  // another worker signing in as the same user may take the code first (a code works once):
  // then the form says so, and the next code is used
  for (let i = 0; i < 3 && new URL(page.url()).pathname.startsWith("/login"); i++) {
    await codeField.fill(await codeFor(username));
    await page.getByTestId("login-submit").click();
    await Promise.race([
      page.waitForURL((u) => !u.pathname.startsWith("/login")),
      page.getByTestId("login-error").filter({ hasText: "已用过" }).waitFor(),
    ]);
  }
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

export async function loginAs(page: Page, role: RoleName) {
  await loginWith(page, ROLE_USERS[role].username, ROLE_USERS[role].password);
}

/** A pg pool on the test database (one per worker). */
export const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });

let counter = 0;
/** A name no other test or worker uses. */
export function uniq(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${(counter++).toString(36)}`;
}

/**
 * A fresh user of the demo station, for tests that lock, deactivate or demote someone. A manager
 * or administrator comes enrolled in the second factor (its secret in `totpSecret`, known to
 * loginWith) unless `enrolled: false`; `mustChangePassword` as an administrator-created user.
 */
export async function createTestUser(
  opts: { role?: DbRole; password?: string; active?: boolean; enrolled?: boolean; mustChangePassword?: boolean } = {},
) {
  const username = uniq("e2e").toLowerCase().slice(0, 40);
  const password = opts.password ?? "E2e-pass-123";
  const role = opts.role ?? "CLERK";
  const totpSecret = (role === "MANAGER" || role === "ADMIN") && opts.enrolled !== false ? newTotpSecret() : null;
  const { rows } = await db.query<{ id: number; station_id: number }>(
    `insert into app_user (station_id, username, name, password_hash, role, active, updated_at, must_change_password,
                           totp_secret, totp_enrolled_at)
     values ((select id from station order by id limit 1), $1, $2, $3, $4, $5, now(), $6,
             $7, case when $7::text is null then null else now() end)
     returning id, station_id`,
    [username, `测试${username.slice(-4)}`, await hashPassword(password), role, opts.active ?? true,
     opts.mustChangePassword ?? false, totpSecret ? sealSecret(totpSecret) : null],
  );
  if (totpSecret) TOTP_SECRETS.set(username, totpSecret);
  return { id: rows[0].id, stationId: rows[0].station_id, username, password, totpSecret };
}

type ManifestEntry = { workers?: Record<string, unknown>; layer?: Record<string, string>; exportedName?: string; filename?: string };

/**
 * The id Next gave a server action in this build, from <distDir>/server/server-reference-manifest.json.
 * `file` is the path of the 'use server' module from the project root.
 */
export function serverActionId(file: string, exportName: string): string {
  const dist = process.env.E2E_DIST_DIR || ".next";
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  for (const [id, e] of Object.entries(manifest.node)) {
    if (e.exportedName === exportName && e.filename?.replace(/\\/g, "/").endsWith(file)) return id;
  }
  throw new Error(`server action ${file}#${exportName} not found in the build's manifest`);
}

/**
 * Calls a server action the way the browser does: POST to a page with the Next-Action header and
 * the arguments encoded as React's encodeReply does (checked against a capture from Chromium):
 * a multipart body whose entry "0" is the JSON argument list, where each FormData argument is
 * replaced by "$K<n>" and its fields are sent before "0" with the prefix "_<n>_".
 *   args: the argument list as the page would pass it, e.g. [null, formData] for a
 *         useActionState action (prevState, formData), or [{ customerId: 1 }] for a plain one;
 *   fields: shorthand for args = [prevState ?? null, FormData(fields)].
 * Returns the status and the RSC text (a refused runAction answers with "FORBIDDEN" in it).
 */
export async function postServerAction(
  request: APIRequestContext,
  opts: { path: string; actionId: string; args?: unknown[]; fields?: Record<string, string>; prevState?: unknown },
) {
  let args = opts.args;
  if (!args) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(opts.fields ?? {})) fd.append(k, v);
    args = [opts.prevState ?? null, fd];
  }
  // React escapes strings that start with "$"; undefined travels as "$undefined"
  const plain = (v: unknown): unknown =>
    v === undefined ? "$undefined"
    : typeof v === "string" ? (v.startsWith("$") ? "$" + v : v)
    : Array.isArray(v) ? v.map(plain)
    : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
    : v;
  // Order matters: the decoder reads a "$K<n>" form from the entries before "0" and stops at the
  // first key without its prefix (a plain object would enumerate "0" first).
  const body = new FormData();
  let n = 0;
  const root = args.map((a) => {
    if (!(a instanceof FormData)) return plain(a);
    n++;
    for (const [k, v] of a.entries()) body.append(`_${n}_${k}`, v);
    return `$K${n}`;
  });
  body.append("0", JSON.stringify(root));
  const origin = new URL(process.env.E2E_BASE_URL || "http://localhost:3000").origin;
  const res = await request.post(opts.path, {
    headers: { "Next-Action": opts.actionId, Accept: "text/x-component", Origin: origin },
    multipart: body,
  });
  return { status: res.status(), body: await res.text() };
}
