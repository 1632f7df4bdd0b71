// Signs in once per demo role through next-auth's credentials endpoint (no browser needed) and
// saves each session as a Playwright storageState file: see fixtures.ts (authFile, useRole).
import fs from "node:fs";
import { request, type FullConfig } from "@playwright/test";
import { ROLE_USERS, authFile, codeFor, db, type RoleName } from "./fixtures";

export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  // The saved sessions serve the whole run: an idle limit shorter than the run would end a
  // role's session between two of its specs. Tests of the limits themselves set timestamps.
  await db.query(
    `insert into setting (station_id, key, value, effective_from)
     values (null, 'session', '{"idleMinutes": 720, "absoluteHours": 24}', '2000-01-02') on conflict do nothing`,
  );
  for (const role of Object.keys(ROLE_USERS) as RoleName[]) {
    const { username, password } = ROLE_USERS[role];
    const ctx = await request.newContext({ baseURL });
    const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
    // managers and administrators give the second factor with the password (one request)
    const code: Record<string, string> = role === "manager" || role === "admin" ? { code: await codeFor(username) } : {};
    const res = await ctx.post("/api/auth/callback/credentials", {
      form: { csrfToken, username, password, ...code, json: "true" },
    });
    const state = await ctx.storageState();
    if (!res.ok() || !state.cookies.some((c) => c.name.endsWith("next-auth.session-token"))) {
      throw new Error(`global-setup: 无法以 ${username} 登录（${res.status()} ${await res.text()}）`);
    }
    fs.writeFileSync(authFile(role), JSON.stringify(state));
    await ctx.dispose();
  }
  await db.end();
}
