// Every role is refused the others' pages (HTTP 403 page) and the others' server actions, also
// when the action is called by a direct POST; a refused call changes nothing.
import fs from "node:fs";
import path from "node:path";
import { can, type Permission } from "../../lib/auth/permissions";
import { NAV } from "../../lib/nav";
import {
  ROLES,
  ROLE_USERS,
  authFile,
  createTestUser,
  db,
  expect,
  loginWith,
  postServerAction,
  serverActionId,
  test,
  uniq,
  type RoleName,
} from "./fixtures";

/**
 * Every page of the tree without a dynamic segment that guards itself with
 * requirePagePermission("…"), with that permission read from its source: the page's own guard
 * is what decides, the navigation only hides links. Areas still being built join the matrix as
 * soon as their page.tsx exists.
 */
function discoverPages(): { href: string; permission: string }[] {
  const out: { href: string; permission: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith("[") && !e.name.startsWith("_") && e.name !== "api") walk(p);
      } else if (e.name === "page.tsx") {
        const perm = /requirePagePermission\(\s*"([\w.]+)"/.exec(fs.readFileSync(p, "utf8"))?.[1];
        const href = "/" + path.relative("app", dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s)).join("/");
        if (perm) out.push({ href, permission: perm });
      }
    }
  };
  walk("app");
  return out.sort((a, b) => a.href.localeCompare(b.href));
}

const PAGES = discoverPages();

test.describe("pages", () => {
  test("the matrix covers the platform's pages and every planned area that exists", () => {
    const hrefs = PAGES.map((p) => p.href);
    for (const h of ["/dashboard", "/admin/users", "/admin/settings", "/admin/users/new"]) expect(hrefs).toContain(h);
    for (const e of NAV) if (fs.existsSync(path.join("app", e.href, "page.tsx"))) expect(hrefs).toContain(e.href);
  });

  for (const role of ROLES) {
    test(`${role}: the pages it may open open, the others answer 403`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: authFile(role) });
      const page = await context.newPage();
      for (const entry of PAGES) {
        const res = await page.goto(entry.href);
        const label = `${role} ${entry.href} (${entry.permission})`;
        if (allowed(role, entry.permission)) {
          expect(res?.status(), label).toBeLessThan(400);
          await expect(page.getByTestId("forbidden"), label).toHaveCount(0);
          expect(new URL(page.url()).pathname, label).toBe(entry.href);
        } else {
          expect(res?.status(), label).toBe(403);
          await expect(page.getByTestId("forbidden"), label).toContainText("无权访问");
        }
      }
      await context.close();
    });
  }

  test("every link in a role's navigation opens (the navigation never offers a 403)", async ({ browser }) => {
    for (const role of ROLES) {
      const context = await browser.newContext({ storageState: authFile(role) });
      const page = await context.newPage();
      await page.goto(ROLE_USERS[role].home);
      const links = await page.getByRole("navigation").getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      expect(links.length, role).toBeGreaterThan(0);
      for (const href of links.filter((h) => fs.existsSync(path.join("app", h, "page.tsx")))) {
        const res = await page.goto(href);
        expect(res?.status(), `${role} → ${href}`).toBeLessThan(400);
        await expect(page.getByTestId("forbidden"), `${role} → ${href}`).toHaveCount(0);
      }
      await context.close();
    }
  });

  test("signed out: every page sends to the login page", async ({ page }) => {
    for (const entry of PAGES) {
      await page.goto(entry.href);
      await expect(page, entry.href).toHaveURL(/\/login\?expired=1$/);
    }
  });
});

// ─── server actions ───

type ActionInfo = { file: string; name: string; permission: string; params: number; pagePath: string; id: string };

/** Every exported server action that goes through runAction, with its permission (read from
 *  the source) and a page of this build that serves it (from the build's manifest). */
function discoverActions(): ActionInfo[] {
  const dist = process.env.E2E_DIST_DIR || ".next";
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string; workers?: Record<string, unknown> }>;
  };
  const out: ActionInfo[] = [];
  for (const [id, e] of Object.entries(manifest.node)) {
    if (!e.filename || !e.exportedName || !fs.existsSync(e.filename)) continue;
    const src = fs.readFileSync(e.filename, "utf8");
    const start = src.search(new RegExp(`export async function ${e.exportedName}\\(`));
    if (start < 0) continue;
    const next = src.indexOf("export ", start + 10);
    const body = src.slice(start, next < 0 ? undefined : next);
    const perm = /runAction\(\s*"([\w.]+)"/.exec(body)?.[1];
    if (!perm) continue; // not a permission-checked action (e.g. the language switch)
    const paramList = /\(([^)]*)\)/.exec(body)?.[1] ?? "";
    const params = paramList.trim() === "" ? 0 : splitTopLevel(paramList).length;
    const worker = Object.keys(e.workers ?? {}).find((w) => w.endsWith("/page") && !w.includes("["));
    if (!worker) continue;
    const pagePath = worker.slice("app".length, -"/page".length).replace(/\/\([^/]+\)/g, "") || "/";
    out.push({ file: e.filename, name: e.exportedName, permission: perm, params, pagePath, id });
  }
  return out;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if ("{[(<".includes(ch)) depth++;
    if ("}])>".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

function allowed(role: RoleName, permission: string): boolean {
  try {
    return can(ROLE_USERS[role].role, permission as Permission);
  } catch {
    return false; // a permission missing from the table is granted to nobody
  }
}

test.describe("server actions by direct POST", () => {
  test("every role is refused every action it lacks the permission for, before its input is read", async ({ playwright }) => {
    const actions = discoverActions();
    expect(actions.map((a) => a.name)).toContain("createUserAction");
    for (const role of ROLES) {
      const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: authFile(role) });
      for (const a of actions.filter((x) => !allowed(role, x.permission))) {
        // (prevState, formData) actions get an empty form; plain ones an empty object
        const args = a.params >= 2 ? [null, new FormData()] : a.params === 1 ? [{}] : [];
        const res = await postServerAction(request, { path: a.pagePath, actionId: a.id, args });
        expect(res.body, `${role} → ${a.file}#${a.name} (${a.permission})`).toContain('"FORBIDDEN"');
      }
      await request.dispose();
    }
  });

  test("non-admins cannot create users or raise their own role; nothing changes", async ({ playwright }) => {
    const create = serverActionId("app/admin/users/actions.ts", "createUserAction");
    const changeRole = serverActionId("app/admin/users/actions.ts", "changeRoleAction");
    for (const role of ROLES.filter((r) => r !== "admin")) {
      const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: authFile(role) });
      const username = uniq("intruder").toLowerCase();
      const { rows: st } = await db.query<{ id: number }>("select id from station order by id limit 1");
      const res = await postServerAction(request, {
        path: "/admin/users/new",
        actionId: create,
        fields: { username, name: "越权用户", role: "ADMIN", stationId: String(st[0].id), password: "Intrude-123" },
      });
      expect(res.body).toContain('"FORBIDDEN"');
      expect((await db.query("select 1 from app_user where username = $1", [username])).rowCount).toBe(0);

      const me = (await db.query<{ id: number; role: string; session_version: number }>(
        "select id, role, session_version from app_user where username = $1",
        [ROLE_USERS[role].username],
      )).rows[0];
      const raise = await postServerAction(request, {
        path: "/admin/users",
        actionId: changeRole,
        fields: { userId: String(me.id), role: "ADMIN" },
      });
      expect(raise.body).toContain('"FORBIDDEN"');
      const after = (await db.query("select role, session_version from app_user where id = $1", [me.id])).rows[0];
      expect(after).toEqual({ role: me.role, session_version: me.session_version });
      await request.dispose();
    }
  });

  test("signed out: the action answers AUTH_REQUIRED and creates nothing", async ({ playwright }) => {
    const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL });
    const username = uniq("anon").toLowerCase();
    const res = await postServerAction(request, {
      path: "/admin/users/new",
      actionId: serverActionId("app/admin/users/actions.ts", "createUserAction"),
      fields: { username, name: "匿名", role: "ADMIN", stationId: "1", password: "Intrude-123" },
    });
    expect(res.body).toContain('"AUTH_REQUIRED"');
    expect((await db.query("select 1 from app_user where username = $1", [username])).rowCount).toBe(0);
    await request.dispose();
  });

  test("control: the same POST by the admin does create the user (the refusals above are real)", async ({ playwright }) => {
    const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: authFile("admin") });
    const username = uniq("viapost").toLowerCase();
    const { rows: st } = await db.query<{ id: number }>("select id from station order by id limit 1");
    const res = await postServerAction(request, {
      path: "/admin/users/new",
      actionId: serverActionId("app/admin/users/actions.ts", "createUserAction"),
      fields: { username, name: "直接提交", role: "CLERK", stationId: String(st[0].id), password: "Direct-123" },
    });
    expect(res.status).toBeLessThan(400); // success is a redirect to the new user's page
    const { rows } = await db.query("select role from app_user where username = $1", [username]);
    expect(rows).toEqual([{ role: "CLERK" }]);
    await request.dispose();
  });

  test("a deactivated user's open session cannot call actions", async ({ browser, playwright }) => {
    const u = await createTestUser({ role: "ADMIN" });
    const context = await browser.newContext();
    const page = await context.newPage();
    await loginWith(page, u.username, u.password); // with its second factor
    await expect(page).toHaveURL(/\/admin\/users$/);
    await db.query("update app_user set active = false where id = $1", [u.id]);
    const request = await playwright.request.newContext({ baseURL: process.env.E2E_BASE_URL, storageState: await context.storageState() });
    const username = uniq("ghost").toLowerCase();
    const res = await postServerAction(request, {
      path: "/admin/users/new",
      actionId: serverActionId("app/admin/users/actions.ts", "createUserAction"),
      fields: { username, name: "停用后", role: "CLERK", stationId: String(u.stationId), password: "Ghost-1234" },
    });
    expect(res.body).toContain('"AUTH_REQUIRED"');
    expect((await db.query("select 1 from app_user where username = $1", [username])).rowCount).toBe(0);
    await request.dispose();
    await context.close();
  });
});
