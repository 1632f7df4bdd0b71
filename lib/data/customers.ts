import "server-only";
import pg from "pg";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Fen } from "@/lib/domain/money";
import { maskContactValue, maskPhone, searchTokens, tokenKind } from "@/lib/domain/payments/mask";
import { auditRaw, balances, fen, withTx } from "./ledger";

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

// ───────────── the account screen ─────────────

export type ContactView = { id: number; name: string; role: string; channel: string; valueMasked: string; consent: boolean; active: boolean; note: string | null };
export type TimelineItem = { at: string; kind: "reading" | "bill" | "payment" | "reminder" | "visit" | "arrangement" | "complaint" | "ledger"; title: string; detail: string; ref?: number | null; status?: string | null };

export type AccountView = {
  customer: {
    id: number; customerNo: string; name: string; phoneMasked: string; address: string; category: string; usageType: string; status: string;
    paymentMethod: string; flags: string[]; feeControlState: string; bankAccountMasked: string | null; openedOn: string; closedOn: string | null; householdSize: number;
  };
  paymentAccount: { id: number; paymentNo: string; name: string; customers: { id: number; customerNo: string; name: string; address: string }[] } | null;
  contacts: ContactView[];
  balance: { balance: Fen; owed: Fen; prepaidFunds: Fen };
  recentPayments: { id: number; receiptNo: string | null; amount: Fen; channel: string; valueDate: string; postedAt: string; status: string; reversalPending: boolean }[];
  timeline: TimelineItem[];
};

export async function getAccount(stationId: number, customerId: number): Promise<AccountView | null> {
  const cr = await pool.query(
    `select c.id, c.customer_no, c.name, c.phone, c.address, c.category::text category, c.usage_type::text usage_type, c.status::text status,
            c.payment_method::text payment_method, c.flags, c.fee_control_state, c.bank_account_masked, c.opened_on::text opened_on, c.closed_on::text closed_on,
            c.household_size, c.payment_account_id, pa.payment_no, pa.name pa_name
     from customer c left join payment_account pa on pa.id = c.payment_account_id where c.id = $1 and c.station_id = $2`, [customerId, stationId]);
  const c = cr.rows[0];
  if (!c) return null;
  const [siblings, contacts, bal, pays, timeline] = await Promise.all([
    c.payment_account_id
      ? pool.query(`select id, customer_no, name, address from customer where payment_account_id = $1 order by customer_no limit 100`, [c.payment_account_id])
      : Promise.resolve({ rows: [] as { id: number; customer_no: string; name: string; address: string }[] }),
    pool.query(`select id, name, role::text role, channel::text channel, value, consent, active, note from contact where customer_id = $1 order by active desc, id`, [customerId]),
    balances(pool, [customerId]),
    pool.query(
      `select p.id, p.receipt_no, p.status::text status, p.channel::text channel, p.value_date::text value_date, p.posted_at,
              coalesce((select sum(pa.principal + pa.late_fee) from payment_allocation pa where pa.payment_id = p.id and pa.customer_id = $1 and pa.principal + pa.late_fee > 0), p.amount)::text amount,
              exists (select 1 from approval a where a.kind = 'REVERSE_PAYMENT' and a.target_id = p.id and a.status = 'PENDING') reversal_pending
       from payment p
       where p.id in (select payment_id from payment_allocation where customer_id = $1) or p.customer_id = $1
       order by p.posted_at desc limit 20`, [customerId]),
    accountTimeline(customerId),
  ]);
  return {
    customer: {
      id: c.id, customerNo: c.customer_no, name: c.name, phoneMasked: maskPhone(c.phone), address: c.address, category: c.category, usageType: c.usage_type,
      status: c.status, paymentMethod: c.payment_method, flags: c.flags ?? [], feeControlState: c.fee_control_state, bankAccountMasked: c.bank_account_masked,
      openedOn: c.opened_on, closedOn: c.closed_on, householdSize: c.household_size,
    },
    paymentAccount: c.payment_account_id
      ? { id: c.payment_account_id, paymentNo: c.payment_no, name: c.pa_name, customers: siblings.rows.map((s) => ({ id: s.id, customerNo: s.customer_no, name: s.name, address: s.address })) }
      : null,
    contacts: contacts.rows.map((x) => ({ id: x.id, name: x.name, role: x.role, channel: x.channel, valueMasked: maskContactValue(x.channel, x.value), consent: x.consent, active: x.active, note: x.note })),
    balance: bal.get(customerId)!,
    recentPayments: pays.rows.map((p) => ({
      id: p.id, receiptNo: p.receipt_no, amount: fen(p.amount), channel: p.channel, valueDate: p.value_date, postedAt: (p.posted_at as Date).toISOString(),
      status: p.status, reversalPending: p.reversal_pending,
    })),
    timeline,
  };
}

/** One timeline of the last 13 months: readings, bills, payments, reminders (outbox), visits,
 *  arrangements, complaints, closure refunds, newest first. */
async function accountTimeline(customerId: number): Promise<TimelineItem[]> {
  const r = await pool.query(
    `select * from (
       select coalesce(read_at, scheduled_on::timestamptz) at, 'reading' kind, period title,
              coalesce(total::text, '') || case when source <> 'MANUAL' then ' ' || source::text else '' end detail, id ref, reason_code status
       from reading where customer_id = $1 and scheduled_on > current_date - 400
       union all
       select coalesce(released_at, created_at), 'bill', period, amount::text || ' · ' || kwh || ' kWh · ' || due_date::text, id, status::text
       from bill where customer_id = $1 and created_at > now() - interval '400 days'
       union all
       select p.posted_at, 'payment', coalesce(p.receipt_no, ''), p.amount::text || ' · ' || p.channel::text, p.id, p.status::text
       from payment p where (p.customer_id = $1 or p.id in (select payment_id from payment_allocation where customer_id = $1)) and p.posted_at > now() - interval '400 days'
       union all
       select created_at, 'reminder', template, channel::text || ' · ' || left(content, 80), id, status
       from outbox_message where customer_id = $1 and created_at > now() - interval '400 days'
       union all
       select coalesce(done_at, planned_on::timestamptz), 'visit', purpose, coalesce(outcome, ''), id, case when done_at is null then 'PLANNED' else 'DONE' end
       from visit where customer_id = $1 and planned_on > current_date - 400
       union all
       select created_at, 'arrangement', promised_by::text, amount::text || coalesce(' · ' || note, ''), id, status::text
       from payment_arrangement where customer_id = $1 and created_at > now() - interval '400 days'
       union all
       select received_at, 'complaint', kind, left(content, 80), id, status
       from complaint where customer_id = $1 and received_at > now() - interval '400 days'
       union all
       -- 销户退费: prepaid funds paid back (PENDING until the counter pays it out)
       select created_at, 'ledger', 'REFUND', amount::text || ' · ' || channel || coalesce(' · ' || reference, ''), id, status
       from refund where customer_id = $1 and created_at > now() - interval '400 days'
     ) t order by at desc limit 80`, [customerId]);
  return r.rows.map((x) => ({ at: (x.at as Date).toISOString(), kind: x.kind, title: x.title ?? "", detail: x.detail ?? "", ref: x.ref, status: x.status }));
}

// ───────────── contacts (numbers change: 001 says that is why reminders fail) ─────────────

export type ContactInput = { id?: number | null; name: string; role: string; channel: string; value: string; consent: boolean; active: boolean; note?: string | null };

export async function saveContact(actor: { id: number; stationId: number }, customerId: number, input: ContactInput) {
  return withTx(async (c) => {
    const cu = (await c.query(`select id, phone from customer where id = $1 and station_id = $2 for update`, [customerId, actor.stationId])).rows[0];
    if (!cu) throw new AppError("CUSTOMER_NOT_FOUND");
    let before: Record<string, unknown> | undefined;
    let id = input.id ?? null;
    if (id) {
      const old = (await c.query(`select name, role::text role, channel::text channel, value, consent, active from contact where id = $1 and customer_id = $2 for update`, [id, customerId])).rows[0];
      if (!old) throw new AppError("CONTACT_NOT_FOUND");
      before = { ...old, value: maskContactValue(old.channel, old.value) };
      if (!input.value) input = { ...input, value: old.value };
      await c.query(
        `update contact set name = $3, role = $4, channel = $5, value = $6, consent = $7, active = $8, note = $9, updated_at = now() where id = $1 and customer_id = $2`,
        [id, customerId, input.name, input.role, input.channel, input.value, input.consent, input.active, input.note ?? null]);
    } else {
      id = (await c.query(
        `insert into contact (customer_id, name, role, channel, value, consent, active, note, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, now()) returning id`,
        [customerId, input.name, input.role, input.channel, input.value, input.consent, input.active, input.note ?? null])).rows[0].id;
    }
    // the account's search phone follows the holder's own active mobile
    if (input.role === "SELF" && input.active && input.channel === "SMS" && input.value !== cu.phone) {
      await c.query(`update customer set phone = $2, updated_at = now() where id = $1`, [customerId, input.value]);
    }
    await auditRaw(c, {
      stationId: actor.stationId, actorId: actor.id, action: input.id ? "contact.update" : "contact.create", targetType: "contact", targetId: id,
      before, after: { customerId, name: input.name, role: input.role, channel: input.channel, value: maskContactValue(input.channel, input.value), consent: input.consent, active: input.active },
    });
    return id as number;
  });
}

/** Shows a contact's full value (or the account phone when contactId is null): a logged action. */
export async function revealPersonal(actor: { id: number; stationId: number }, customerId: number, contactId: number | null): Promise<string> {
  return withTx(async (c) => {
    const r = contactId === null
      ? (await c.query(`select phone v from customer where id = $1 and station_id = $2`, [customerId, actor.stationId])).rows[0]
      : (await c.query(`select ct.value v from contact ct join customer cu on cu.id = ct.customer_id where ct.id = $1 and ct.customer_id = $2 and cu.station_id = $3`, [contactId, customerId, actor.stationId])).rows[0];
    if (!r) throw new AppError(contactId === null ? "CUSTOMER_NOT_FOUND" : "CONTACT_NOT_FOUND");
    await auditRaw(c, {
      stationId: actor.stationId, actorId: actor.id, action: "personal.reveal", targetType: contactId === null ? "customer" : "contact",
      targetId: contactId ?? customerId, after: { customerId, field: contactId === null ? "phone" : "contact.value" },
    });
    return (r.v as string | null) ?? "";
  });
}
