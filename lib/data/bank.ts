import "server-only";
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { IsoDate, Period } from "@/lib/domain/calendar";
import { formatYuan, parseYuan, sumFen, type Fen } from "@/lib/domain/money";
import { translate } from "@/lib/i18n/core";
import { BANK_RESULT_COLUMNS, bankResultRowSchema } from "@/lib/validation/bank";
import { fen, stationToday, withTx } from "./ledger";
import { recordPayment } from "./payments";
import { enqueueSms } from "./prepaid";

// 银行代扣. Export: what to debit this month from the bank-debit customers (set-based, one query).
// Import of the bank's result file: the whole file is checked first (header, every row, the
// customer numbers, duplicate line references); one bad row refuses the file with row numbers and
// reasons and nothing is posted. Successes are posted through recordPayment with the idempotency
// key bank:<bank>:<line_ref>, so importing the same file again posts nothing new; failures for
// insufficient funds queue a top-up reminder (催存) in the outbox, once per line.

export const MAX_BANK_ROWS = 50_000;

/** The month's debit file: one line per bank-debit customer with something to debit (CSV). */
export async function exportDebitFile(stationId: number, month: Period): Promise<{ fileName: string; csv: string; rows: number; total: Fen }> {
  const r = await pool.query(
    `select c.customer_no, c.name, coalesce(c.bank_account_masked, '') bank_account,
            (sum(b.amount - b.paid_amount) - coalesce((select sum(pa.principal + pa.late_fee) from payment_allocation pa
                                                       where pa.customer_id = c.id and pa.bill_id is null), 0))::text amount
     from customer c join bill b on b.customer_id = c.id
     where c.station_id = $1 and c.payment_method = 'BANK_DEBIT' and c.status <> 'CLOSED'
       and b.status = 'RELEASED' and b.settled_on is null and b.period <= $2
     group by c.id order by c.customer_no`, [stationId, month]);
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = ["line_ref,customer_no,name,bank_account,amount,period"];
  let total = 0;
  let rows = 0;
  for (const x of r.rows) {
    const amount = fen(x.amount);
    if (amount <= 0) continue; // prepaid funds already cover it
    total += amount;
    rows++;
    lines.push([`${month}-${x.customer_no}`, x.customer_no, esc(x.name), esc(x.bank_account), formatYuan(amount), month].join(","));
  }
  return { fileName: `debit-${month}.csv`, csv: `${lines.join("\n")}\n`, rows, total };
}

export type BankRowError = { line: number; reason: string };
export type BankImportReport = {
  source: string; bank: string; rows: number; posted: number; skipped: number; failed: number; insufficient: number;
  fileTotal: string; postedTotal: string; newTotal: string; errors: BankRowError[]; batchId?: number;
};

type Row = { line: number; lineRef: string; customerNo: string; amount: Fen; status: "SUCCESS" | "FAILED"; reason: string };

/** Parses and checks the whole file; nothing touches the money tables here. */
export async function validateBankFile(stationId: number, content: string): Promise<{ rows: Row[]; errors: BankRowError[]; customers: Map<string, number> }> {
  const errors: BankRowError[] = [];
  let records: string[][];
  try {
    records = parse(content.replace(/^\uFEFF/, ""), { skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    return { rows: [], errors: [{ line, reason: `CSV 格式错误：${(e as { code?: string }).code === "CSV_QUOTE_NOT_CLOSED" ? "引号未闭合" : "无法解析"}` }], customers: new Map() };
  }
  if (records.length < 2) throw new AppError("BANK_FILE_EMPTY");
  if (records.length - 1 > MAX_BANK_ROWS) throw new AppError("BANK_FILE_TOO_LARGE", { max: MAX_BANK_ROWS });
  const header = records[0].map((h) => h.toLowerCase());
  const idx = Object.fromEntries(BANK_RESULT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof BANK_RESULT_COLUMNS)[number], number>;
  const missing = BANK_RESULT_COLUMNS.filter((c) => c !== "reason" && idx[c] < 0);
  if (missing.length) return { rows: [], errors: [{ line: 1, reason: `表头缺少列：${missing.join(", ")}（须为 ${BANK_RESULT_COLUMNS.join(",")}）` }], customers: new Map() };
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((rec, i) => {
    const line = i + 2; // 1-based, after the header
    if (rec.length < header.length - (idx.reason < 0 ? 0 : 1)) {
      errors.push({ line, reason: `列数不足（${rec.length} 列，应为 ${header.length} 列）` });
      return;
    }
    const raw = Object.fromEntries(BANK_RESULT_COLUMNS.map((c) => [c, idx[c] >= 0 ? rec[idx[c]] ?? "" : ""]));
    const p = bankResultRowSchema.safeParse(raw);
    if (!p.success) {
      errors.push({ line, reason: p.error.issues.map((x) => x.message).join("；") });
      return;
    }
    const prev = seen.get(p.data.line_ref);
    if (prev) {
      errors.push({ line, reason: `line_ref ${p.data.line_ref} 与第 ${prev} 行重复` });
      return;
    }
    seen.set(p.data.line_ref, line);
    rows.push({ line, lineRef: p.data.line_ref, customerNo: p.data.customer_no, amount: parseYuan(p.data.amount), status: p.data.status, reason: p.data.reason });
  });
  // every customer number must be this station's
  const nos = [...new Set(rows.map((r) => r.customerNo))];
  const found = await pool.query(`select id, customer_no from customer where station_id = $1 and customer_no = any($2::text[])`, [stationId, nos]);
  const customers = new Map<string, number>(found.rows.map((x) => [x.customer_no as string, x.id as number]));
  for (const r of rows) if (!customers.has(r.customerNo)) errors.push({ line: r.line, reason: `户号 ${r.customerNo} 不存在或不属于本所` });
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, customers };
}

async function pool8<T>(items: T[], fn: (x: T) => Promise<void>, n = 8) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

export async function importBankResult(
  actor: { id: number; stationId: number }, input: { bank: string; fileName: string; content: string; debitDate?: IsoDate },
): Promise<{ ok: true; report: BankImportReport } | { ok: false; report: BankImportReport }> {
  const sha = createHash("sha256").update(input.content).digest("hex");
  const v = await validateBankFile(actor.stationId, input.content);
  const base: BankImportReport = {
    source: `BANK ${input.bank}`, bank: input.bank, rows: v.rows.length + v.errors.length, posted: 0, skipped: 0, failed: 0, insufficient: 0,
    fileTotal: formatYuan(sumFen(v.rows.filter((r) => r.status === "SUCCESS").map((r) => r.amount))), postedTotal: "0.00", newTotal: "0.00", errors: v.errors,
  };
  const batch = async (report: BankImportReport, accepted: number, rejected: number) => {
    const r = await pool.query(
      `insert into import_batch (station_id, kind, file_name, sha256, rows, accepted, rejected, report, created_by) values ($1, 'BANK_RESULT', $2, $3, $4, $5, $6, $7, $8) returning id`,
      [actor.stationId, input.fileName.slice(0, 200), sha, report.rows, accepted, rejected, JSON.stringify(report), actor.id]);
    return r.rows[0].id as number;
  };
  if (v.errors.length > 0) {
    // refused as a whole: recorded for the audit trail, nothing posted
    return { ok: false, report: { ...base, batchId: await batch(base, 0, v.errors.length) } };
  }
  const valueDate = input.debitDate || (await stationToday(actor.stationId));
  let posted = 0, skipped = 0, newTotal = 0, postedTotal = 0;
  const postErrors: BankRowError[] = [];
  const successes = v.rows.filter((r) => r.status === "SUCCESS");
  await pool8(successes, async (r) => {
    try {
      const res = await recordPayment({
        stationId: actor.stationId, target: { customerId: v.customers.get(r.customerNo)! }, amount: r.amount, channel: "BANK_DEBIT",
        reference: r.lineRef, idempotencyKey: `bank:${input.bank}:${r.lineRef}`, clerkId: actor.id, valueDate,
      });
      postedTotal += res.amount;
      if (res.duplicate) skipped++;
      else { posted++; newTotal += res.amount; }
    } catch (e) {
      // a row the whole-file check could not foresee (a line reference reused with another amount,
      // a closed account overpaid): reported, the rest still posted; a re-import retries it
      postErrors.push({ line: r.line, reason: e instanceof AppError ? translate("zh", `errors.${e.code}`, e.params) : "入账失败" });
    }
  });
  const failures = v.rows.filter((r) => r.status === "FAILED");
  const insufficient = failures.filter((r) => r.reason === "INSUFFICIENT_FUNDS");
  if (insufficient.length > 0) {
    await withTx(async (c) => {
      for (const r of insufficient) {
        await enqueueSms(c, {
          stationId: actor.stationId, customerId: v.customers.get(r.customerNo)!, template: "bank-topup",
          content: translate("zh", "payments.sms.bankTopUp", { customerNo: r.customerNo, amount: formatYuan(r.amount) }),
          dedupeKey: `bank-topup:${input.bank}:${r.lineRef}`,
        });
      }
    });
  }
  const report: BankImportReport = {
    ...base, posted, skipped, failed: failures.length, insufficient: insufficient.length,
    postedTotal: formatYuan(postedTotal), newTotal: formatYuan(newTotal), errors: postErrors.sort((a, b) => a.line - b.line),
  };
  report.batchId = await batch(report, successes.length - postErrors.length, postErrors.length);
  return { ok: true, report };
}

export async function recentBankBatches(stationId: number) {
  const r = await pool.query(
    `select b.id, b.file_name, b.rows, b.accepted, b.rejected, b.report, b.created_at, u.name from import_batch b left join app_user u on u.id = b.created_by
     where b.station_id = $1 and b.kind = 'BANK_RESULT' order by b.id desc limit 20`, [stationId]);
  return r.rows.map((x) => ({ id: x.id as number, fileName: x.file_name as string, rows: x.rows as number, accepted: x.accepted as number, rejected: x.rejected as number, report: x.report as BankImportReport, createdAt: (x.created_at as Date).toISOString(), by: x.name as string | null }));
}
