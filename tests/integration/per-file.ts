// Each test file gets its own database cloned from the migrated template, so files are
// independent and can run in parallel; it is dropped when the file ends.
import { afterAll, inject } from "vitest";
import pg from "pg";

const adminUrl = inject("pgAdminUrl");
const template = inject("pgTemplate");
const name = `chaohe_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name} template ${template}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
// second-factor secrets are sealed with this key (lib/auth/secret-box.ts); without it the tests
// would write a key file into the working tree's .data/
process.env.MFA_ENCRYPTION_KEY ??= "integration-tests-only-mfa-key-0123456789";
// lib/db caches its clients on globalThis: make sure this file gets fresh ones.
const g = globalThis as { prisma?: { $disconnect(): Promise<void> }; pool?: { end(): Promise<void> } };
delete g.prisma;
delete g.pool;

afterAll(async () => {
  await g.prisma?.$disconnect().catch(() => {});
  await g.pool?.end().catch(() => {});
  delete g.prisma;
  delete g.pool;
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});
