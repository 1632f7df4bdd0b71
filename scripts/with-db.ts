// Runs a command with DATABASE_URL pointing at the project's database: the embedded server
// (started here, stopped afterwards) unless DATABASE_URL is already set.
//   tsx scripts/with-db.ts [--no-migrate] <command> [args…]
import { spawn } from "node:child_process";
import { ensureDatabase } from "./lib/embedded-db";
import { migrate } from "./lib/migrate";
import { DEV_DB } from "./lib/dev-db";

const args = process.argv.slice(2);
const noMigrate = args[0] === "--no-migrate";
if (noMigrate) args.shift();
if (args.length === 0) {
  console.error("用法: tsx scripts/with-db.ts <命令> [参数…]");
  process.exit(2);
}

const db = await ensureDatabase({ ...DEV_DB, quiet: true });
if (!noMigrate) migrate(db.url, true);
const child = spawn(args[0], args.slice(1), {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: db.url },
});
const forward = (sig: NodeJS.Signals) => child.kill(sig);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", async (code) => {
  await db.stop();
  process.exit(code ?? 1);
});
