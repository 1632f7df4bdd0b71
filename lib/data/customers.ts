import "server-only";
import pg from "pg";
import { maskPhone, searchTokens, tokenKind } from "@/lib/domain/payments/mask";

// The counter's one search box: customer no., payment no. (缴费号), meter no., name, phone and
// address, partial and mixed ("王伟 幸福路", "13805 建设路"). Every token must match somewhere.
// Indexes (migration counter_search): numbers by prefix through the unique btree indexes (range
// conditions), fragments of 3+ characters through pg_trgm GIN on name/address/phone, fragments
// of 2 characters through the bigram GIN expression index. Text tokens AND together inside one
// statement, so PostgreSQL intersects the index bitmaps; payment and meter numbers come from
// their own tables as extra branches. Exact matches rank first.

export type CustomerHit = {
  id: number;
  customerNo: string;
  name: string;
  phoneMasked: string;
  address: string;
  paymentNo: string | null;
  status: string;
  category: string;
  paymentMethod: string;
  exact: boolean;
};

export const SEARCH_LIMIT = 20;
// Its own small pool: a LIMIT makes the planner bet on a sequential scan finding matches early,
// which at 1,000,000 rows costs a second when the bet fails; with seqscan off it takes the
// index bitmaps (a one-character search still scans, it has no other way). No JIT for 10 ms queries.
const g = globalThis as unknown as { counterSearchPool?: pg.Pool };
function searchPool(): pg.Pool {
  return (g.counterSearchPool ??= new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: 4,
    options: "-c enable_seqscan=off -c jit=off",
  }));
}

const MAXCHAR = String.fromCodePoint(0x10ffff); // upper bound of a prefix range (code point order)

class Params {
  values: unknown[] = [];
  add(v: unknown) {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The customer-table condition for one token (index-backed for 2+ characters). */
function tokenCondition(p: Params, t: string): string {
  const lower = t.toLowerCase();
  let infixParam: string | null = null;
  const infix = () => (infixParam ??= p.add(`%${likeEscape(lower)}%`));
  const parts: string[] = [];
  const len = [...t].length;
  if (len >= 3) parts.push(`c.name ilike ${infix()}`, `c.address ilike ${infix()}`);
  else if (len === 2) parts.push(`counter_bigrams(c.name || ' ' || c.address) @> array[${p.add(lower)}]::text[]`);
  else parts.push(`(c.name || ' ' || c.address) ilike ${infix()}`); // one character: a filter, no index
  if (tokenKind(t) === "code") {
    const code = t.toUpperCase();
    parts.push(`(c.customer_no >= ${p.add(code)} and c.customer_no < ${p.add(code + MAXCHAR)})`);
    if (len >= 3 && /^\d+$/.test(t)) parts.push(`c.phone like ${infix()}`);
  }
  return `(${parts.join(" or ")})`;
}

export function buildSearchSql(stationId: number, tokens: string[], limit: number) {
  const p = new Params();
  const st = p.add(stationId);
  const lim = p.add(limit + 1);
  const all = tokens.map((t) => tokenCondition(p, t));
  const branches: string[] = [];
  // 1. exact numbers (one code token): customer no., payment no. (all its customers), meter no., phone
  if (tokens.length === 1 && tokenKind(tokens[0]) === "code") {
    const code = p.add(tokens[0].toUpperCase());
    branches.push(
      `(select c.id, 0 as rank from customer c where c.station_id = ${st} and c.customer_no = ${code})`,
      `(select c.id, 0 as rank from payment_account pa join customer c on c.payment_account_id = pa.id
         where pa.station_id = ${st} and pa.payment_no = ${code} limit 200)`,
      `(select mi.customer_id as id, 0 as rank from meter m join meter_installation mi on mi.meter_id = m.id
         where m.station_id = ${st} and m.meter_no = ${code})`,
    );
  }
  // 2. every token on the customer row itself
  branches.push(`(select c.id, 1 as rank from customer c where c.station_id = ${st} and ${all.join(" and ")} limit ${lim})`);
  // 3. a number token as payment or meter number prefix, the other tokens on the row
  tokens.forEach((t, i) => {
    if (tokenKind(t) !== "code" || t.length < 3) return;
    const lo = p.add(t.toUpperCase());
    const hi = p.add(t.toUpperCase() + MAXCHAR);
    const rest = all.filter((_, j) => j !== i);
    const restSql = rest.length ? ` and ${rest.join(" and ")}` : "";
    branches.push(
      `(select c.id, 1 as rank from payment_account pa join customer c on c.payment_account_id = pa.id
         where pa.station_id = ${st} and pa.payment_no >= ${lo} and pa.payment_no < ${hi}${restSql} limit ${lim})`,
      `(select c.id, 1 as rank from meter m join meter_installation mi on mi.meter_id = m.id join customer c on c.id = mi.customer_id
         where m.station_id = ${st} and m.meter_no >= ${lo} and m.meter_no < ${hi}${restSql} limit ${lim})`,
    );
  });
  const sql = `
    with hit as (select id, min(rank) as rank from (${branches.join(" union all ")}) b group by id)
    select c.id, c.customer_no, c.name, c.phone, c.address, c.status, c.category, c.payment_method, pa.payment_no,
           case when c.phone = ${p.add(tokens.length === 1 ? tokens[0] : "")} then 0 else hit.rank end as rank
    from hit join customer c on c.id = hit.id left join payment_account pa on pa.id = c.payment_account_id
    order by rank, c.customer_no
    limit ${lim}`;
  return { sql, values: p.values };
}

export async function searchCustomers(stationId: number, q: string, limit = SEARCH_LIMIT): Promise<{ hits: CustomerHit[]; more: boolean }> {
  const tokens = searchTokens(q);
  if (tokens.length === 0) return { hits: [], more: false };
  const { sql, values } = buildSearchSql(stationId, tokens, limit);
  const r = await searchPool().query(sql, values);
  const hits = r.rows.slice(0, limit).map((x) => ({
    id: x.id,
    customerNo: x.customer_no,
    name: x.name,
    phoneMasked: maskPhone(x.phone),
    address: x.address,
    paymentNo: x.payment_no,
    status: x.status,
    category: x.category,
    paymentMethod: x.payment_method,
    exact: x.rank === 0,
  }));
  return { hits, more: r.rows.length > limit };
}
