// Integration tests run against a real PostgreSQL that they start themselves: an embedded
// server in a throw-away data directory on a free port, migrated once into a template
// database; each test file then gets a fresh database cloned from it (per-file.ts).
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase } from "../../scripts/lib/embedded-db";
import { migrate } from "../../scripts/lib/migrate";
import { assertLocalUrl } from "../support/local-url";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export default async function setup(project: TestProject) {
  let stop = async () => {};
  let baseUrl: string;
  if (process.env.DATABASE_URL) {
    // An explicit server is allowed only if it is on this machine: tests drop databases.
    assertLocalUrl(process.env.DATABASE_URL);
    baseUrl = process.env.DATABASE_URL;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chaohe-test-pg-"));
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    const db = await ensureDatabase({ dataDir, port: await freePort(), database: "postgres", quiet: true });
    process.env.DATABASE_URL = saved;
    baseUrl = db.url;
    stop = async () => {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const template = `chaohe_tpl_${process.pid}`;
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`drop database if exists ${template}`);
  await c.query(`create database ${template}`);
  const tplUrl = new URL(baseUrl);
  tplUrl.pathname = `/${template}`;
  migrate(tplUrl.toString(), true);
  project.provide("pgAdminUrl", admin.toString());
  project.provide("pgTemplate", template);
  return async () => {
    await c.query(`drop database if exists ${template} with (force)`).catch(() => {});
    await c.end();
    await stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
