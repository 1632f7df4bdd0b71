// The demo data generator at scale.
//   npm run bench -- demo        (BENCH_DEMO_CUSTOMERS=1000000 BENCH_DEMO_MONTHS=13 to change the size)
// Works in its own database <DATABASE_URL's name>_demo_bench on the same server (created and
// migrated here, never the development data) and drops it afterwards to give the disk back
// (1,000,000 customers × 13 months is about 18 GB). Prints elapsed seconds, rows per second,
// peak RSS and the database size.
import pg from "pg";
import { createDatabaseIfMissing } from "../scripts/lib/embedded-db";
import { migrate } from "../scripts/lib/migrate";
import { generate } from "../prisma/demo/generate";

export default async function demoBench() {
  const customers = Number(process.env.BENCH_DEMO_CUSTOMERS ?? 100_000);
  const months = Number(process.env.BENCH_DEMO_MONTHS ?? 13);
  const src = process.env.DATABASE_URL;
  if (!src) throw new Error("DATABASE_URL is not set (run through npm run bench)");
  const u = new URL(src);
  const name = `${u.pathname.slice(1)}_demo_bench`;
  u.pathname = `/${name}`;
  const url = u.toString();
  await createDatabaseIfMissing(url);
  migrate(url, true);
  try {
    const r = await generate({ url, customers, months, seed: 1, asOf: "2026-11-24", reset: true, log: () => {} });
    const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
    console.log(`demo data: ${customers.toLocaleString()} customers × ${months} months = ${rows.toLocaleString()} rows`);
    console.log(`  ${r.seconds.toFixed(1)} s, ${Math.round(rows / r.seconds).toLocaleString()} rows/s, ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, database ${(r.dbBytes / 2 ** 30).toFixed(2)} GB`);
  } finally {
    const admin = new URL(src);
    admin.pathname = "/postgres";
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  }
}
