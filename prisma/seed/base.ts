// The base seed every database gets: the station(s), staff logins, default settings, the
// holiday calendar and the tariffs. Idempotent: run it any number of times; it only adds
// what is missing and never overwrites a changed password, setting or tariff.
import type pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { sealSecret } from "../../lib/auth/secret-box";
import { DEFAULT_SETTINGS } from "../../lib/domain/settings";
import type { Role } from "../../generated/prisma/enums";
import { HOLIDAYS } from "./holidays";
import { TARIFF_SEEDS, type TariffDefinition } from "./tariffs";

export const DEMO_PASSWORD = "Demo@2026";

export type DemoLogin = { username: string; password: string; role: Role; name: string; phone: string };

const staff = (username: string, role: Role, name: string, phone: string): DemoLogin =>
  ({ username, password: DEMO_PASSWORD, role, name, phone });

/** The demo logins (stable names: the run command prints them, tests log in with them). */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  staff("clerk", "CLERK", "陈丽华", "13805710001"),
  staff("clerk2", "CLERK", "周晓燕", "13805710002"),
  staff("reader", "READER", "王建国", "13805710011"),
  staff("reader2", "READER", "李志强", "13805710012"),
  staff("reader3", "READER", "张海涛", "13805710013"),
  staff("reader4", "READER", "刘永福", "13805710014"),
  staff("reader5", "READER", "杨文斌", "13805710015"),
  staff("reader6", "READER", "赵德明", "13805710016"),
  staff("reader7", "READER", "黄国平", "13805710017"),
  staff("reader8", "READER", "吴志刚", "13805710018"),
  staff("auditor", "AUDITOR", "徐慧敏", "13805710021"),
  staff("manager", "MANAGER", "孙立军", "13805710031"),
  staff("admin", "ADMIN", "马俊", "13805710041"),
];

/**
 * The demo manager and administrator sign in with a second factor like real ones, enrolled in
 * advance with these fixed, published secrets (a demo must stay easy to try): `npm run
 * demo:codes` prints their current codes, or add a secret to any authenticator app. A real
 * station's users enrol their own at their first sign-in.
 */
export const DEMO_TOTP_SECRETS: Readonly<Record<string, string>> = {
  manager: "DEMOMANAGERTOTPKEYCHAOHESHOUABCD",
  admin: "DEMOADMINTOTPKEYCHAOHESHOUABCDEF",
};

export const MAIN_STATION = { code: "TH01", name: "天河供电所", timezone: "Asia/Shanghai" } as const;

export type SeedBaseOptions = {
  /** total stations (≥ 1); TH02… are extra stations for scale tests. Staff belong to TH01. */
  stations?: number;
  log?: (msg: string) => void;
};

export type SeededTariff = {
  id: number;
  code: string;
  category: string;
  versions: { id: number; effectiveFrom: string; definition: TariffDefinition }[];
};

export type BaseSeed = {
  stationId: number;
  stationIds: number[];
  users: { id: number; username: string; role: Role; name: string }[];
  tariffs: SeededTariff[];
};

async function seedStations(c: pg.ClientBase, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const code = i === 0 ? MAIN_STATION.code : `TH${String(i + 1).padStart(2, "0")}`;
    const name = i === 0 ? MAIN_STATION.name : `天河供电所${i + 1}分所`;
    const r = await c.query<{ id: number }>(
      `insert into station (code, name, timezone) values ($1, $2, $3)
       on conflict (code) do update set code = excluded.code returning id`,
      [code, name, MAIN_STATION.timezone],
    );
    ids.push(r.rows[0].id);
  }
  return ids;
}

async function seedUsers(c: pg.ClientBase, stationId: number) {
  const existing = await c.query<{ username: string }>(
    `select username from app_user where username = any($1)`, [DEMO_LOGINS.map((l) => l.username)]);
  const have = new Set(existing.rows.map((r) => r.username));
  for (const l of DEMO_LOGINS) {
    if (have.has(l.username)) continue; // never overwrite a password someone changed
    // the demo's users keep the README's password: no forced change (must_change_password false)
    const totp = DEMO_TOTP_SECRETS[l.username];
    await c.query(
      `insert into app_user (station_id, username, name, phone, password_hash, role, updated_at, totp_secret, totp_enrolled_at)
       values ($1, $2, $3, $4, $5, $6, now(), $7, case when $7::text is null then null else now() end)
       on conflict (username) do nothing`,
      [stationId, l.username, l.name, l.phone, await hashPassword(l.password), l.role, totp ? sealSecret(totp) : null],
    );
  }
  const r = await c.query<{ id: number; username: string; role: Role; name: string }>(
    `select id, username, role, name from app_user where username = any($1) order by id`,
    [DEMO_LOGINS.map((l) => l.username)],
  );
  return r.rows;
}

// station_id is null for company-wide rows; NULLs never collide in a unique index, so these
// inserts guard with NOT EXISTS instead of ON CONFLICT.
async function seedSettings(c: pg.ClientBase) {
  for (const [group, value] of Object.entries(DEFAULT_SETTINGS)) {
    await c.query(
      `insert into setting (station_id, key, value, effective_from)
       select null, $1::varchar, $2::jsonb, '2000-01-01'
       where not exists (select 1 from setting where station_id is null and key = $1::varchar and effective_from = '2000-01-01')`,
      [group, JSON.stringify(value)],
    );
  }
}

async function seedCalendar(c: pg.ClientBase) {
  await c.query(
    `insert into calendar_day (station_id, day, kind, name)
     select null, d, k, n from unnest($1::date[], $2::text[], $3::text[]) as t(d, k, n)
     where not exists (select 1 from calendar_day x where x.station_id is null and x.day = t.d)`,
    [HOLIDAYS.map((h) => h.day), HOLIDAYS.map((h) => h.kind), HOLIDAYS.map((h) => h.name)],
  );
}

async function seedTariffs(c: pg.ClientBase): Promise<SeededTariff[]> {
  const out: SeededTariff[] = [];
  for (const t of TARIFF_SEEDS) {
    const r = await c.query<{ id: number }>(
      `insert into tariff (station_id, code, name, category) values (null, $1, $2, $3)
       on conflict (code) do update set code = excluded.code returning id`,
      [t.code, t.name, t.category],
    );
    const tariffId = r.rows[0].id;
    for (const v of t.versions) {
      await c.query(
        `insert into tariff_version (tariff_id, effective_from, definition, source) values ($1, $2, $3::jsonb, $4)
         on conflict (tariff_id, effective_from) do nothing`,
        [tariffId, v.effectiveFrom, JSON.stringify(v.definition), v.source],
      );
    }
    const vs = await c.query<{ id: number; effective_from: string; definition: TariffDefinition }>(
      `select id, to_char(effective_from, 'YYYY-MM-DD') as effective_from, definition
       from tariff_version where tariff_id = $1 order by effective_from`, [tariffId]);
    out.push({
      id: tariffId, code: t.code, category: t.category,
      versions: vs.rows.map((v) => ({ id: v.id, effectiveFrom: v.effective_from, definition: v.definition })),
    });
  }
  return out;
}

/** Seeds what every database needs; safe to rerun. Runs inside the caller's transaction if any. */
export async function seedBase(client: pg.ClientBase, opts: SeedBaseOptions = {}): Promise<BaseSeed> {
  const log = opts.log ?? (() => {});
  const stationIds = await seedStations(client, Math.max(1, opts.stations ?? 1));
  const users = await seedUsers(client, stationIds[0]);
  await seedSettings(client);
  await seedCalendar(client);
  const tariffs = await seedTariffs(client);
  log(`基础数据: ${stationIds.length} 个供电所, ${users.length} 个用户, ${tariffs.length} 个电价`);
  return { stationId: stationIds[0], stationIds, users, tariffs };
}
