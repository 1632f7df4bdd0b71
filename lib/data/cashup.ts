import "server-only";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { addDays, zonedInstant, type IsoDate } from "@/lib/domain/calendar";
import { formatYuan, sumFen, type Fen } from "@/lib/domain/money";
import { auditRaw, fen, stationInfo, stationToday, withTx } from "./ledger";
import { refundsPaidBetween, type RefundRow } from "./refunds";

// 日结: what was taken on a local day, per clerk and for the station: totals by channel, the list,
// and the differences against the bank result files and partner reconciliation files imported
// that day. Closing a day freezes its figures in cash_up (one per clerk, one for the station).

export type CashupScope = { clerkId: number | null }; // null: the whole station

export type CashupView = {
  day: IsoDate;
  clerkId: number | null;
  byChannel: { channel: string; count: number; amount: Fen }[];
  total: Fen;
  count: number;
  reversed: { count: number; amount: Fen };
  // valueDate: the payment day; a partner may post a payment days after it was paid (its agreement's
  // window), so the day's list flags every payment whose value date is not the posting day
  payments: { id: number; receiptNo: string | null; postedAt: string; valueDate: IsoDate; channel: string; amount: Fen; status: string; clerk: string | null; customerNo: string | null; paymentNo: string | null; reference: string | null }[];
  backDated: { count: number; amount: Fen }; // posted payments of the day whose value date is earlier
  files: { source: string; name: string; fileTotal: Fen; postedTotal: Fen; difference: Fen; mismatches: number }[];
  // prepaid funds paid back at closures (销户退费): money out of the drawer, never part of `total`
  refunds: { count: number; amount: Fen; cashAmount: Fen; list: RefundRow[] };
  closed: { by: string | null; at: string; figures: unknown } | null;
};

async function dayBounds(stationId: number, day: IsoDate) {
  const tz = (await stationInfo(pool, stationId)).timezone;
  return { from: zonedInstant(day, "00:00", tz), to: zonedInstant(addDays(day, 1), "00:00", tz) };
}

export async function cashupDay(stationId: number, day: IsoDate, scope: CashupScope): Promise<CashupView> {
  const { from, to } = await dayBounds(stationId, day);
  const clerkCond = scope.clerkId === null ? "" : "and p.clerk_id = $4";
  const params: unknown[] = [stationId, from, to];
  if (scope.clerkId !== null) params.push(scope.clerkId);
  const [list, files, closed, refunds] = await Promise.all([
    pool.query(
      `select p.id, p.receipt_no, p.posted_at, p.value_date::text value_date, p.channel::text channel, p.amount::text amount, p.status::text status, u.name clerk,
              c.customer_no, pa.payment_no, p.reference
       from payment p left join app_user u on u.id = p.clerk_id left join customer c on c.id = p.customer_id
       left join payment_account pa on pa.id = p.payment_account_id
       where p.station_id = $1 and p.posted_at >= $2 and p.posted_at < $3 ${clerkCond}
       order by p.posted_at, p.id limit 5000`, params),
    // files imported that day (bank results, partner reconciliations) and what they say against what was posted
    scope.clerkId === null
      ? pool.query(
        `select kind, file_name, report from import_batch where station_id = $1 and created_at >= $2 and created_at < $3 and kind in ('BANK_RESULT', 'PARTNER_RECON') order by id`,
        [stationId, from, to])
      : Promise.resolve({ rows: [] as { kind: string; file_name: string; report: Record<string, unknown> }[] }),
    pool.query(
      `select cu.figures, cu.closed_at, u.name from cash_up cu left join app_user u on u.id = cu.closed_by
       where cu.station_id = $1 and cu.day = $2 and ${scope.clerkId === null ? "cu.clerk_id is null" : "cu.clerk_id = $3"} order by cu.id desc limit 1`,
      scope.clerkId === null ? [stationId, day] : [stationId, day, scope.clerkId]),
    refundsPaidBetween(stationId, from, to, scope.clerkId),
  ]);
  const payments = list.rows.map((p) => ({
    id: p.id as number, receiptNo: p.receipt_no as string | null, postedAt: (p.posted_at as Date).toISOString(), valueDate: p.value_date as IsoDate, channel: p.channel as string,
    amount: fen(p.amount), status: p.status as string, clerk: p.clerk as string | null, customerNo: p.customer_no as string | null,
    paymentNo: p.payment_no as string | null, reference: p.reference as string | null,
  }));
  const posted = payments.filter((p) => p.status === "POSTED");
  const channels = new Map<string, { count: number; amount: Fen }>();
  for (const p of posted) {
    const c = channels.get(p.channel) ?? { count: 0, amount: 0 };
    c.count++;
    c.amount += p.amount;
    channels.set(p.channel, c);
  }
  const rev = payments.filter((p) => p.status !== "POSTED");
  const backDated = posted.filter((p) => p.valueDate !== day);
  return {
    day, clerkId: scope.clerkId,
    byChannel: [...channels.entries()].map(([channel, v]) => ({ channel, ...v })).sort((a, b) => a.channel.localeCompare(b.channel)),
    total: sumFen(posted.map((p) => p.amount)), count: posted.length,
    reversed: { count: rev.length, amount: sumFen(rev.map((p) => p.amount)) },
    payments,
    backDated: { count: backDated.length, amount: sumFen(backDated.map((p) => p.amount)) },
    files: files.rows.map((f) => {
      const r = f.report as { fileTotal?: string; postedTotal?: string; mismatches?: unknown[]; source?: string };
      const fileTotal = fen(r.fileTotal ?? "0");
      const postedTotal = fen(r.postedTotal ?? "0");
      return { source: r.source ?? f.kind, name: f.file_name, fileTotal, postedTotal, difference: fileTotal - postedTotal, mismatches: r.mismatches?.length ?? 0 };
    }),
    refunds: {
      count: refunds.length, amount: sumFen(refunds.map((r) => r.amount)),
      cashAmount: sumFen(refunds.filter((r) => r.channel === "CASH").map((r) => r.amount)), list: refunds,
    },
    closed: closed.rows[0] ? { by: closed.rows[0].name, at: (closed.rows[0].closed_at as Date).toISOString(), figures: closed.rows[0].figures } : null,
  };
}

/** Closes a day for a clerk (their own) or the station (clerkId null): freezes the figures. */
export async function closeCashup(actor: { id: number; stationId: number }, day: IsoDate, scope: CashupScope) {
  if (day > (await stationToday(actor.stationId))) throw new AppError("CASHUP_DAY_IN_FUTURE");
  const view = await cashupDay(actor.stationId, day, scope);
  return withTx(async (c) => {
    // cash_up's unique key does not stop two station-wide rows (clerk_id null): serialise instead
    await c.query(`select pg_advisory_xact_lock($1, $2)`, [7_305_002, actor.stationId]);
    const dup = await c.query(
      `select 1 from cash_up where station_id = $1 and day = $2 and ${scope.clerkId === null ? "clerk_id is null" : "clerk_id = $3"}`,
      scope.clerkId === null ? [actor.stationId, day] : [actor.stationId, day, scope.clerkId]);
    if (dup.rowCount) throw new AppError("CASHUP_ALREADY_CLOSED", { day });
    const figures = {
      day, total: formatYuan(view.total), count: view.count,
      byChannel: view.byChannel.map((x) => ({ channel: x.channel, count: x.count, amount: formatYuan(x.amount) })),
      reversed: { count: view.reversed.count, amount: formatYuan(view.reversed.amount) },
      receipts: view.payments.filter((p) => p.status === "POSTED").map((p) => p.receiptNo),
      backDated: view.payments.filter((p) => p.status === "POSTED" && p.valueDate !== day).map((p) => ({ receiptNo: p.receiptNo, valueDate: p.valueDate })),
      files: view.files.map((f) => ({ ...f, fileTotal: formatYuan(f.fileTotal), postedTotal: formatYuan(f.postedTotal), difference: formatYuan(f.difference) })),
      refunds: { count: view.refunds.count, amount: formatYuan(view.refunds.amount), cash: formatYuan(view.refunds.cashAmount), ids: view.refunds.list.map((r) => r.id) },
    };
    const r = await c.query(
      `insert into cash_up (station_id, day, clerk_id, figures, closed_by) values ($1, $2, $3, $4, $5) returning id`,
      [actor.stationId, day, scope.clerkId, JSON.stringify(figures), actor.id]);
    await auditRaw(c, { stationId: actor.stationId, actorId: actor.id, action: "cashup.close", targetType: "cash_up", targetId: r.rows[0].id, after: figures });
    return { id: r.rows[0].id as number, figures };
  });
}
