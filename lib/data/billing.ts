import "server-only";
// Billing runs (start, stop, rerun, progress) and release. The run itself is a background job
// (lib/jobs/billing-run.ts); this module only records the auditor's decisions and queues work.
import { pool, prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { AppError } from "@/lib/errors";
import { formatYuan } from "@/lib/domain/money";
import { settleCredit } from "./payments";
import type { Actor } from "@/lib/auth/guard";
import { addDays, addMonths, localDate, periodOf, zonedInstant, type IsoDate } from "@/lib/domain/calendar";
import { BILLING_RUN_QUEUE, loadSettings } from "@/lib/jobs/billing-run";
import { sendJob } from "@/lib/jobs/queue";
import { makeT } from "@/lib/i18n/core";
import type { StartRunInput } from "@/lib/validation/billing";

export type RunDto = {
  id: number;
  period: string;
  routeIds: number[];
  routeCodes: string[];
  status: "QUEUED" | "RUNNING" | "CANCELLING" | "CANCELLED" | "COMPLETED" | "FAILED";
  total: number;
  done: number;
  billed: number;
  held: number;
  releasable: number; // DRAFT bills of the run that a release would issue
  released: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  releasedAt: string | null;
};

const ACTIVE = ["QUEUED", "RUNNING", "CANCELLING"] as const;

export async function stationToday(stationId: number): Promise<{ today: IsoDate; tz: string }> {
  const s = await prisma.station.findUniqueOrThrow({ where: { id: stationId }, select: { timezone: true } });
  return { today: localDate(new Date(), s.timezone), tz: s.timezone };
}

export async function listRuns(actor: Actor, limit = 20): Promise<RunDto[]> {
  const runs = await prisma.billingRun.findMany({ where: { stationId: actor.stationId }, orderBy: { id: "desc" }, take: limit });
  const routes = await prisma.route.findMany({ where: { stationId: actor.stationId }, select: { id: true, code: true } });
  const codeOf = new Map(routes.map((r) => [r.id, r.code]));
  const ids = runs.map((r) => r.id);
  const counts = ids.length
    ? await pool.query<{ billing_run_id: number; draft: string; released: string }>(
      `select billing_run_id, count(*) filter (where status = 'DRAFT') as draft, count(*) filter (where status = 'RELEASED') as released
         from bill where billing_run_id = any($1::int[]) group by billing_run_id`, [ids])
    : { rows: [] };
  const byRun = new Map(counts.rows.map((c) => [c.billing_run_id, c]));
  return runs.map((r) => ({
    id: r.id,
    period: r.period,
    routeIds: r.routeIds,
    routeCodes: r.routeIds.map((i) => codeOf.get(i) ?? `#${i}`),
    status: r.status,
    total: r.total,
    done: r.done,
    billed: r.billed,
    held: r.held,
    releasable: Number(byRun.get(r.id)?.draft ?? 0),
    released: Number(byRun.get(r.id)?.released ?? 0),
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    releasedAt: r.releasedAt?.toISOString() ?? null,
  }));
}

export async function runProgress(actor: Actor, runId: number) {
  const r = await prisma.billingRun.findFirst({
    where: { id: runId, stationId: actor.stationId },
    select: { id: true, status: true, total: true, done: true, billed: true, held: true, error: true },
  });
  if (!r) throw new AppError("NOT_FOUND");
  return r;
}

async function queueRun(runId: number) {
  try {
    await sendJob(BILLING_RUN_QUEUE, { runId }, { singletonKey: `billing-run-${runId}` });
  } catch (e) {
    console.error("[billing] could not queue run", runId, (e as Error).message);
    await prisma.billingRun.update({ where: { id: runId }, data: { status: "FAILED", error: "QUEUE_UNAVAILABLE" } });
    throw new AppError("QUEUE_UNAVAILABLE");
  }
}

export async function startRun(actor: Actor, input: StartRunInput) {
  const routeIds = [...new Set(input.routeIds)].sort((a, b) => a - b);
  const run = await prisma.$transaction(async (tx) => {
    if (routeIds.length) {
      const n = await tx.route.count({ where: { id: { in: routeIds }, stationId: actor.stationId } });
      if (n !== routeIds.length) throw new AppError("RUN_ROUTES_INVALID");
    }
    // one active run per station and period: two runs writing the same bills at once would
    // only waste work (the unique key keeps the bills right), and confuse the progress bar
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('billing-run'), ${actor.stationId})`;
    const active = await tx.billingRun.findFirst({
      where: { stationId: actor.stationId, period: input.period, status: { in: [...ACTIVE] } },
      select: { id: true },
    });
    if (active) throw new AppError("RUN_ACTIVE", { id: active.id });
    const r = await tx.billingRun.create({
      data: { stationId: actor.stationId, period: input.period, routeIds, startedBy: actor.id },
    });
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "billing.run.start", targetType: "billing_run", targetId: r.id,
      after: { period: input.period, routeIds },
    });
    return r;
  });
  await queueRun(run.id);
  return { id: run.id };
}

export async function stopRun(actor: Actor, runId: number) {
  await prisma.$transaction(async (tx) => {
    const r = await tx.billingRun.findFirst({ where: { id: runId, stationId: actor.stationId } });
    if (!r) throw new AppError("NOT_FOUND");
    if (r.status !== "RUNNING" && r.status !== "QUEUED") throw new AppError("RUN_NOT_CANCELLABLE");
    // a queued run never started: cancelled at once; a running one stops after its chunk
    const next = r.status === "QUEUED" ? "CANCELLED" : "CANCELLING";
    const u = await tx.billingRun.updateMany({ where: { id: runId, status: r.status }, data: { status: next } });
    if (u.count === 0) throw new AppError("RUN_NOT_CANCELLABLE");
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "billing.run.stop", targetType: "billing_run", targetId: runId,
      before: { status: r.status, done: r.done }, after: { status: next },
    });
  });
}

/** Runs again: resumes a stopped or failed run, or picks up late readings after a completed
 *  one. What is already billed is skipped, never billed twice. */
export async function rerun(actor: Actor, runId: number) {
  await prisma.$transaction(async (tx) => {
    const r = await tx.billingRun.findFirst({ where: { id: runId, stationId: actor.stationId } });
    if (!r) throw new AppError("NOT_FOUND");
    if ((ACTIVE as readonly string[]).includes(r.status)) throw new AppError("RUN_NOT_RERUNNABLE");
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('billing-run'), ${actor.stationId})`;
    const active = await tx.billingRun.findFirst({
      where: { stationId: actor.stationId, period: r.period, status: { in: [...ACTIVE] } }, select: { id: true },
    });
    if (active) throw new AppError("RUN_ACTIVE", { id: active.id });
    await tx.billingRun.update({ where: { id: runId }, data: { status: "QUEUED", error: null, done: 0, finishedAt: null } });
    await writeAudit(tx, {
      stationId: actor.stationId, actorId: actor.id, action: "billing.run.rerun", targetType: "billing_run", targetId: runId,
      before: { status: r.status, done: r.done, billed: r.billed },
    });
  });
  await queueRun(runId);
}

/** The open accounting month: the month of `today`, or the month after the last closed one. */
export async function openBookMonth(stationId: number, today: IsoDate): Promise<string> {
  const last = await prisma.monthClose.findFirst({ where: { stationId }, orderBy: { month: "desc" }, select: { month: true } });
  const current = periodOf(today);
  if (!last) return current;
  const next = addMonths(last.month, 1);
  return next > current ? next : current;
}

/** Who receives a customer's bill notice (a lateral subquery over customer `c`): the tenant of a
 *  rented home, an enterprise's finance contact, an elderly customer's proxy, else the customer,
 *  among active consenting contacts on a channel that carries a notice. One rule for every
 *  notice of a bill (release and rebill). */
export const BILL_NOTICE_CONTACT = `
  select x.id, x.channel, x.value from contact x
   where x.customer_id = c.id and x.active and x.consent and x.channel in ('SMS', 'WECHAT', 'EMAIL', 'POST')
   order by case
     when 'RENTED' = any(c.flags) and x.role = 'TENANT' then 0
     when c.category <> 'RESIDENTIAL' and x.role = 'FINANCE' then 0
     when 'ELDERLY_NO_SMS' = any(c.flags) and x.role = 'PROXY' then 0
     when x.role = 'SELF' and not ('ELDERLY_NO_SMS' = any(c.flags) and x.channel = 'SMS') then 1
     else 2 end, x.id
   limit 1`;

/**
 * Release (电费发行): every DRAFT bill of a completed run becomes RELEASED with today as its
 * issue date (the due date is kept, or moved so the customer still has the full period to pay),
 * gets its BILL ledger entry (value date = issue date, book month = the open month) and a bill
 * notice in the outbox (one per bill: dedupe key). HELD bills stay behind until cleared; the
 * run can be released again for them. Three set-based statements in one transaction.
 */
export async function releaseRun(actor: Actor, runId: number) {
  const run = await prisma.billingRun.findFirst({ where: { id: runId, stationId: actor.stationId } });
  if (!run) throw new AppError("NOT_FOUND");
  if (run.status !== "COMPLETED") throw new AppError("RUN_NOT_RELEASABLE");
  const { today, tz } = await stationToday(actor.stationId);
  const settings = await loadSettings(pool, actor.stationId, today);
  const bookMonth = await openBookMonth(actor.stationId, today);
  const notBefore = zonedInstant(today, settings.reminders.sendAt, tz);
  const zh = makeT("zh");
  const template = zh("billing.notice.template");
  const minDue = addDays(today, settings.billing.dueDaysAfterIssue);
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query(`select id from billing_run where id = $1 for update`, [runId]);
    // customers holding prepaid funds: locked before their bills (a payment locks the customer,
    // then the bills), so release and a payment at the counter queue instead of deadlocking
    const funded = (await client.query<{ customer_id: number }>(
      `select c.id as customer_id from customer c where c.id in (
         select pa.customer_id from payment_allocation pa
          where pa.bill_id is null and pa.customer_id in (select customer_id from bill where billing_run_id = $1 and status = 'DRAFT')
          group by pa.customer_id having sum(pa.principal + pa.late_fee) > 0)
       order by c.id for update`, [runId])).rows.map((x) => x.customer_id);
    const r = await client.query<{ bills: string; amount: string | null; notices: string }>(
      `with rel as (
         update bill b set status = 'RELEASED', issue_date = $2::date, due_date = greatest(b.due_date, $3::date), released_at = now()
          where b.billing_run_id = $1 and b.status = 'DRAFT'
          returning b.id, b.station_id, b.customer_id, b.amount, b.period, b.due_date
       ), led as (
         insert into ledger_entry (station_id, customer_id, kind, amount, value_date, book_month, bill_id, actor_id, memo)
         select station_id, customer_id, 'BILL', amount, $2::date, $4, id, $5, '电费 ' || period from rel
         returning 1
       ), note as (
         insert into outbox_message (station_id, customer_id, contact_id, channel, recipient, template, content, dedupe_key, not_before)
         select rel.station_id, rel.customer_id, ct.id, coalesce(ct.channel, 'POST'), left(coalesce(ct.value, c.address), 120), 'bill-notice',
                replace(replace(replace(replace($6, '{customerNo}', c.customer_no), '{period}', rel.period),
                  '{amount}', rel.amount::text), '{dueDate}', rel.due_date::text),
                'bill-notice:' || rel.id, $7
           from rel join customer c on c.id = rel.customer_id
           left join lateral (${BILL_NOTICE_CONTACT}) ct on true
         on conflict (dedupe_key) do nothing
         returning 1
       )
       select count(*) as bills, sum(amount)::text as amount, (select count(*) from note) as notices, (select count(*) from led) as ledger from rel`,
      [runId, today, minDue, bookMonth, actor.id, template, notBefore],
    );
    const bills = Number(r.rows[0].bills);
    // prepaid funds pay the bills just issued: no debt shown, no late fee, no reminder for them
    const prepaid = await settleCredit(client, { stationId: actor.stationId, customerIds: funded, valueDate: today, bookMonth, actorId: actor.id });
    // their notice says so, rather than asking for money already taken from their funds
    if (prepaid.settledBillIds.length > 0) {
      await client.query(
        `update outbox_message o set content = replace(replace(replace($2, '{customerNo}', c.customer_no), '{period}', b.period), '{amount}', b.amount::text)
           from bill b join customer c on c.id = b.customer_id
          where b.id = any($1::int[]) and o.dedupe_key = 'bill-notice:' || b.id and o.status = 'PENDING'`,
        [prepaid.settledBillIds, zh("billing.notice.prepaidTemplate")]);
    }
    await client.query(`update billing_run set released_at = coalesce(released_at, now()), released_by = $2 where id = $1`, [runId, actor.id]);
    await client.query(
      `insert into audit_log (station_id, actor_id, action, target_type, target_id, after) values ($1, $2, 'billing.run.release', 'billing_run', $3, $4)`,
      [actor.stationId, actor.id, String(runId), JSON.stringify({ bills, amount: r.rows[0].amount ?? "0.00", bookMonth, issueDate: today, notices: Number(r.rows[0].notices), prepaidApplied: formatYuan(prepaid.applied), prepaidCustomers: prepaid.customers })],
    );
    await client.query("commit");
    return { bills, amount: r.rows[0].amount ?? "0.00", notices: Number(r.rows[0].notices), prepaidApplied: formatYuan(prepaid.applied), prepaidCustomers: prepaid.customers };
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
