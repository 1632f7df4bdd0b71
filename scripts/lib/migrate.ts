import { spawnSync } from "node:child_process";

// Applies committed migrations with the Prisma CLI (WASM engine, offline).
export function migrate(url: string, quiet = false) {
  const r = spawnSync("npx", ["prisma", "migrate", "deploy"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
      PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    stdio: quiet ? "pipe" : "inherit",
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(r.stdout?.toString() ?? "" + r.stderr?.toString());
    throw new Error("数据库迁移失败 (prisma migrate deploy)");
  }
}
