// The demo station generator: base seed and organisation in one small transaction, then one
// streaming pass over the customers that writes every table through its own COPY (copy-sink.ts).
// Memory stays flat: a customer's rows are built, pushed into the table buffers and dropped.
import pg from "pg";
import { addMonths, dayOfPeriod, periodOf, zoneOffset } from "../../lib/domain/calendar";
import { resolveSettings, type SettingRow } from "../../lib/domain/settings";
import { seedBase, MAIN_STATION } from "../seed/base";
import { CopyLoader, N, type TableSpec } from "./copy-sink";
import { BinSink } from "./copy-binary";
import { buildLayout, copyInto } from "./layout";
import { GROUP_NAME, GROUP_PAYMENT_NO, GROUP_SIZE, planCustomer, type Special } from "./customer";
import { simulateHistory, type BillDraft, type History } from "./history";
import { settleCustomer, settleGroup } from "./behaviour";
import { emitExceptions } from "./audit";
import { dayNum, iso, ts } from "./days";
import { Ids, type Ctx, type CustomerPlan } from "./model";
import { Rng } from "./rng";

export type GenerateOptions = {
  url: string;
  customers: number;
  months: number;
  seed: number;
  asOf: string; // YYYY-MM-DD, the station's "today"
  reset: boolean;
  stations?: number;
  log?: (m: string) => void;
};

// Periods put through the audit rules, the latest included: its findings hold their bills, the
// earlier ones' are the auditor's cleared history. Three, not the whole history: each audited
// period costs about 0.12 s of generator CPU per 100,000 customers, and a million customers
// must load in well under 15 minutes.
export const AUDITED_PERIODS = 3;

export type GenerateResult = { skipped: boolean; counts: Record<string, number>; seconds: number; dbBytes: number; stats: Record<string, number> };

export const TABLES: TableSpec[] = [
  { table: "customer", columns: ["id", "station_id", "customer_no", "name", "phone", "address", "category", "usage_type", "status", "household_size", "large_household_until", "payment_method", "bank_account_masked", "flags", "district_id", "line_id", "street_id", "route_id", "route_seq", "payment_account_id", "assigned_staff_id", "tariff_id", "time_of_use", "capacity_kva", "fee_control_state", "opened_on", "closed_on", "created_at", "updated_at"] },
  { table: "account_holder", columns: ["id", "customer_id", "name", "kind", "id_number", "from_date", "to_date"] },
  { table: "contact", columns: ["id", "customer_id", "name", "role", "channel", "value", "consent", "active", "note", "updated_at"] },
  { table: "meter", columns: ["id", "station_id", "meter_no", "model", "digits", "registers", "remote"] },
  { table: "meter_installation", columns: ["id", "customer_id", "meter_id", "multiplier", "installed_on", "start_reading", "start_peak", "removed_on", "final_reading", "final_peak", "reason"] },
  { table: "opening_usage", columns: ["id", "customer_id", "tariff_year", "kwh"] },
  { table: "reading", columns: ["id", "station_id", "customer_id", "installation_id", "period", "scheduled_on", "read_at", "total", "peak", "valley", "reactive", "demand_kw", "source", "reason_code", "observations", "reader_id"], binary: true },
  { table: "bill", columns: ["id", "station_id", "customer_id", "period", "version", "billing_run_id", "kwh", "amount", "paid_amount", "lines", "status", "reading_id", "tariff_version_id", "estimated", "issue_date", "due_date", "settled_on", "late_fee_through", "created_at", "released_at"], binary: true },
  { table: "payment", columns: ["id", "station_id", "customer_id", "payment_account_id", "amount", "channel", "reference", "idempotency_key", "receipt_no", "value_date", "posted_at", "clerk_id", "status"], binary: true },
  { table: "payment_allocation", columns: ["id", "payment_id", "customer_id", "bill_id", "principal", "late_fee"], binary: true },
  { table: "ledger_entry", columns: ["id", "station_id", "customer_id", "kind", "amount", "value_date", "posted_at", "book_month", "bill_id", "payment_id", "actor_id", "memo"], binary: true },
  { table: "reminder", columns: ["id", "station_id", "customer_id", "payment_account_id", "bill_id", "kind", "channel", "contact_id", "planned_at", "status", "outbox_id"] },
  { table: "outbox_message", columns: ["id", "station_id", "customer_id", "contact_id", "channel", "recipient", "template", "content", "status", "dedupe_key", "not_before", "attempts", "sent_at"] },
  { table: "visit", columns: ["id", "station_id", "customer_id", "staff_id", "purpose", "planned_on", "done_at", "outcome", "created_at"] },
  { table: "follow_up_call", columns: ["id", "station_id", "customer_id", "subject", "subject_id", "called_by", "called_at", "outcome"] },
  { table: "payment_arrangement", columns: ["id", "station_id", "customer_id", "amount", "promised_by", "status", "kept", "note", "requested_by", "approved_by", "created_at"] },
  { table: "arrears_case", columns: ["id", "station_id", "customer_id", "cause", "status", "owner_id", "task_force", "note", "opened_at"] },
  { table: "disconnection_order", columns: ["id", "station_id", "customer_id", "reason", "status", "arrears", "proposed_by", "created_at"] },
  { table: "audit_exception", columns: ["id", "station_id", "bill_id", "customer_id", "period", "code", "details", "status", "resolution", "note", "cleared_by", "cleared_at"] },
  { table: "complaint", columns: ["id", "station_id", "customer_id", "kind", "content", "status", "malicious", "received_by", "received_at", "resolved_at"] },
];

const COMPLAINTS: [string, string[]][] = [
  ["COMPLAINT", ["抄表员未按例日抄表，电费突然增加", "停电未提前通知", "电费账单金额与实际用电不符", "营业厅排队时间过长", "催费电话打扰休息"]],
  ["OPINION", ["建议增加微信缴费提醒", "希望营业厅周末延长营业时间", "建议电费通知单字体加大，方便老人阅读"]],
  ["REPORT", ["举报邻居私拉电线", "举报某商铺疑似窃电"]],
  ["PRAISE", ["抄表员服务热情，帮助老人缴费", "故障抢修及时，表示感谢"]],
];

function emitCustomer(ctx: Ctx, c: CustomerPlan & { holders: { name: string; kind: string; idNo: string; from: number; to: number | null }[]; address: string; bankMasked: string | null }, h: History, bills: BillDraft[], r: Rng) {
  const s = ctx.sinks;
  const created = ts(c.openedDay, 480, ctx.tz);
  const phone = c.remindTo.channel === "LANDLINE" || c.remindTo.channel === "WECHAT" ? c.contacts[0].value : c.remindTo.value;
  const lhu = c.householdSize >= 5 && c.category === "RESIDENTIAL" ? iso(ctx.asOf + 30 + (c.id % 670)) : N;
  s.customer.push(
    `${c.id}\t${c.stationId}\t${c.no}\t${c.name}\t${phone}\t${c.address}\t${c.category}\t${c.usage}\t${c.closedDay !== null ? "CLOSED" : "ACTIVE"}\t${c.householdSize}\t${lhu}\t${
      c.paymentMethod}\t${c.bankMasked ?? N}\t{${c.flags.join(",")}}\t${c.district.id}\t${c.district.lineId}\t${c.district.streetId}\t${c.route.id}\t${c.routeSeq}\t${
      c.paymentAccountId ?? N}\t${c.staffId ?? N}\t${c.tariff.id}\t${c.tou ? "t" : "f"}\t${c.capacityKva ?? N}\t${c.feeControl ?? "NORMAL"}\t${iso(c.openedDay)}\t${
      c.closedDay !== null ? iso(c.closedDay) : N}\t${created}\t${created}\n`,
  );
  for (const hd of c.holders) {
    s.account_holder.push(`${ctx.ids.next("account_holder")}\t${c.id}\t${hd.name}\t${hd.kind}\t${hd.idNo}\t${iso(hd.from)}\t${hd.to === null ? N : iso(hd.to)}\n`);
  }
  for (const ct of c.contacts) {
    s.contact.push(`${ct.id}\t${c.id}\t${ct.name}\t${ct.role}\t${ct.channel}\t${ct.value}\t${ct.consent ? "t" : "f"}\tt\t${ct.note ?? N}\t${created}\n`);
  }
  for (const m of h.meters) s.meter.push(`${m.id}\t${c.stationId}\t${m.no}\t${m.model}\t${m.digits}\t${m.registers}\t${m.remote ? "t" : "f"}\n`);
  const wrap = 10 ** c.digits;
  for (const it of h.installations) {
    const pk = (reg: number) => (c.tou ? String(Math.floor(reg * c.peakShare) % wrap) : N);
    s.meter_installation.push(
      `${it.id}\t${c.id}\t${it.meterId}\t${it.multiplier}\t${iso(it.installedDay)}\t${it.startReg % wrap}\t${pk(it.startReg)}\t${
        it.removedDay === null ? N : iso(it.removedDay)}\t${it.finalReg === null ? N : it.finalReg % wrap}\t${it.finalReg === null ? N : pk(it.finalReg)}\t${it.reason ?? N}\n`,
    );
  }
  if (h.openingKwh) s.opening_usage.push(`${ctx.ids.next("opening_usage")}\t${c.id}\t${h.openingKwh.year}\t${h.openingKwh.kwh}\n`);
  const wb = ctx.bin.bill;
  const wl = ctx.bin.ledger_entry;
  for (const b of bills) {
    // a held bill is not issued: no issue date, no release, no BILL entry (releaseRun does that
    // once its exceptions are cleared)
    wb.row(20);
    wb.int(b.id); wb.int(c.stationId); wb.int(c.id); wb.text(b.period); wb.int(1); wb.int(ctx.billingRunId(c.station.index, b.k));
    wb.int(b.kwh); wb.cents(b.amount); wb.cents(b.paid); wb.jsonb(b.linesJson); wb.text(b.held ? "HELD" : "RELEASED");
    wb.int(b.readingId); wb.int(b.versionId); wb.bool(b.estimated); wb.dateOrNull(b.held ? null : b.issue); wb.date(b.due);
    wb.dateOrNull(b.settled); wb.dateOrNull(b.lateFeeThrough); wb.ts(b.issue - 1, 480);
    if (b.held) wb.nul();
    else wb.ts(b.issue, 540);
    const key = `${c.station.index}:${b.k}`;
    ctx.stats[key] = (ctx.stats[key] ?? 0) + 1;
    emitExceptions(ctx, c, b);
    if (b.held) {
      ctx.stats[`held:${key}`] = (ctx.stats[`held:${key}`] ?? 0) + 1;
      continue;
    }
    wl.row(12);
    wl.int(ctx.ids.next("ledger_entry")); wl.int(c.stationId); wl.int(c.id); wl.text("BILL"); wl.cents(b.amount);
    wl.date(b.issue); wl.ts(b.issue, 540); wl.text(b.period); wl.int(b.id); wl.nul(); wl.int(ctx.auditorId); wl.nul();
  }
  if (r.chance(0.012 * (ctx.months / 12))) {
    const [kind, texts] = r.weighted(COMPLAINTS, [60, 25, 4, 11]);
    const day = ctx.asOf - r.int(1, 31 * ctx.months);
    const resolved = day + r.int(1, 10);
    s.complaint.push(
      `${ctx.ids.next("complaint")}\t${c.stationId}\t${c.id}\t${kind}\t${r.pick(texts)}\t${resolved <= ctx.asOf ? "RESOLVED" : "OPEN"}\tf\t${ctx.clerks[0]}\t${
        ts(day, r.int(500, 1050), ctx.tz)}\t${resolved <= ctx.asOf ? ts(resolved, 900, ctx.tz) : N}\n`,
    );
  }
}


export async function generate(o: GenerateOptions): Promise<GenerateResult> {
  const log = o.log ?? (() => {});
  const t0 = Date.now();
  const prep = new pg.Client({ connectionString: o.url, application_name: "demo-prep" });
  await prep.connect();
  try {
    const existing = await prep.query<{ n: string }>("select count(*) as n from (select 1 from customer limit 1) x");
    if (Number(existing.rows[0].n) > 0 && !o.reset) {
      return { skipped: true, counts: {}, seconds: 0, dbBytes: 0, stats: {} };
    }
    if (o.customers < 100) throw new Error("至少需要 100 个客户（缴费号 02A13464 一个就有 48 户）");
    const M = o.months;
    const asOf = dayNum(o.asOf);
    const last = Number(o.asOf.slice(8, 10)) >= 17 ? periodOf(o.asOf) : addMonths(periodOf(o.asOf), -1);
    const periods = Array.from({ length: M + 1 }, (_, k) => addMonths(last, k - M));

    // 1. wipe, base seed, organisation: one transaction
    await prep.query("begin");
    // --reset wipes everything; a first load into a database without customers keeps what an
    // admin may already have set up (users, settings, calendar, tariffs) and adds only what is missing.
    const keep = o.reset ? [] : ["station", "app_user", "setting", "calendar_day", "tariff", "tariff_version"];
    const tables = await prep.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = 'public' and tablename <> '_prisma_migrations' and tablename <> all($1)", [keep]);
    await prep.query(`truncate ${tables.rows.map((t) => `"${t.tablename}"`).join(", ")} restart identity cascade`);
    const base = await seedBase(prep, { stations: o.stations ?? 1, log });
    const settingRows = await prep.query<{ key: string; value: unknown; effective_from: string; station_id: number | null }>(
      // company-wide rows and the main station's own (another station's rows are not its settings)
      "select key, value, to_char(effective_from, 'YYYY-MM-DD') as effective_from, station_id from setting where station_id is null or station_id = $1",
      [base.stationId]);
    const settings = resolveSettings(settingRows.rows.map((x): SettingRow => ({
      group: x.key, value: x.value, effectiveFrom: x.effective_from, stationScoped: x.station_id !== null })), o.asOf);
    const ids = new Ids();
    const readers = base.users.filter((u) => u.role === "READER").map((u) => u.id);
    const stationCodes = base.stationIds.map((_, i) => (i === 0 ? MAIN_STATION.code : `TH${String(i + 1).padStart(2, "0")}`));
    const per = Math.ceil(o.customers / base.stationIds.length);
    const groupAt = Math.floor(per / 3);
    const bankruptAt = Math.floor((per * 2) / 3) + 1;
    const layout = await buildLayout(prep, { stationIds: base.stationIds, stationCodes, customers: o.customers, readers, seed: o.seed, groupAt }, ids);
    const groupAccountId = ids.next("payment_account");
    await copyInto(prep, "payment_account", ["id", "station_id", "payment_no", "name"], [`${groupAccountId}\t${base.stationId}\t${GROUP_PAYMENT_NO}\t${GROUP_NAME}\n`]);
    await prep.query("commit");
    log(`组织结构: ${layout.reduce((t, l) => t + l.routes.length, 0)} 个抄表段, ${layout.reduce((t, l) => t + l.districts.length, 0)} 个台区, 账期 ${periods[1]}…${periods[M]}`);

    // 2. the streaming pass
    const tz = zoneOffset(new Date(`${o.asOf}T12:00:00Z`), MAIN_STATION.timezone); // "+08:00"
    const tzMinutes = (tz[0] === "-" ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
    const loader = new CopyLoader(o.url, log, tzMinutes);
    const all = await loader.start(TABLES);
    const sinks: Ctx["sinks"] = {};
    const bin: Ctx["bin"] = {};
    for (const [t, sk] of Object.entries(all)) {
      if (sk instanceof BinSink) bin[t] = sk;
      else sinks[t] = sk;
    }
    const ctx: Ctx = {
      seed: o.seed, asOf, months: M, periods, settings, tz,
      tariffs: new Map(base.tariffs.map((t) => [t.code, t])),
      readers,
      clerks: base.users.filter((u) => u.role === "CLERK").map((u) => u.id),
      managerId: base.users.find((u) => u.role === "MANAGER")!.id,
      auditorId: base.users.find((u) => u.role === "AUDITOR")!.id,
      ids, sinks, bin,
      billingRunId: (s, k) => s * M + k,
      latestK: [],
      auditedPeriods: AUDITED_PERIODS,
      stats: {},
    };
    const schedByDay = new Map<number, number[]>();
    for (let d = 17; d <= 20; d++) schedByDay.set(d, periods.map((p) => dayNum(dayOfPeriod(p, d))));
    // a station's latest billed period: the last whose bills are out by asOf on some route
    // (read on its reading day, issued issueDaysAfterReading later)
    for (const st of layout) {
      let k = M;
      while (k > 1 && !st.routes.some((rt) => schedByDay.get(rt.readingDay)![k] + settings.billing.issueDaysAfterReading <= asOf)) k--;
      ctx.latestK[st.index] = k;
    }
    try {
      let done = 0;
      let lastLog = Date.now();
      for (const st of layout) {
        const hint = { r: 0, d: 0 };
        for (let i = st.from; i < st.to; i++) {
          const local = i - st.from;
          if (st.index === 0 && local === groupAt) {
            const members: { c: ReturnType<typeof planCustomer>; h: History; r: Rng }[] = [];
            for (let j = 0; j < GROUP_SIZE && i + j < st.to; j++) {
              const r = new Rng(o.seed, i + j + 1);
              const c = planCustomer(ctx, st, i + j, r, "GROUP", hint, groupAccountId);
              members.push({ c, h: simulateHistory(ctx, c, schedByDay.get(c.route.readingDay)!, r), r });
            }
            settleGroup(ctx, members.map((m) => ({ c: m.c, bills: m.h.bills })), groupAccountId, new Rng(o.seed, 0x7fff0000));
            for (const m of members) emitCustomer(ctx, m.c, m.h, m.h.bills, m.r);
            i += members.length - 1;
            done += members.length;
            continue;
          }
          const r = new Rng(o.seed, i + 1);
          const special: Special = st.index === 0 && local === bankruptAt ? "BANKRUPT" : null;
          const c = planCustomer(ctx, st, i, r, special, hint, null);
          const h = simulateHistory(ctx, c, schedByDay.get(c.route.readingDay)!, r);
          settleCustomer(ctx, c, h.bills, r, c.address);
          emitCustomer(ctx, c, h, h.bills, r);
          done++;
          if ((done & 511) === 0) {
            await loader.drain();
            if (Date.now() - lastLog > 15_000) {
              lastLog = Date.now();
              log(`  ${done.toLocaleString()} 户, ${((Date.now() - t0) / 1000).toFixed(0)} s, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
            }
          }
        }
      }
      log(`生成完毕 ${done.toLocaleString()} 户, ${((Date.now() - t0) / 1000).toFixed(0)} s; 结束 COPY 并重建索引…`);
    } catch (e) {
      await loader.abort();
      throw e;
    }
    const counts = await loader.finish();

    // 3. billing runs, sequences, statistics
    await prep.query("begin");
    const runLines: string[] = [];
    for (const st of layout) {
      for (let k = 1; k <= M; k++) {
        const n = ctx.stats[`${st.index}:${k}`] ?? 0;
        const held = ctx.stats[`held:${st.index}:${k}`] ?? 0;
        delete ctx.stats[`${st.index}:${k}`];
        delete ctx.stats[`held:${st.index}:${k}`];
        if (n === 0) continue;
        // completed and released; its held bills (latest period only) go out with a later release
        const day = dayNum(dayOfPeriod(periods[k], 21));
        runLines.push(`${ctx.billingRunId(st.index, k)}\t${st.stationId}\t${periods[k]}\tCOMPLETED\t${n}\t${n}\t${n}\t${held}\t${ctx.auditorId}\t${ts(day, 540, ctx.tz)}\t${ts(day, 560, ctx.tz)}\t${ts(day + 1, 540, ctx.tz)}\t${ctx.auditorId}\n`);
      }
    }
    await copyInto(prep, "billing_run", ["id", "station_id", "period", "status", "total", "done", "billed", "held", "started_by", "created_at", "finished_at", "released_at", "released_by"], runLines);
    counts.billing_run = runLines.length;
    for (const t of [...TABLES.map((x) => x.table), "zone", "street", "line", "district", "route", "payment_account", "billing_run"]) {
      await prep.query(`select setval(pg_get_serial_sequence('${t}', 'id'), coalesce((select max(id) from ${t}), 1), (select max(id) from ${t}) is not null)`);
    }
    await prep.query("commit");
    // the loaded tables were analysed by the loader; the small ones written here are done now
    await prep.query(`analyze ${["station", "app_user", "setting", "calendar_day", "tariff", "tariff_version", "zone", "street", "line", "district", "route", "payment_account", "billing_run"].join(", ")}`);
    const size = await prep.query<{ b: string }>("select pg_database_size(current_database()) as b");
    return { skipped: false, counts, seconds: (Date.now() - t0) / 1000, dbBytes: Number(size.rows[0].b), stats: ctx.stats };
  } catch (e) {
    await prep.query("rollback").catch(() => {});
    throw e;
  } finally {
    await prep.end();
  }
}
