// 复抄 end to end against a real database: the auditor orders a re-read from the worklist, the
// route's reader sees it with the reading under doubt and why, and records what the meter shows.
// A different value replaces the reading and recomputes the held bill through the auditor's own
// path (findings that no longer hold cleared, the visit done, audit rows); the same value leaves
// the bill alone and the exception waiting, with the re-read noted and shown on the worklist.
// Another reader is refused, letters are refused with a Chinese message and change nothing,
// clearing the exception otherwise or closing the account withdraws the visit, and a normal
// reading of the next period never closes an open re-read.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ user: null as null | { id: number; sv: number } }));
vi.mock("next-auth", async () => {
  const { stubSession } = await import("../support/session-stub");
  return { getServerSession: () => stubSession(session.user) };
});
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { executeBillingRun } from "@/lib/jobs/billing-run";
import { acceptMany, clearException, listExceptions } from "@/lib/data/audit-exceptions";
import { releaseRun } from "@/lib/data/billing";
import { decideApproval } from "@/lib/data/approvals";
import { recordSiteCheck } from "@/lib/data/closures";
import { decideMissedReading, recordReadings } from "@/lib/data/readings";
import { recordReread, rereadsFor } from "@/lib/data/rereads";
import { recordRereadAction } from "@/app/reader/visits/actions";
import { addCustomers, seedBillingBase, staffOf, type BillingBase } from "./billing-fixtures";
import { closeDb } from "./readings-fixtures";

const P = "2026-11";
const NEXT = "2026-12";
const code = (e: unknown) => (e instanceof AppError ? e.code : String(e));
const one = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await pool.query(sql, args)).rows[0] as T;

let base: BillingBase;
let auditor: Actor, reader: Actor, reader2: Actor, manager: Actor, clerk: Actor;
let runId: number;
// A: misread, the re-read differs · B: the re-read confirms · C: refusals, then an auditor records
// D: two re-read orders, cleared by the auditor · E: corrected by the auditor · F: closed · G: next period
let A: number, B: number, C: number, D: number, E: number, F: number, G: number;

const monthly = (periods: string[], start: number, kwh: number) => Object.fromEntries(periods.map((p, i) => [p, { total: String(start + i * kwh) }]));
// three actual readings 200 kWh apart (the expected range: 60–600 kWh), then the doubted one
const doubtful = (cur: string) => ({ ...monthly(["2026-08", "2026-09", "2026-10"], 600, 200), [P]: { total: cur } });
const history = (kwh: number[]) => Object.fromEntries(kwh.map((k, i) => [new Date(Date.UTC(2025, 10 + i, 1)).toISOString().slice(0, 7), k]));

async function exceptions(customerId: number) {
  return (await pool.query<{ id: number; code: string; status: string; resolution: string | null; note: string | null; cleared_by: number | null }>(
    `select id, code, status::text status, resolution, note, cleared_by from audit_exception where customer_id = $1 and period = $2 order by code`,
    [customerId, P])).rows;
}
const exceptionOf = async (customerId: number, c: string) => (await exceptions(customerId)).find((e) => e.code === c)!;
const billOf = (customerId: number) => one<{ id: number; status: string; kwh: number; amount: string }>(
  `select id, status::text status, kwh, amount::text amount from bill where customer_id = $1 and period = $2`, [customerId, P]);
const readingOf = (customerId: number, period = P) => one<{ id: number; total: string; source: string; reason_code: string | null; read_at: Date }>(
  `select id, total::text total, source::text source, reason_code, read_at from reading where customer_id = $1 and period = $2`, [customerId, period]);
const visitsOf = async (customerId: number) => (await pool.query<{ id: number; staff_id: number; done_at: Date | null; outcome: string | null; final_reading: string | null; recorded_by: number | null; reading_id: number | null; note: string | null }>(
  `select id, staff_id, done_at, outcome, final_reading::text final_reading, recorded_by, reading_id, note from visit
    where customer_id = $1 and purpose = 'CATCH_UP_READING' order by id`, [customerId])).rows;
const auditRows = async (actorId: number) => (await pool.query<{ action: string; target_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
  `select action, target_id, before, after from audit_log where actor_id = $1 order by id`, [actorId])).rows;
const orderReread = (customerId: number, c: string, note = "电量异常，请复抄核实") =>
  exceptionOf(customerId, c).then((e) => clearException(auditor, { resolution: "REREAD", exceptionId: e.id, note }));
const reread = (a: Actor, visitId: number, value: string, over: Partial<{ again: string | null; reasonCode: "VERIFIED" | null; note: string | null; peak: string | null }> = {}) =>
  recordReread(a, { visitId, value, peak: null, again: null, reasonCode: null, note: null, ...over });
function form(fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}
const signIn = (a: Actor | null) => { session.user = a ? { id: a.id, sv: 0 } : null; };

beforeAll(async () => {
  base = await seedBillingBase(pool);
  ({ auditor, manager, reader, reader2, clerk } = staffOf(base));
  await pool.query(`update route set reader_id = $1 where id = $2`, [reader.id, base.routeIds[0]]);
  await pool.query(`update route set reader_id = $1 where id = $2`, [reader2.id, base.routeIds[1]]);
  const h200 = history(Array(12).fill(200));
  [A, B, C, D, E, F, G] = await addCustomers(pool, base, [
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
    { tariff: "SD-RES", readings: { "2026-10": { total: "800" }, [P]: { total: "800" } }, history: history([200, 200, 200, 200, 200, 200, 200, 0, 0, 0, 0, 0]) },
    { tariff: "SD-RES", readings: doubtful("1700"), history: h200 },
  ]);
  runId = (await one<{ id: number }>(`insert into billing_run (station_id, period) values ($1, $2) returning id`, [base.stationId, P])).id;
  await executeBillingRun(pool, runId, { asOf: "2026-11-19" });
  for (const id of [A, B, C, E, G]) await orderReread(id, "HISTORY_HIGH");
});

afterAll(closeDb);

describe("the reader's open re-reads", () => {
  it("lists his own with the reading under doubt and why; another reader sees none", async () => {
    expect((await exceptions(A)).map((e) => e.code)).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]);
    const mine = await rereadsFor(reader);
    expect(mine.map((v) => v.customerId).sort((x, y) => x - y)).toEqual([A, B, C, E, G].sort((x, y) => x - y));
    const a = mine.find((v) => v.customerId === A)!;
    expect(a).toMatchObject({ value: "1700.00", previous: "1000.00", expected: { low: "1060.00", high: "1600.00" }, period: P, kwh: 700, readOn: "2026-11-18" });
    expect(a.findings).toEqual([
      expect.objectContaining({ code: "HISTORY_HIGH", resolution: "REREAD", note: "电量异常，请复抄核实" }),
      expect.objectContaining({ code: "MONTH_ON_MONTH_INCREASE", resolution: null }),
    ]);
    const [v] = await visitsOf(A);
    expect(v).toMatchObject({ staff_id: reader.id, done_at: null, reading_id: (await readingOf(A)).id });
    expect(await rereadsFor(reader2)).toEqual([]);
  });
});

describe("recording a re-read", () => {
  it("a different value: stored as the period's reading, the bill recomputed, findings that no longer hold cleared, visit done", async () => {
    const [v] = await visitsOf(A);
    const before = await readingOf(A);
    const out = await reread(reader, v.id, "1205", { note: "表前有遮挡，上次看错" });
    expect(out).toMatchObject({ outcome: "CHANGED", value: "1205.00", before: "1700.00", kwhBefore: 700, kwhAfter: 205, open: [], billStatus: "DRAFT" });
    expect(out.cleared.sort()).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]);
    const rd = await readingOf(A);
    expect(rd).toMatchObject({ total: "1205.00", source: "REREAD", reason_code: null });
    expect(rd.read_at).toEqual(before.read_at); // the period was read on its day; the re-read corrected the value
    expect(await billOf(A)).toMatchObject({ status: "DRAFT", kwh: 205, amount: out.amountAfter });
    expect(out.amountAfter).not.toBe(out.amountBefore);
    expect((await exceptions(A)).every((e) => e.status === "CLEARED" && e.resolution === "REREAD" && e.cleared_by === reader.id)).toBe(true);
    expect((await visitsOf(A))[0]).toMatchObject({ outcome: "CHANGED", final_reading: "1205.00", recorded_by: reader.id, note: "表前有遮挡，上次看错" });
    expect((await visitsOf(A))[0].done_at).not.toBeNull();
    const targets = [String(v.id), String(rd.id), String((await billOf(A)).id)];
    const logs = (await auditRows(reader.id)).filter((l) => targets.includes(l.target_id));
    expect(logs.map((l) => l.action)).toEqual(["reading.reread", "bill.recompute", "visit.reread"]);
    expect(logs[0]).toMatchObject({ before: { total: "1700.00", source: "MANUAL" }, after: { total: "1205.00", source: "REREAD" } });
    expect(logs[1]).toMatchObject({ before: { kwh: 700 }, after: { kwh: 205, findings: [] } });
    expect((await rereadsFor(reader)).map((x) => x.customerId)).not.toContain(A);
    // recorded once
    expect(code(await reread(reader, v.id, "1205").catch((e) => e))).toBe("REREAD_ALREADY_RECORDED");
  });

  it("the same value: the bill unchanged, the re-read noted on the exception that waits for the auditor", async () => {
    const [v] = await visitsOf(B);
    const bill = await billOf(B);
    const out = await reread(reader, v.id, "1700.0");
    expect(out).toMatchObject({ outcome: "CONFIRMED", kwhBefore: 700, kwhAfter: 700, amountAfter: bill.amount, cleared: [], billStatus: "HELD" });
    expect(await billOf(B)).toEqual(bill);
    expect(await readingOf(B)).toMatchObject({ total: "1700.00", source: "REREAD", reason_code: "REREAD_CONFIRMED" });
    const e = await exceptionOf(B, "HISTORY_HIGH");
    expect(e).toMatchObject({ status: "OPEN", resolution: "REREAD" });
    expect(e.note).toContain("电量异常，请复抄核实");
    expect(e.note).toContain(`复抄一致：示数 1700.00（${reader.name}`);
    expect(await exceptionOf(B, "MONTH_ON_MONTH_INCREASE")).toMatchObject({ status: "OPEN", resolution: null, note: null });
    expect((await visitsOf(B))[0]).toMatchObject({ outcome: "CONFIRMED", final_reading: "1700.00", recorded_by: reader.id });
    // the worklist shows the re-read came back: who, when, what
    const row = (await listExceptions(auditor, { period: P })).find((r) => r.id === e.id)!;
    expect(row.reread).toMatchObject({ visitId: v.id, outcome: "CONFIRMED", value: "1700.00", before: "1700.00", recordedBy: reader.name });
    expect(row.reread!.doneAt).not.toBeNull();
    // the auditor accepts; the done visit stays done
    await clearException(auditor, { resolution: "ACCEPT", exceptionId: e.id, note: "复抄确认属实" });
    expect((await visitsOf(B))[0].outcome).toBe("CONFIRMED");
  });

  it("refuses another reader, a clerk, letters and an unconfirmed misread, changing nothing; an auditor may record it", async () => {
    const [v] = await visitsOf(C);
    const snapshot = async () => ({ reading: await readingOf(C), bill: await billOf(C), exc: await exceptions(C), visit: (await visitsOf(C))[0],
      audits: (await one<{ n: number }>(`select count(*)::int n from audit_log`)).n });
    const before = await snapshot();
    expect(code(await reread(reader2, v.id, "1205").catch((e) => e))).toBe("REREAD_NOT_YOURS");
    expect(code(await reread(clerk, v.id, "1205").catch((e) => e))).toBe("FORBIDDEN");
    expect(code(await reread(reader, v.id, "12a4").catch((e) => e))).toBe("REREAD_VALUE_INVALID");
    const low = await reread(reader, v.id, "990").catch((e) => e);
    expect(code(low)).toBe("READING_NEEDS_REREAD");
    expect((low as AppError).params).toEqual({ reasons: "BELOW_PREVIOUS" });
    expect(code(await reread(reader, v.id, "1650").catch((e) => e))).toBe("READING_NEEDS_CONFIRM");
    // through the server action, as the tablet sends it
    signIn(reader);
    const letters = await recordRereadAction(null, form({ visitId: String(v.id), value: "12a4", note: "" }));
    expect(letters).toMatchObject({ status: "invalid", message: "输入有误，请按提示修改后再提交。", fieldErrors: { value: ["读数只能是数字，最多两位小数（如 12345.6）。"] } });
    const misread = await recordRereadAction(null, form({ visitId: String(v.id), value: "990" }));
    expect(misread).toMatchObject({ status: "error", code: "READING_NEEDS_REREAD", needs: "again", reasons: ["BELOW_PREVIOUS"] });
    expect(misread?.message).toBe("读数异常（低于上次读数），须复抄确认后才能保存。");
    signIn(reader2);
    expect(await recordRereadAction(null, form({ visitId: String(v.id), value: "1205" }))).toMatchObject({ status: "error", code: "REREAD_NOT_YOURS" });
    signIn(clerk);
    expect(await recordRereadAction(null, form({ visitId: String(v.id), value: "1205" }))).toMatchObject({ status: "error", code: "FORBIDDEN" });
    signIn(null);
    expect(await snapshot()).toEqual(before);
    // an auditor records it (as with site checks); an unusual value with the reader's reason
    signIn(auditor);
    const ok = await recordRereadAction(null, form({ visitId: String(v.id), value: "1650", reasonCode: "VERIFIED", note: "核算员到现场复核" }));
    signIn(null);
    expect(ok).toMatchObject({ status: "ok" });
    expect(ok?.message).toContain("已按复抄示数 1650.00（原 1700.00）重算：700 → 650 千瓦时");
    expect(await readingOf(C)).toMatchObject({ total: "1650.00", source: "REREAD", reason_code: "VERIFIED" });
    expect((await visitsOf(C))[0]).toMatchObject({ outcome: "CHANGED", recorded_by: auditor.id });
    // 650 kWh is still far above the history: those findings stay for the auditor, noted
    const left = (await exceptions(C)).filter((e) => e.status === "OPEN");
    expect(left.map((e) => e.code)).toEqual(["HISTORY_HIGH", "MONTH_ON_MONTH_INCREASE"]);
    expect(left[0].note).toContain("复抄示数 1650.00（原 1700.00");
    expect((await billOf(C))).toMatchObject({ status: "HELD", kwh: 650 });
  });
});

describe("withdrawing a re-read nobody waits for", () => {
  it("two orders share one visit; it is cancelled only when the last one is settled otherwise", async () => {
    await orderReread(D, "HISTORY_HIGH");
    await orderReread(D, "MONTH_ON_MONTH_INCREASE");
    expect(await visitsOf(D)).toHaveLength(1);
    const [v] = await visitsOf(D);
    await clearException(auditor, { resolution: "ACCEPT", exceptionId: (await exceptionOf(D, "HISTORY_HIGH")).id, note: "客户新添电暖器" });
    expect((await visitsOf(D))[0].done_at).toBeNull();
    await acceptMany(auditor, [(await exceptionOf(D, "MONTH_ON_MONTH_INCREASE")).id], "同上");
    expect((await visitsOf(D))[0]).toMatchObject({ outcome: "CANCELLED", recorded_by: auditor.id });
    const log = await one<{ after: Record<string, unknown> }>(`select after from audit_log where action = 'visit.cancel' and target_id = $1`, [String(v.id)]);
    expect(log.after).toMatchObject({ outcome: "CANCELLED", why: "NO_REREAD_PENDING" });
    expect(code(await reread(reader, v.id, "1205").catch((e) => e))).toBe("REREAD_NOT_PENDING");
    expect((await rereadsFor(reader)).map((x) => x.customerId)).not.toContain(D);
  });

  it("the auditor's own correction withdraws it", async () => {
    const e = await exceptionOf(E, "HISTORY_HIGH");
    await clearException(auditor, { resolution: "CORRECT_READING", exceptionId: e.id, total: "1210", peak: "", note: "电话核实客户自报示数" });
    expect((await visitsOf(E))[0]).toMatchObject({ outcome: "CANCELLED" });
    expect(await billOf(E)).toMatchObject({ kwh: 210, status: "DRAFT" });
  });

  it("closing the account withdraws its open catch-up reading", async () => {
    // F: six months of zero and below its history; a re-read is ordered, then a closure proposed
    await orderReread(F, "HISTORY_LOW");
    await clearException(auditor, { resolution: "PROPOSE_CLOSURE", exceptionId: (await exceptionOf(F, "ZERO_CLOSURE")).id, note: "连续六个月零电量" });
    expect((await visitsOf(F))[0].done_at).toBeNull(); // the re-read still waits
    // the reader could not get in next month and the auditor chose a catch-up
    const inst = await one<{ id: number }>(`select id from meter_installation where customer_id = $1`, [F]);
    const slot = await one<{ id: number }>(
      `insert into reading (station_id, customer_id, installation_id, period, scheduled_on, read_at, source, reason_code, reader_id)
       values ($1, $2, $3, $4, '2026-12-18', '2026-12-18T10:00:00+08:00', 'MANUAL', 'NO_ACCESS', $5) returning id`,
      [base.stationId, F, inst.id, NEXT, reader.id]);
    await decideMissedReading(auditor, { readingId: slot.id, choice: "CATCH_UP" }, new Date("2026-12-18T04:00:00Z"));
    const [rr, catchUp] = await visitsOf(F);
    expect(catchUp).toMatchObject({ reading_id: slot.id, done_at: null });
    // the re-read's order is accepted (vacant, as the site check will find): its visit goes
    await clearException(auditor, { resolution: "ACCEPT", exceptionId: (await exceptionOf(F, "HISTORY_LOW")).id, note: "空置属实" });
    expect((await visitsOf(F))[0]).toMatchObject({ id: rr.id, outcome: "CANCELLED" });
    await releaseRun(auditor, runId);
    const visit = await one<{ id: number }>(`select id from visit where customer_id = $1 and purpose = 'SITE_CHECK'`, [F]);
    await recordSiteCheck(reader, { visitId: visit.id, result: "VACANT", note: "空置，户主同意销户", finalReading: null });
    const ap = await one<{ id: number }>(`select id from approval where kind = 'ACCOUNT_CLOSURE' and target_id = $1`, [F]);
    await decideApproval(manager, ap.id, true, "同意");
    expect((await one<{ s: string }>(`select status::text s from customer where id = $1`, [F])).s).toBe("CLOSED");
    expect((await visitsOf(F))[1]).toMatchObject({ id: catchUp.id, outcome: "CANCELLED", recorded_by: manager.id });
    const log = await one<{ after: Record<string, unknown> }>(`select after from audit_log where action = 'visit.cancel' and target_id = $1`, [String(catchUp.id)]);
    expect(log.after).toMatchObject({ why: "ACCOUNT_CLOSED", customerId: F });
  });
});

describe("the route sheet and an open re-read", () => {
  it("the next period's reading is an ordinary one and leaves the re-read open", async () => {
    const [v] = await visitsOf(G);
    const [r] = await recordReadings(reader, [{
      clientKey: `next-${G}-${Date.now()}`, installationId: (await one<{ id: number }>(`select id from meter_installation where customer_id = $1`, [G])).id,
      period: NEXT, value: "1900", readAt: "2026-12-18T10:00:00+08:00", observations: [],
    }], new Date("2026-12-18T03:00:00Z"));
    expect(r).toMatchObject({ status: "stored" });
    expect((await readingOf(G, NEXT)).source).toBe("MANUAL");
    expect((await visitsOf(G))[0]).toMatchObject({ id: v.id, done_at: null });
    expect((await rereadsFor(reader)).map((x) => x.customerId)).toContain(G);
  });
});
