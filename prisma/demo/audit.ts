// 电费审核 in the demo: the bills of the audited periods go through the real audit rules
// (auditBill, lib/domain/audit/rules.ts, which the billing run reaches through billPeriod), with
// the AuditInput built the way lib/domain/billing/bill-period.ts builds it, from what the
// generator knows of the bill. The latest billed period's findings hold their bill (HELD, an
// OPEN exception per finding, nothing issued); earlier periods' findings are the auditor's
// history, CLEARED with a note before those bills went out.
import { auditBill, type AuditFinding, type AuditInput } from "../../lib/domain/audit/rules";
import { N } from "./copy-sink";
import { iso, ts } from "./days";
import type { Ctx, CustomerPlan } from "./model";

/** What the generator knows of one bill's reading interval, in the run's terms (assembleSpans). */
export type ReadFacts = {
  k: number; // period index
  kwh: number;
  readDay: number; // day of the reading (estimates: the reading day)
  scheduledDay: number; // the route's reading day that period
  estimated: boolean;
  newConnection: boolean; // no earlier reading at all
  meterReplaced: boolean;
  multiplierChanged: boolean;
  /** a two-part tariff, and a span of the interval starts or ends at an installation's own
   *  registers (new connection, 换表, 倍率): see REACTIVE_MISSING below */
  twoPartFromInstallation: boolean;
};

// The run's consumption and pricing flags, as the generator's registers raise them: they come
// from a monotone curve (no READING_LOWER), an estimate never exceeds the true register (no
// ESTIMATE_SETTLEMENT_CREDIT), the peak register is a fixed share of the total (no
// PEAK_EXCEEDS_TOTAL), and every TOU or two-part customer has its registers, capacity and a
// tariff in force. One exception: meter_installation keeps no reactive register at install or
// removal, so a two-part bill with a span from an installation's start or to its final reading
// (a new connection's first bill, a meter or multiplier change) has no reactive advance for 力调
// and the run's pricing flags REACTIVE_MISSING. tests/integration/
// demo-data.test.ts holds all this against the billing run's own computation of the data.
const NO_FLAGS: AuditInput["consumptionFlags"] = [];
const NO_BILL_FLAGS: AuditInput["billFlags"] = [];
const REACTIVE_MISSING: AuditInput["billFlags"] = ["REACTIVE_MISSING"];

/**
 * The audit findings of a bill, given the customer's earlier bills of the history (in period
 * order, all before this one). history = kWh of the 12 periods before, most recent first, null
 * for a period without a bill (a missed reading), exactly as the run reads it from `bill`.
 */
export function auditDraft(ctx: Ctx, c: CustomerPlan, earlier: readonly { k: number; kwh: number }[], f: ReadFacts): AuditFinding[] {
  const history: (number | null)[] = [null, null, null, null, null, null, null, null, null, null, null, null];
  for (let i = earlier.length - 1; i >= 0; i--) {
    const back = f.k - earlier[i].k - 1;
    if (back >= 12) break;
    history[back] = earlier[i].kwh;
  }
  return auditBill({
    category: c.category,
    kwh: f.kwh,
    history,
    consumptionFlags: NO_FLAGS,
    billFlags: f.twoPartFromInstallation ? REACTIVE_MISSING : NO_BILL_FLAGS,
    creditKwh: 0,
    estimated: f.estimated,
    newConnection: f.newConnection,
    meterReplaced: f.meterReplaced,
    multiplierChanged: f.multiplierChanged,
    readOn: iso(f.readDay),
    scheduledOn: iso(f.scheduledDay),
  }, ctx.settings);
}

// How the station's auditor cleared each kind of finding in the past (resolution, note).
const CLEARED: Record<string, [string, string]> = {
  HISTORY_HIGH: ["ACCEPT", "电话回访客户，用电增加属实"],
  MONTH_ON_MONTH_INCREASE: ["ACCEPT", "电话回访客户，用电增加属实"],
  HISTORY_LOW: ["ACCEPT", "已核实，客户外出，用电减少属实"],
  RESIDENTIAL_BUSINESS_LEVEL: ["ACCEPT", "现场核实后本期按原电价发行，已通知客户办理用电类别变更"],
  ZERO_SITE_CHECK: ["ACCEPT", "现场核查：房屋空置，表计运行正常"],
  // a route read after the latest run: its vacant homes reached six zero months a period earlier
  ZERO_CLOSURE: ["ACCEPT", "连续六个月零电量，已联系户主，待下期抄表核查后提出销户"],
  ESTIMATED_READING: ["ACCEPT", "客户不在家，按上月电量估抄，下次实抄结算"],
  OFF_READING_DAY: ["ACCEPT", "抄表员延期抄表，读数已核实无误"],
  FIRST_BILL_NEW_CONNECTION: ["ACCEPT", "新装首次电费逐户审核，读数与装表记录一致"],
  FIRST_BILL_METER_REPLACED: ["ACCEPT", "换表后首次电费逐户审核，新旧表读数与装拆记录一致"],
  FIRST_BILL_MULTIPLIER_CHANGE: ["ACCEPT", "倍率变更后首次电费逐户审核，倍率与互感器铭牌一致"],
};
const CLEARED_OTHER: [string, string] = ["ACCEPT", "已核实，按计算结果发行"];

/** audit_exception rows of one bill: OPEN while it is held, else cleared the day before issue. */
export function emitExceptions(ctx: Ctx, c: CustomerPlan, b: { id: number; period: string; issue: number; held: boolean; findings: readonly AuditFinding[] | null }) {
  if (b.findings === null) return;
  const sink = ctx.sinks.audit_exception;
  for (const f of b.findings) {
    const head = `${ctx.ids.next("audit_exception")}\t${c.stationId}\t${b.id}\t${c.id}\t${b.period}\t${f.code}\t${JSON.stringify(f.details)}`;
    if (b.held) {
      sink.push(`${head}\tOPEN\t${N}\t${N}\t${N}\t${N}\n`);
    } else {
      const [resolution, note] = CLEARED[f.code] ?? CLEARED_OTHER;
      sink.push(`${head}\tCLEARED\t${resolution}\t${note}\t${ctx.auditorId}\t${ts(b.issue - 1, 600 + (b.id % 420), ctx.tz)}\n`);
    }
  }
}
