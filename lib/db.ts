import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import pg from "pg";

// One Prisma client (JS engine through the pg driver adapter) and one raw pg pool for bulk
// work (COPY, unnest inserts), both per server process; survive Next's dev reloads.
const g = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

function url() {
  const u = process.env.DATABASE_URL;
  if (!u) throw new Error("DATABASE_URL is not set: start the app with `npm start` or `npm run dev`");
  return u;
}

export const prisma: PrismaClient =
  g.prisma ?? (g.prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url(), max: 10 }) }));

export const pool: pg.Pool = g.pool ?? (g.pool = new pg.Pool({ connectionString: url(), max: 10 }));

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
