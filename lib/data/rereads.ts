import "server-only";
// 复抄 (audit-ordered re-read): the reader's open re-reads and recording one. The auditor orders
// it from the worklist (lib/data/audit-exceptions.ts, resolution REREAD: bill held, a
// CATCH_UP_READING visit for the route's reader naming the reading under doubt). Recording it
// is checked like any reading and then, in one transaction: the value becomes the period's
// reading (source REREAD; the old one in the audit row), the visit is done, and the held bill is
// recomputed through the auditor's own path (recomputeBill), so findings that no longer hold are
// cleared and the others stay for the auditor with the re-read noted on them. A re-read that
// finds the same value changes no bill: the exception waits for the auditor to accept it.
import type { Actor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { localDate, localTime, type IsoDate, type Period } from "@/lib/domain/calendar";
import { isRegister } from "@/lib/domain/billing/consumption";
import { expectedRange } from "@/lib/domain/readings/plausibility";
import { formatRegister, parseRegister } from "@/lib/domain/readings/register";
import { judgeReread } from "@/lib/domain/readings/reread";
import { makeT } from "@/lib/i18n/core";
import { pool } from "@/lib/db";
import type { RereadFormInput } from "@/lib/validation/reading";
import { recomputeBill, settleBillStatus } from "./audit-exceptions";
import { auditRaw, withTx, type Db } from "./ledger";
import { meterContexts, type MeterContext } from "./readings";
import { stationContext } from "./routes";

export type RereadFinding = { code: string; details: Record<string, unknown>; resolution: string | null; note: string | null };

export type RereadVisit = {
  visitId: number; plannedOn: IsoDate; customerId: number; customerNo: string; name: string; address: string;
  routeCode: string; routeSeq: number; meterNo: string; registers: string[]; period: Period;
  value: string; peak: string | null; readOn: IsoDate | null; billId: number; kwh: number;
  previous: string | null; expected: { low: string; high: string } | null;
  findings: RereadFinding[]; // the bill's open exceptions: why the value is doubted
};

/** The reader's open re-reads (every one, the planned day shown), in walking order per day. */
export async function rereadsFor(actor: Actor): Promise<RereadVisit[]> {
  const r = await pool.query(
    `select v.id, v.planned_on::text planned_on, c.id customer_id, c.customer_no, c.name, c.address, rt.code route_code, c.route_seq,
            m.meter_no, m.registers, rd.installation_id, rd.period, rd.total::text total, rd.peak::text peak,
            (rd.read_at at time zone s.timezone)::date::text read_on, b.id bill_id, b.kwh,
            (select coalesce(json_agg(json_build_object('code', e.code, 'details', e.details, 'resolution', e.resolution, 'note', e.note) order by e.id), '[]')
               from audit_exception e where e.bill_id = b.id and e.status = 'OPEN') findings
     from visit v
     join reading rd on rd.id = v.reading_id
     join station s on s.id = v.station_id
     join customer c on c.id = v.customer_id
     join route rt on rt.id = c.route_id
     join meter_installation i on i.id = rd.installation_id
     join meter m on m.id = i.meter_id
     join lateral (select id, kwh from bill where reading_id = rd.id and status in ('DRAFT', 'HELD') order by version desc limit 1) b on true
     where v.station_id = $1 and v.staff_id = $2 and v.purpose = 'CATCH_UP_READING' and v.done_at is null and rd.total is not null
       -- still wanted (a visit left open by a clearing before they were withdrawn is not)
       and exists (select 1 from audit_exception e where e.bill_id = b.id and e.status = 'OPEN' and e.resolution = 'REREAD')
     order by v.planned_on, rt.code, c.route_seq limit 200`,
    [actor.stationId, actor.id]);
  if (r.rows.length === 0) return [];
  const ctx = await stationContext(actor.stationId);
  const contexts = new Map<string, MeterContext>();
  for (const period of new Set(r.rows.map((x) => x.period as string))) {
    const ids = r.rows.filter((x) => x.period === period).map((x) => x.installation_id as number);
    for (const [id, c] of await meterContexts(ids, period)) contexts.set(`${id}:${period}`, c);
  }
  return r.rows.map((x) => {
    const m = contexts.get(`${x.installation_id}:${x.period}`);
    const exp = m?.previous ? expectedRange(m.previous.value, m.historyKwh, m.multiplier, m.digits, ctx.settings.readings, m.periodsSpanned) : null;
    return {
      visitId: x.id, plannedOn: x.planned_on, customerId: x.customer_id, customerNo: x.customer_no, name: x.name, address: x.address,
      routeCode: x.route_code, routeSeq: x.route_seq, meterNo: x.meter_no, registers: x.registers, period: x.period,
      value: formatRegister(parseRegister(x.total)), peak: x.peak === null ? null : formatRegister(parseRegister(x.peak)), readOn: x.read_on,
      billId: x.bill_id, kwh: x.kwh,
      previous: m?.previous ? formatRegister(m.previous.value) : null,
      expected: exp ? { low: formatRegister(exp.lowReading), high: formatRegister(exp.highReading) } : null,
      findings: x.findings,
    };
  });
}

export type RereadOutcome = {
  outcome: "CONFIRMED" | "CHANGED";
  value: string; before: string;
  kwhBefore: number; kwhAfter: number; amountBefore: string; amountAfter: string;
  cleared: string[]; // exception codes the new value cleared
  open: string[]; // exception codes still waiting for the auditor (new ones included)
  billStatus: string;
};

type VisitRow = { id: number; customer_id: number; staff_id: number | null; done_at: Date | null; outcome: string | null; reading_id: number | null };
type ReadingRow = {
  total: string; peak: string | null; source: string; reason_code: string | null; installation_id: number; period: string;
};

/** Records an audit-ordered re-read: the visit's own reader or an auditor (readings.reread). */
export async function recordReread(actor: Actor, input: RereadFormInput, now = new Date()): Promise<RereadOutcome> {
  if (!can(actor.role, "readings.reread")) throw new AppError("FORBIDDEN");
  // the action's schema refused letters already; the data layer does not trust its callers
  if (!isRegister(input.value) || (input.peak !== null && !isRegister(input.peak))) throw new AppError("REREAD_VALUE_INVALID");
  const ctx = await stationContext(actor.stationId, now);
  const t = makeT("zh");
  return withTx(async (db) => {
    const visitSql = `select id, customer_id, staff_id, done_at, outcome, reading_id from visit where id = $1 and station_id = $2 and purpose = 'CATCH_UP_READING'`;
    const first = (await db.query<VisitRow>(visitSql, [input.visitId, actor.stationId])).rows[0];
    if (!first || first.reading_id === null) throw new AppError("NOT_FOUND");
    if (actor.role === "READER" && first.staff_id !== actor.id) throw new AppError("REREAD_NOT_YOURS");
    // locks in the order the auditor's clearing takes them (exceptions, bill, then the visit), so
    // a re-read and a clearing of the same bill wait for each other instead of deadlocking
    const found = (await db.query<{ id: number }>(
      `select id from bill where reading_id = $1 and station_id = $2 and status in ('DRAFT', 'HELD') order by version desc limit 1`,
      [first.reading_id, actor.stationId])).rows[0];
    if (!found) throw new AppError(first.done_at ? "REREAD_ALREADY_RECORDED" : "REREAD_NOT_PENDING");
    await db.query(`select id from audit_exception where bill_id = $1 and status = 'OPEN' order by id for update`, [found.id]);
    const bill = (await db.query<{ id: number; customer_id: number; period: string; station_id: number; kwh: number; amount: string; status: string }>(
      `select id, customer_id, period, station_id, kwh, amount::text amount, status::text status from bill where id = $1 for update`, [found.id])).rows[0];
    const v = (await db.query<VisitRow>(`${visitSql} for update`, [input.visitId, actor.stationId])).rows[0];
    if (v.done_at) throw new AppError(v.outcome === "CANCELLED" ? "REREAD_NOT_PENDING" : "REREAD_ALREADY_RECORDED");
    const openBefore = await openCodes(db, bill.id);
    if (bill.status !== "HELD" || !openBefore.some((e) => e.resolution === "REREAD")) throw new AppError("REREAD_NOT_PENDING");
    const rd = (await db.query<ReadingRow>(
      `select total::text total, peak::text peak, source::text source, reason_code, installation_id, period from reading where id = $1 for update`,
      [v.reading_id])).rows[0];
    if (!rd || rd.total === null) throw new AppError("REREAD_NOT_PENDING");

    const m = (await meterContexts([rd.installation_id], rd.period)).get(rd.installation_id);
    if (!m || m.stationId !== actor.stationId) throw new AppError("NOT_FOUND");
    if (actor.role === "READER" && m.readerId !== actor.id) throw new AppError("METER_NOT_ON_ROUTE");
    if (m.removed) throw new AppError("METER_REMOVED");
    const j = judgeReread(input, { total: rd.total, peak: rd.peak, estimated: rd.source === "ESTIMATED" }, {
      previous: m.previous, digits: m.digits, multiplier: m.multiplier, historyKwh: m.historyKwh,
      periodsSpanned: m.periodsSpanned, settings: ctx.settings.readings,
    });
    // reason codes, as the sync endpoint gives them: the action names them in the user's language
    if (!j.ok) throw new AppError(j.code, { reasons: j.reasons.join(",") });

    const value = formatRegister(parseRegister(input.value));
    const before = formatRegister(parseRegister(rd.total));
    const at = `${localDate(now, ctx.timezone)} ${localTime(now, ctx.timezone)}`;
    const remark = input.note ? t("readings.reread.remark", { note: input.note }) : "";
    // a confirmed rollover must stay a rollover: the bill counts the wrap only with that code
    const reasonCode = rd.reason_code === "ROLLOVER" && j.confirms ? "ROLLOVER" : j.reasonCode;
    // an estimate re-read is the period's first actual reading: read now, by this person
    await db.query(
      `update reading set total = $2, peak = coalesce($3, peak), source = 'REREAD', reason_code = $4,
              read_at = case when source = 'ESTIMATED' then $5 else read_at end,
              reader_id = case when source = 'ESTIMATED' then $6 else reader_id end
        where id = $1`,
      [v.reading_id, value, input.peak, reasonCode, now, actor.id]);
    await auditRaw(db, {
      stationId: actor.stationId, actorId: actor.id, action: "reading.reread", targetType: "reading", targetId: v.reading_id, reason: input.note,
      before: { total: rd.total, peak: rd.peak, source: rd.source, reasonCode: rd.reason_code },
      after: { total: value, peak: input.peak ?? rd.peak, source: "REREAD", reasonCode, visitId: v.id, confirms: j.confirms },
    });
    let after = { kwh: bill.kwh, amount: bill.amount };
    if (!j.confirms) {
      const note = t("readings.reread.auditNote", { value, before, who: actor.name });
      const b = await recomputeBill(db, actor, { bill_id: bill.id, customer_id: bill.customer_id, period: bill.period, station_id: bill.station_id }, "REREAD", note, ctx.today);
      after = { kwh: b.kwh, amount: (await db.query<{ a: string }>(`select amount::text a from bill where id = $1`, [bill.id])).rows[0].a };
    }
    // what still waits for the auditor carries the re-read's result
    const noted = j.confirms ? t("readings.reread.notedSame", { value, who: actor.name, at }) : t("readings.reread.notedChanged", { value, before, who: actor.name, at });
    await db.query(
      `update audit_exception set note = concat_ws('；', nullif(note, ''), $2::text) where bill_id = $1 and status = 'OPEN' and resolution = 'REREAD'`,
      [bill.id, noted + remark]);
    await settleBillStatus(db, [bill.id]);
    const outcome = j.confirms ? "CONFIRMED" as const : "CHANGED" as const;
    await db.query(
      `update visit set done_at = $2, outcome = $3, final_reading = $4, note = $5, recorded_by = $6 where id = $1`,
      [v.id, now, outcome, value, input.note, actor.id]);
    const openAfter = await openCodes(db, bill.id);
    const result: RereadOutcome = {
      outcome, value, before, kwhBefore: bill.kwh, kwhAfter: after.kwh, amountBefore: bill.amount, amountAfter: after.amount,
      cleared: openBefore.map((e) => e.code).filter((c) => !openAfter.some((e) => e.code === c)),
      open: openAfter.map((e) => e.code),
      billStatus: (await db.query<{ s: string }>(`select status::text s from bill where id = $1`, [bill.id])).rows[0].s,
    };
    await auditRaw(db, {
      stationId: actor.stationId, actorId: actor.id, action: "visit.reread", targetType: "visit", targetId: v.id, reason: input.note,
      before: { done: false, value: before, kwh: bill.kwh, amount: bill.amount },
      after: { ...result, readingId: v.reading_id, billId: bill.id, reasonCode },
    });
    return result;
  });
}

async function openCodes(db: Db, billId: number) {
  return (await db.query<{ code: string; resolution: string | null }>(
    `select code, resolution from audit_exception where bill_id = $1 and status = 'OPEN' order by code`, [billId])).rows;
}
