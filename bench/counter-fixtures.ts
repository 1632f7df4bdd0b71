// Customers for the counter benchmarks when the demo generator's data is not loaded: one station
// ("CB01") with N customers whose names, addresses, phones, meters and payment numbers look like
// the demo's, written set-based in one INSERT … SELECT per table (no row-by-row work).
// Idempotent: tops the station up to N customers.
import type pg from "pg";

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵".split("");
const GIVEN = ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "芳", "娜", "敏", "静", "丽", "艳", "建国", "建华", "志强", "海涛", "永福", "文斌", "秀英", "桂英", "玉兰", "丽华", "晓燕", "慧敏", "雪梅", "美玲", "春梅", "海燕", "俊杰", "浩然", "子豪", "欣怡", "梓涵", "淑珍", "凤英", "金花", "国强", "卫东"];
const STREETS = ["建设路", "人民路", "解放路", "中山路", "文化路", "新华路", "和平路", "胜利路", "环城东路", "环城西路", "工人路", "复兴路", "体育路", "学院路", "延安路", "庆春路", "凤起路", "文三路", "文二路", "教工路", "莫干山路", "湖墅路", "秋涛路", "江南大道", "滨江路", "钱江路", "新塘路", "天城路", "石桥路", "沈半路", "幸福路", "长寿路", "光明路", "团结路", "朝阳路", "向阳路"];
const VILLAGES = ["丁桥", "九堡", "乔司", "星桥", "笕桥", "彭埠", "三墩", "留下", "转塘", "袁浦", "新登", "瓶窑"];

export type BenchStation = { stationId: number; tariffId: number; clerkId: number; customers: number };

async function ensureStation(c: pg.PoolClient | pg.Pool): Promise<{ stationId: number; tariffId: number; clerkId: number }> {
  const st = await c.query<{ id: number }>(
    `insert into station (code, name) values ('CB01', '柜台基准测试所') on conflict (code) do update set code = excluded.code returning id`);
  const stationId = st.rows[0].id;
  const tr = await c.query<{ id: number }>(
    `insert into tariff (station_id, code, name, category) values ($1, 'CB01-RES', '居民阶梯', 'RESIDENTIAL')
     on conflict (code) do update set code = excluded.code returning id`, [stationId]);
  const us = await c.query<{ id: number }>(
    `insert into app_user (station_id, username, name, password_hash, role, updated_at)
     values ($1, 'cb01-clerk', '基准收费员', 'x', 'CLERK', now()) on conflict (username) do update set name = excluded.name returning id`,
    [stationId]);
  return { stationId, tariffId: tr.rows[0].id, clerkId: us.rows[0].id };
}

/** Makes sure station CB01 has `n` customers (with meters, ~1 in 200 under a shared payment number). */
export async function ensureBenchCustomers(pool: pg.Pool, n: number, log = console.log): Promise<BenchStation> {
  const { stationId, tariffId, clerkId } = await ensureStation(pool);
  const have = Number((await pool.query(`select count(*) n from customer where station_id = $1`, [stationId])).rows[0].n);
  if (have >= n) return { stationId, tariffId, clerkId, customers: have };
  const t0 = performance.now();
  log(`counter fixtures: adding ${n - have} customers to CB01 (have ${have})…`);
  // payment numbers: one per 200 customers (a payment number settles several customer numbers)
  await pool.query(
    `insert into payment_account (station_id, payment_no, name)
     select $1, 'P' || lpad(g::text, 8, '0'), '缴费号' || g from generate_series(1, $2::int) g
     on conflict do nothing`, [stationId, Math.ceil(n / 200)]);
  const step = 200_000;
  for (let from = have + 1; from <= n; from += step) {
    const to = Math.min(n, from + step - 1);
    await pool.query(
      `insert into customer (station_id, customer_no, name, phone, address, category, usage_type, payment_method,
                             district_id, line_id, street_id, route_id, route_seq, payment_account_id, tariff_id, opened_on, updated_at, flags)
       select $1, lpad(g::text, 10, '0'),
              ($4::text[])[1 + (hashint4(g) & 2147483647) % cardinality($4::text[])] ||
              ($5::text[])[1 + (hashint4(g * 7) & 2147483647) % cardinality($5::text[])],
              '13' || lpad(((hashint4(g * 13) & 2147483647) % 1000000000)::text, 9, '0'),
              case when g % 5 = 0
                then ($7::text[])[1 + g % cardinality($7::text[])] || '村' || (1 + g % 40) || '组' || (1 + g % 97) || '号'
                else ($6::text[])[1 + (g / 7) % cardinality($6::text[])] || (1 + (g / 3) % 300) || '号' || (1 + g % 12) || '幢' || (1 + g % 6) || '单元' || (101 + g % 1800) || '室'
              end,
              'RESIDENTIAL', 'RESIDENTIAL', case when g % 10 = 0 then 'BANK_DEBIT'::"PaymentMethod" when g % 50 = 1 then 'PREPAID'::"PaymentMethod" else 'COUNTER'::"PaymentMethod" end,
              1, 1, 1, 1 + g % 500, g,
              case when g % 200 = 0 then (select id from payment_account where station_id = $1 and payment_no = 'P' || lpad((g / 200)::text, 8, '0')) end,
              $8, date '2015-01-01', now(), '{}'
       from generate_series($2::int, $3::int) g`,
      [stationId, from, to, SURNAMES, GIVEN, STREETS, VILLAGES, tariffId]);
    await pool.query(
      `insert into meter (station_id, meter_no)
       select $1, 'M' || lpad(g::text, 12, '0') from generate_series($2::int, $3::int) g on conflict do nothing`,
      [stationId, from, to]);
    await pool.query(
      `insert into meter_installation (customer_id, meter_id, installed_on, start_reading)
       select c.id, m.id, date '2015-01-01', 0
       from customer c join meter m on m.station_id = c.station_id and m.meter_no = 'M' || lpad(c.customer_no::bigint::text, 12, '0')
       where c.station_id = $1 and c.customer_no between lpad($2::text, 10, '0') and lpad($3::text, 10, '0')`,
      [stationId, from, to]);
    log(`  … ${to} customers (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  // vacuum, not just analyze: bulk-inserted rows sit in the GIN pending lists, which every search
  // would scan linearly (10+ ms) until autovacuum merges them
  for (const t of ["customer", "meter", "meter_installation", "payment_account"]) await pool.query(`vacuum analyze ${t}`);
  return { stationId, tariffId, clerkId, customers: n };
}

/** lib/data modules import "server-only", which throws outside Next's server bundle: map it to
 *  an empty module for this process (call before importing lib/data). */
/** p-th percentile (0–100) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Released bills (with their BILL entries) for the first `n` customers of the station that have
 *  none for `period`: set-based, one statement per table. */
export async function ensureBenchBills(pool: pg.Pool, stationId: number, n: number, period = "2026-10") {
  const r = await pool.query(
    `with c as (
       select id from customer cu where station_id = $1 and not exists (select 1 from bill b where b.customer_id = cu.id and b.period = $3)
       order by id limit $2),
     b as (
       insert into bill (station_id, customer_id, period, kwh, amount, lines, status, issue_date, due_date, released_at)
       select $1, c.id, $3, 150, 50 + (c.id % 200), '[]', 'RELEASED', ($3 || '-22')::date, ($3 || '-22')::date + 10, now() from c
       returning id, customer_id, amount, issue_date)
     insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id)
     select $1, customer_id, 'BILL', amount, issue_date, to_char(issue_date, 'YYYY-MM'), id from b`,
    [stationId, n, period]);
  return r.rowCount ?? 0;
}
