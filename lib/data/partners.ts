import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { IsoDate } from "@/lib/domain/calendar";
import { formatYuan, parseYuan, sumFen, type Fen } from "@/lib/domain/money";
import { isPaidOnInWindow, partnerPaidOnWindow } from "@/lib/domain/payments/value-date";
import { auditRaw, fen, stationInfo, stationSettings, stationToday, withTx } from "./ledger";
import { amountDue, recordPayment, type PaymentResult } from "./payments";
import type { PartnerPaymentInput } from "@/lib/validation/partner";

// Collection partners (banks, WeChat/Alipay service providers). Each has its own API key:
// "<code>.<43 base64url characters>" from 32 random bytes, shown once; the database keeps only its
// SHA-256 (key_hash) and a short prefix to recognise it. A request's key is hashed and compared
// in constant time; the partner can query what is owed, post a payment (its transaction id is
// the idempotency key) and reconcile a day, for its own station, nothing else.

export type PartnerCaller = { id: number; stationId: number; code: string; channel: string };

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export async function createPartner(stationId: number, input: { code: string; name: string; channel: string }, actorId: number | null) {
  const key = `${input.code}.${randomBytes(32).toString("base64url")}`;
  return withTx(async (c) => {
    const dup = await c.query(`select 1 from partner where code = $1`, [input.code]);
    if (dup.rowCount) throw new AppError("PARTNER_CODE_TAKEN", { code: input.code });
    const r = await c.query(
      `insert into partner (station_id, code, name, channel, key_hash, key_prefix) values ($1, $2, $3, $4, $5, $6) returning id`,
      [stationId, input.code, input.name, input.channel, sha256(key), key.slice(0, 12)]);
    await auditRaw(c, { stationId, actorId, action: "partner.create", targetType: "partner", targetId: r.rows[0].id, after: { code: input.code, name: input.name, channel: input.channel, keyPrefix: key.slice(0, 12) } });
    return { id: r.rows[0].id as number, key };
  });
}

/** The partner a key belongs to, or null. Constant-time comparison of the hashes; an unknown code
 *  still hashes and compares against a dummy so timing does not reveal which codes exist. */
export async function authenticatePartner(key: string | null): Promise<PartnerCaller | null> {
  if (!key || key.length > 200) return null;
  const code = key.split(".")[0] ?? "";
  const r = code ? await pool.query(`select id, station_id, code, channel::text channel, key_hash, active from partner where code = $1`, [code]) : { rows: [] };
  const row = r.rows[0] as { id: number; station_id: number; code: string; channel: string; key_hash: string; active: boolean } | undefined;
  const expected = Buffer.from(row?.key_hash ?? sha256("no such partner"), "hex");
  const given = Buffer.from(sha256(key), "hex");
  const match = timingSafeEqual(expected, given);
  if (!row || !match || !row.active) return null;
  return { id: row.id, stationId: row.station_id, code: row.code, channel: row.channel };
}

async function resolveTarget(stationId: number, q: { customerNo?: string; paymentNo?: string }) {
  if (q.customerNo) {
    const r = await pool.query(`select id from customer where station_id = $1 and customer_no = $2`, [stationId, q.customerNo]);
    if (!r.rows[0]) throw new AppError("CUSTOMER_NOT_FOUND");
    return { customerId: r.rows[0].id as number };
  }
  const r = await pool.query(`select id from payment_account where station_id = $1 and payment_no = $2`, [stationId, q.paymentNo]);
  if (!r.rows[0]) throw new AppError("PAYMENT_ACCOUNT_NOT_FOUND");
  return { paymentAccountId: r.rows[0].id as number };
}

const Y = (f: Fen) => formatYuan(f);

export async function partnerAmountDue(p: PartnerCaller, q: { customerNo?: string; paymentNo?: string }) {
  const target = await resolveTarget(p.stationId, q);
  const d = (await amountDue(p.stationId, target))!;
  return {
    asOf: d.asOf,
    customerNo: q.customerNo ?? null,
    paymentNo: q.paymentNo ?? null,
    customers: d.customers.map((c) => ({ customerNo: c.customerNo, name: maskName(c.name), status: c.status })),
    bills: d.bills.map((b) => ({ customerNo: b.customerNo, period: b.period, amount: Y(b.amount), unpaid: Y(b.unpaid), dueDate: b.dueDate, lateFee: Y(b.fee) })),
    principal: Y(d.principal), lateFees: Y(d.fees), total: Y(d.total), prepaidFunds: Y(d.prepaidFunds), payable: Y(d.payable),
  };
}

/** 张三丰 → 张*丰: partners show the payer enough to confirm, not the full name. */
function maskName(n: string) {
  const a = [...n];
  if (a.length <= 1) return n;
  if (a.length === 2) return `${a[0]}*`;
  return `${a[0]}${"*".repeat(a.length - 2)}${a[a.length - 1]}`;
}

/** Posts a partner's payment. paidOn must lie in the agreement's window at the station (see
 *  lib/domain/payments/value-date.ts: the late-payment charge runs to paidOn, not to today). */
export async function partnerPay(p: PartnerCaller, input: PartnerPaymentInput, now = new Date()): Promise<PaymentResult> {
  const target = await resolveTarget(p.stationId, input);
  const idempotencyKey = `partner:${p.code}:${input.transactionId}`;
  const today = await stationToday(p.stationId, now);
  // A retry of a transaction already posted answers with the first payment even after its paidOn
  // has left the window (a payment row is never deleted, so this look-up cannot miss one that
  // exists; a new key still goes through the unique insert inside recordPayment).
  const seen = await pool.query(`select 1 from payment where idempotency_key = $1`, [idempotencyKey]);
  if (seen.rowCount === 0 && input.paidOn !== undefined) {
    const { partner } = await stationSettings(pool, p.stationId, today);
    const w = partnerPaidOnWindow(today, partner.paidOnDaysBack);
    if (!isPaidOnInWindow(input.paidOn, w)) throw new AppError("PAID_ON_OUTSIDE_WINDOW", { paidOn: input.paidOn, from: w.from, to: w.to });
  }
  return recordPayment({
    stationId: p.stationId, target, amount: parseYuan(input.amount), channel: p.channel as never, reference: input.transactionId,
    partnerId: p.id, idempotencyKey, clerkId: null, valueDate: input.paidOn ?? today, now,
  });
}

export type ReconReport = {
  source: string; date: IsoDate; fileCount: number; postedCount: number; matched: number;
  fileTotal: string; postedTotal: string;
  mismatches: { transactionId: string; kind: "MISSING_IN_STATION" | "MISSING_IN_FILE" | "AMOUNT_DIFFERS"; fileAmount: string | null; postedAmount: string | null }[];
  // the day's payments that reached the station on a later day (paidOn back-dated within the
  // agreement's window): their value date is `date`, their posting date the station's local day
  valueDateDiffers: { transactionId: string; amount: string; valueDate: IsoDate; postedOn: IsoDate; receiptNo: string | null }[];
  batchId?: number;
};

/** Sets the partner's daily file against what it posted for that value date; reports mismatches
 *  (never posts anything: a missing payment is re-sent through the payments endpoint). */
export async function reconcilePartnerDay(p: PartnerCaller, date: IsoDate, lines: { transactionId: string; amount: string }[]): Promise<ReconReport> {
  const tz = (await stationInfo(pool, p.stationId)).timezone;
  const posted = await pool.query(
    `select reference, amount::text amount, receipt_no, (posted_at at time zone $3)::date::text posted_on
     from payment where partner_id = $1 and value_date = $2 and status = 'POSTED' order by posted_at, id`, [p.id, date, tz]);
  const ours = new Map<string, Fen>(posted.rows.map((x) => [x.reference as string, fen(x.amount)]));
  const valueDateDiffers: ReconReport["valueDateDiffers"] = posted.rows
    .filter((x) => x.posted_on !== date)
    .map((x) => ({ transactionId: x.reference, amount: Y(fen(x.amount)), valueDate: date, postedOn: x.posted_on, receiptNo: x.receipt_no }));
  const theirs = new Map<string, Fen>();
  for (const l of lines) theirs.set(l.transactionId, (theirs.get(l.transactionId) ?? 0) + parseYuan(l.amount));
  const mismatches: ReconReport["mismatches"] = [];
  let matched = 0;
  for (const [tx, amt] of theirs) {
    const o = ours.get(tx);
    if (o === undefined) mismatches.push({ transactionId: tx, kind: "MISSING_IN_STATION", fileAmount: Y(amt), postedAmount: null });
    else if (o !== amt) mismatches.push({ transactionId: tx, kind: "AMOUNT_DIFFERS", fileAmount: Y(amt), postedAmount: Y(o) });
    else matched++;
  }
  for (const [tx, amt] of ours) if (!theirs.has(tx)) mismatches.push({ transactionId: tx, kind: "MISSING_IN_FILE", fileAmount: null, postedAmount: Y(amt) });
  const report: ReconReport = {
    source: `PARTNER ${p.code}`, date, fileCount: theirs.size, postedCount: ours.size, matched,
    fileTotal: Y(sumFen([...theirs.values()])), postedTotal: Y(sumFen([...ours.values()])), mismatches, valueDateDiffers,
  };
  const body = JSON.stringify({ date, lines });
  const r = await pool.query(
    `insert into import_batch (station_id, kind, file_name, sha256, rows, accepted, rejected, report) values ($1, 'PARTNER_RECON', $2, $3, $4, $5, $6, $7) returning id`,
    [p.stationId, `${p.code}-${date}.json`, sha256(body), lines.length, matched, mismatches.length, JSON.stringify(report)]);
  return { ...report, batchId: r.rows[0].id };
}
