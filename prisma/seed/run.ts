// Base seed only (station, logins, settings, calendar, tariffs): `tsx prisma/seed/run.ts`
// with DATABASE_URL set (or through scripts/with-db.ts). The demo generator calls seedBase too.
import pg from "pg";
import { DEMO_LOGINS, seedBase } from "./base";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
try {
  await client.query("begin");
  await seedBase(client, { log: console.log });
  await client.query("commit");
  for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(8)} ${l.username.padEnd(8)} ${l.password}`);
} catch (e) {
  await client.query("rollback").catch(() => {});
  console.error("基础数据写入失败:", e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await client.end();
}
