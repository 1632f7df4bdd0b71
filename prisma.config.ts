import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Prisma 6.19 runs offline only through a driver adapter and the WASM schema engine.
// Three fixes are needed (see docs/environment.md §6):

// Fix 1, prisma/orm#27403: adapter-pg cannot map Postgres' `name`/`"char"` catalog types.
const R = (pg as unknown as { Result: { prototype: { addFields: (f: { dataTypeID: number }[]) => void } } }).Result;
const addFields = R.prototype.addFields;
R.prototype.addFields = function (fields: { dataTypeID: number }[]) {
  for (const f of fields) {
    if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25;
    if (f.dataTypeID === 1003 || f.dataTypeID === 1002) f.dataTypeID = 1009;
  }
  return addFields.call(this, fields);
};

// Fix 2: explicit fields, not a connectionString, so the shadow database gets its own name.
function pgConfig(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
}

// Fix 3: end the shadow pool before dropping the shadow database.
class MigratingPg extends PrismaPg {
  constructor(private cfg: ReturnType<typeof pgConfig>) {
    super(cfg);
  }
  async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...this.cfg, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return new MigratingPg(pgConfig(process.env.DATABASE_URL!));
  },
});
