// How customers pay, and what the office does when they don't: payments with their
// allocations and ledger entries (two dates: value date, and posting time/book month),
// late-payment charges, reminders with their outbox messages, visits, payment arrangements,
// arrears cases and disconnection proposals. Behaviour classes follow 004's district
// (customer.ts BEHAVIOUR_MIX). Nothing dated after `asOf` is written.
import { divRoundHalfUp, formatYuan, parsePrice, parseYuan } from "../../lib/domain/money";
import { dayNum, iso, periodOfDay, ts } from "./days";
import { N } from "./copy-sink";
import type { Rng } from "./rng";
import type { BillDraft } from "./history";
import type { ContactPlan, Ctx, CustomerPlan } from "./model";
import { GROUP_PAYMENT_NO } from "./customer";

const ONLINE = ["WECHAT", "ALIPAY", "MOBILE_BANK", "UNIONPAY"] as const;
const ONLINE_W = [45, 35, 12, 8];

const dec31 = new Map<number, number>();
function yearEnd(day: number): number {
  const y = Number(iso(day).slice(0, 4));
  let d = dec31.get(y);
  if (d === undefined) { d = dayNum(`${y}-12-31`); dec31.set(y, d); }
  return d;
}

/** 电费违约金 for one bill paid on `day` (供电营业规则 §98 via settings; docs/calculator.md §4). */
export function lateFee(ctx: Ctx, b: BillDraft, unpaid: number, day: number): number {
  if (day <= b.due || unpaid <= 0) return 0;
  const days = day - b.due;
  const cur = Math.min(days, Math.max(0, yearEnd(b.due) - b.due));
  const rates = ctx.settings.lateFee;
  if (b.residential) {
    const p = parsePrice(rates.residentialDailyRate);
    return Number(divRoundHalfUp(BigInt(unpaid) * p.num * BigInt(days), p.scale));
  }
  const a = parsePrice(rates.otherCurrentYearDailyRate);
  const x = parsePrice(rates.otherCrossYearDailyRate);
  const scale = a.scale > x.scale ? a.scale : x.scale;
  const per = a.num * (scale / a.scale) * BigInt(cur) + x.num * (scale / x.scale) * BigInt(days - cur);
  return Number(divRoundHalfUp(BigInt(unpaid) * per, scale));
}

type Item = { bill: BillDraft; cust: CustomerPlan };

/** The bills that went out. A bill the audit holds was never issued: nothing is paid, reminded
 *  or chased toward it, and it owes nothing until it is released. */
function issued(bills: BillDraft[]): BillDraft[] {
  return bills.some((b) => b.held) ? bills.filter((b) => !b.held) : bills;
}

/** Posts one payment that settles whole bills (principal and late fee), with allocations and ledger entries. */
export function postPayment(ctx: Ctx, opts: {
  stationId: number; customer: CustomerPlan | null; accountId: number | null; channel: string; day: number; minute: number;
  items: Item[]; r: Rng;
}): boolean {
  const { day, channel } = opts;
  const bank = channel === "BANK_DEBIT";
  const postedDay = bank ? day + 1 : day; // bank debit results arrive as next morning's file
  if (postedDay > ctx.asOf) return false;
  const postedMinute = bank ? 600 + opts.r.int(0, 59) : opts.minute;
  const bookMonth = periodOfDay(postedDay);
  const fees = opts.items.map((it) => lateFee(ctx, it.bill, it.bill.amount - it.bill.paid, day));
  let feeTotal = 0;
  for (const f of fees) feeTotal += f;
  const min = ctx.settings.lateFee.minimumTotal === null ? 0 : parseYuan(ctx.settings.lateFee.minimumTotal);
  if (feeTotal > 0 && feeTotal < min) {
    const i = fees.findIndex((f) => f > 0);
    fees[i] += min - feeTotal;
    feeTotal = min;
  }
  let amount = feeTotal;
  for (const it of opts.items) amount += it.bill.amount - it.bill.paid;
  if (amount <= 0) return false;
  const id = ctx.ids.next("payment");
  const counter = channel.startsWith("COUNTER");
  const clerk = counter ? ctx.clerks[id % ctx.clerks.length] : null;
  const compact = iso(day).replaceAll("-", "");
  const wp = ctx.bin.payment;
  wp.row(13);
  wp.int(id); wp.int(opts.stationId); wp.intOrNull(opts.customer ? opts.customer.id : null); wp.intOrNull(opts.accountId);
  wp.cents(amount); wp.text(channel);
  wp.textOrNull(counter ? null : `${channel.slice(0, 2)}${compact}${String(id).padStart(10, "0")}`);
  wp.text(`demo-pay-${String(id).padStart(10, "0")}`);
  wp.textOrNull(counter ? `R${compact}${id}` : null);
  wp.date(day); wp.ts(postedDay, postedMinute); wp.intOrNull(clerk); wp.text("POSTED");
  const wa = ctx.bin.payment_allocation;
  const wl = ctx.bin.ledger_entry;
  const ledger = (customerId: number, kind: string, amountFen: number, billId: number | null) => {
    wl.row(12);
    wl.int(ctx.ids.next("ledger_entry")); wl.int(opts.stationId); wl.int(customerId); wl.text(kind); wl.cents(amountFen);
    wl.date(day); wl.ts(postedDay, postedMinute); wl.text(bookMonth); wl.intOrNull(billId); wl.int(id); wl.intOrNull(clerk); wl.nul();
  };
  let single = -1; // the one customer paid for (the common case), or -2 when several
  let singleAmount = 0;
  const perCustomer = new Map<number, number>();
  opts.items.forEach((it, i) => {
    const principal = it.bill.amount - it.bill.paid;
    wa.row(6);
    wa.int(ctx.ids.next("payment_allocation")); wa.int(id); wa.int(it.cust.id); wa.int(it.bill.id); wa.cents(principal); wa.cents(fees[i]);
    it.bill.paid = it.bill.amount;
    it.bill.settled = day;
    if (fees[i] > 0 || day > it.bill.due) it.bill.lateFeeThrough = day;
    if (fees[i] > 0) ledger(it.cust.id, "LATE_FEE", fees[i], it.bill.id);
    if (single === -1 || single === it.cust.id) { single = it.cust.id; singleAmount += principal + fees[i]; }
    else single = -2;
    perCustomer.set(it.cust.id, (perCustomer.get(it.cust.id) ?? 0) + principal + fees[i]);
  });
  if (single >= 0) ledger(single, "PAYMENT", -singleAmount, null);
  else for (const [cid, amt] of perCustomer) ledger(cid, "PAYMENT", -amt, null);
  ctx.stats.paymentsLate = (ctx.stats.paymentsLate ?? 0) + (feeTotal > 0 ? 1 : 0);
  return true;
}

const TEMPLATE: Record<string, string> = {
  "top-up": "代扣余额不足提醒",
  reminder: "逾期催费",
  phone: "电话催费",
  "on-site-notice": "现场催费通知单",
  "prepaid-low": "预付费余额提醒",
};

/** A reminder that was sent, with its outbox message (one outbox for everything sent). */
export function remind(ctx: Ctx, opts: {
  c: CustomerPlan; bill: BillDraft | null; kind: string; channel: string; contact: ContactPlan; day: number; minute: number;
  amountFen: number; accountId?: number | null; address?: string;
}) {
  if (opts.day > ctx.asOf) return;
  const s = ctx.sinks;
  const { c, bill } = opts;
  const rid = ctx.ids.next("reminder");
  const oid = ctx.ids.next("outbox_message");
  const at = ts(opts.day, opts.minute, ctx.tz);
  const station = "天河供电所";
  const who = opts.accountId ? `缴费号${GROUP_PAYMENT_NO}` : `户号${c.no}`;
  const amt = formatYuan(opts.amountFen);
  const period = bill ? `${bill.period.slice(0, 4)}年${Number(bill.period.slice(5))}月` : "";
  let content: string;
  switch (opts.kind) {
    case "top-up": content = `【${station}】尊敬的客户，您${who}的代扣账户余额不足，${period}电费${amt}元扣款未成功，请及时存入足额资金。`; break;
    case "prepaid-low": content = `【${station}】尊敬的客户，您${who}的预付电费余额已低于${ctx.settings.prepaid.warning1}元，请及时充值，以免影响用电。`; break;
    case "on-site-notice": content = `催费通知单已送达：${who}，${period}电费${amt}元逾期未缴，请于七日内缴清。`; break;
    default:
      content = opts.channel === "PHONE" || opts.channel === "LANDLINE"
        ? `电话催费：已告知${opts.contact.name}，${who}${period}电费${amt}元已逾期，请尽快缴纳。`
        : `【${station}】尊敬的客户，您${who}${period}电费${amt}元已于${bill ? iso(bill.due) : ""}到期，请尽快缴纳，逾期将按规定收取违约金。`;
  }
  const recipient = opts.channel === "ON_SITE" ? (opts.address ?? "") : opts.contact.value;
  const customerId = opts.accountId ? N : String(c.id);
  s.reminder.push(
    `${rid}\t${c.stationId}\t${customerId}\t${opts.accountId ?? N}\t${bill ? bill.id : N}\t${opts.kind === "phone" ? "reminder" : opts.kind}\t${opts.channel}\t${opts.contact.id}\t${at}\tSENT\t${oid}\n`,
  );
  s.outbox_message.push(
    `${oid}\t${c.stationId}\t${customerId}\t${opts.contact.id}\t${opts.channel}\t${recipient}\t${TEMPLATE[opts.kind] ?? opts.kind}\t${content}\tSENT\tdemo-rem-${String(rid).padStart(10, "0")}\t${at}\t1\t${at}\n`,
  );
}

function visit(ctx: Ctx, c: CustomerPlan, purpose: string, day: number, r: Rng, outcome: string) {
  if (day > ctx.asOf) return;
  const id = ctx.ids.next("visit");
  const done = ts(day, r.int(540, 1020), ctx.tz);
  ctx.sinks.visit.push(`${id}\t${c.stationId}\t${c.id}\t${c.district.staffId}\t${purpose}\t${iso(day)}\t${done}\t${outcome}\t${ts(day - 2, 540, ctx.tz)}\n`);
  if (r.chance(0.25) && day + 3 <= ctx.asOf) {
    ctx.sinks.follow_up_call.push(
      `${ctx.ids.next("follow_up_call")}\t${c.stationId}\t${c.id}\tVISIT\t${id}\t${ctx.clerks[0]}\t${ts(day + 3, r.int(540, 1020), ctx.tz)}\t${r.pick(["客户确认抄表员已上门送达通知", "客户确认已上门，表示月底前缴清", "客户确认已上门"])}\n`,
    );
  }
}

function arrangement(ctx: Ctx, c: CustomerPlan, amountFen: number, created: number, promised: number, status: string, kept: boolean | null) {
  if (created > ctx.asOf) return;
  ctx.sinks.payment_arrangement.push(
    `${ctx.ids.next("payment_arrangement")}\t${c.stationId}\t${c.id}\t${formatYuan(amountFen)}\t${iso(promised)}\t${status}\t${kept === null ? N : kept ? "t" : "f"}\t${
      status === "APPROVED" ? "客户承诺月底前缴清" : "客户申请延期缴费"}\t${ctx.clerks[0]}\t${status === "APPROVED" ? ctx.managerId : N}\t${ts(created, 600, ctx.tz)}\n`,
  );
}

/** Pays (or not) one customer's bills according to its behaviour. */
export function settleCustomer(ctx: Ctx, c: CustomerPlan, all: BillDraft[], r: Rng, address: string) {
  const bills = issued(all);
  if (c.behaviour === "PREPAID") return settlePrepaid(ctx, c, bills, r);
  const M = ctx.months;
  const to = c.remindTo;
  const method = c.paymentMethod;
  const payments: { day: number; ch: string; idx: number[] }[] = [];
  let deferred: number[] = [];
  let refuserOpen: number[] = [];
  let lastRefuserDay = 0;
  const pay = (i: number, day: number, ch: string) => {
    payments.push({ day: Math.max(day, bills[i].issue), ch, idx: [...deferred, i] });
    deferred = [];
  };
  for (let i = 0; i < bills.length; i++) {
    const b = bills[i];
    if (b.amount === 0) { b.settled = b.issue; continue; }
    const debit = Math.max(b.issue + 1, b.due - 3);
    switch (c.behaviour) {
      case "DEBIT_SHORT":
      case "OFTEN_SHORT": {
        const often = c.behaviour === "OFTEN_SHORT";
        if (r.chance(often ? 0.6 : 0.22)) {
          // the debit fails: 催存 (top-up reminder), then a later debit or a payment elsewhere
          remind(ctx, { c, bill: b, kind: "top-up", channel: to.channel, contact: to, day: debit, minute: 600, amountFen: b.amount });
          if (often && r.chance(0.12) && i + 1 < bills.length) { deferred.push(i); break; } // pays with the next bill
          pay(i, debit + (often ? r.int(3, 28) : r.int(3, 14)),
            r.chance(0.7) ? "BANK_DEBIT" : r.weighted(["COUNTER_CASH", "WECHAT", "ALIPAY"], [50, 30, 20]));
        } else pay(i, debit, "BANK_DEBIT");
        break;
      }
      case "MIGRANT_FAMILY": {
        const ch = r.weighted(["WECHAT", "ALIPAY"], [60, 40]);
        if (r.chance(0.35)) {
          // the family member working away is phoned and pays online
          remind(ctx, { c, bill: b, kind: "phone", channel: "PHONE", contact: to, day: b.due + 2, minute: 600 + r.int(0, 300), amountFen: b.amount });
          pay(i, b.due + 2 + r.int(0, 6), ch);
        } else pay(i, b.issue + r.int(1, Math.max(1, b.due - b.issue - 1)), ch);
        break;
      }
      case "REFUSER":
        // pays now and then, everything open at once at the counter after visits; never lately
        refuserOpen.push(i);
        if (b.k <= M - 4 && r.chance(0.3)) {
          lastRefuserDay = Math.max(lastRefuserDay + 1, b.due + r.int(25, 70));
          payments.push({ day: lastRefuserDay, ch: "COUNTER_CASH", idx: refuserOpen });
          refuserOpen = [];
        }
        break;
      case "BANKRUPT":
        if (b.k < M - 6) pay(i, debit, "BANK_DEBIT");
        break;
      default:
        if (method === "BANK_DEBIT") pay(i, debit, "BANK_DEBIT");
        else pay(i, b.issue + r.int(0, Math.max(0, b.due - b.issue - 1)),
          method === "COUNTER" ? r.weighted(["COUNTER_CASH", "COUNTER_CARD", "KIOSK"], [60, 30, 10]) : r.weighted(ONLINE, ONLINE_W));
    }
  }
  payments.sort((a, b) => a.day - b.day);
  for (const p of payments) {
    const items = p.idx.filter((i) => bills[i].paid < bills[i].amount).map((i) => ({ bill: bills[i], cust: c }));
    if (items.length === 0) continue;
    const minute = p.ch.startsWith("COUNTER") || p.ch === "KIOSK" ? r.int(510, 1050) : r.int(420, 1380);
    postPayment(ctx, { stationId: c.stationId, customer: c, accountId: null, channel: p.ch, day: p.day, minute, items, r });
  }

  // chasing what was late or is still open
  let unpaidOverdue = 0;
  let overdueCount = 0;
  for (const b of bills) {
    if (b.amount === 0) continue;
    const paidOn = b.paid >= b.amount ? b.settled! : Infinity;
    if (paidOn <= b.due) continue;
    const unpaidAt = (day: number) => day <= ctx.asOf && paidOn > day;
    if (b.paid < b.amount && b.due < ctx.asOf) { unpaidOverdue += b.amount; overdueCount++; }
    if (c.behaviour === "MIGRANT_FAMILY") continue; // phoned above
    if (unpaidAt(b.due + 3)) remind(ctx, { c, bill: b, kind: "reminder", channel: to.channel, contact: to, day: b.due + 3, minute: 540, amountFen: b.amount });
    if (unpaidAt(b.due + 10)) remind(ctx, { c, bill: b, kind: "phone", channel: "PHONE", contact: to, day: b.due + 10, minute: 600, amountFen: b.amount });
    if (unpaidAt(b.due + 20) && c.behaviour !== "DEBIT_SHORT") {
      remind(ctx, { c, bill: b, kind: "on-site-notice", channel: "ON_SITE", contact: to, day: b.due + 20, minute: 600, amountFen: b.amount, address });
      visit(ctx, c, "ON_SITE_NOTICE", b.due + 20, r, "催费通知单已送达");
    }
    if ((c.behaviour === "REFUSER" || c.behaviour === "BANKRUPT") && unpaidAt(b.due + 27)) {
      visit(ctx, c, "COLLECTION", b.due + 27, r, c.behaviour === "REFUSER" ? r.pick(["客户拒绝缴费", "客户称电价不合理，拒缴", "无人在家"]) : "企业停产，财务称待破产清算");
    }
    if (c.behaviour === "OFTEN_SHORT" && paidOn !== Infinity && paidOn > b.due + 12 && r.chance(0.25)) {
      arrangement(ctx, c, b.amount, b.due + 8, paidOn, "APPROVED", true);
    }
  }
  if (c.behaviour === "OFTEN_SHORT" && overdueCount > 0 && r.chance(0.2)) {
    arrangement(ctx, c, unpaidOverdue, ctx.asOf - r.int(0, 3), ctx.asOf + r.int(5, 20), "PENDING", null);
  }
  if ((c.behaviour === "REFUSER" || c.behaviour === "BANKRUPT") && overdueCount > 0) {
    const bankrupt = c.behaviour === "BANKRUPT";
    ctx.sinks.arrears_case.push(
      `${ctx.ids.next("arrears_case")}\t${c.stationId}\t${c.id}\t${bankrupt ? "ENTERPRISE_TROUBLE" : "UNWILLING"}\tOPEN\t${c.district.staffId}\t${bankrupt ? "t" : "f"}\t${
        bankrupt ? "企业已进入破产程序，申报债权" : "多次催缴拒不缴费"}\t${ts(ctx.asOf - 20, 600, ctx.tz)}\n`,
    );
    if (bankrupt || (overdueCount >= 3 && r.chance(0.4))) {
      ctx.sinks.disconnection_order.push(
        `${ctx.ids.next("disconnection_order")}\t${c.stationId}\t${c.id}\tARREARS\tPROPOSED\t${formatYuan(unpaidOverdue)}\t${c.district.staffId}\t${ts(ctx.asOf - 2, 630, ctx.tz)}\n`,
      );
    }
  }
}

/** Prepaid storefronts: top-ups ahead of the bills; bills are covered from the funds, oldest first. */
function settlePrepaid(ctx: Ctx, c: CustomerPlan, bills: BillDraft[], r: Rng) {
  type Credit = { payment: number; left: number; alloc: Map<number, number> };
  const credits: Credit[] = [];
  const open: BillDraft[] = [];
  const warning = parseYuan(ctx.settings.prepaid.warning1);
  const apply = (day: number) => {
    for (const b of open) {
      for (const cr of credits) {
        if (b.paid >= b.amount) break;
        if (cr.left <= 0) continue;
        const x = Math.min(cr.left, b.amount - b.paid);
        cr.left -= x;
        b.paid += x;
        cr.alloc.set(b.id, (cr.alloc.get(b.id) ?? 0) + x);
      }
      if (b.paid >= b.amount && b.settled === null) b.settled = day;
    }
    for (let i = open.length - 1; i >= 0; i--) if (open[i].paid >= open[i].amount) open.splice(i, 1);
  };
  const funds = () => credits.reduce((t, cr) => t + cr.left, 0);
  const topUp = (day: number, amountFen: number) => {
    if (day > ctx.asOf) return;
    const id = ctx.ids.next("payment");
    const ch = r.weighted(["PREPAID_TOPUP", "WECHAT", "ALIPAY", "COUNTER_CASH"], [40, 30, 20, 10]);
    const minute = r.int(480, 1320);
    const counter = ch === "COUNTER_CASH";
    const wp = ctx.bin.payment;
    wp.row(13);
    wp.int(id); wp.int(c.stationId); wp.int(c.id); wp.nul(); wp.cents(amountFen); wp.text(ch);
    wp.textOrNull(counter ? null : `TU${String(id).padStart(12, "0")}`);
    wp.text(`demo-pay-${String(id).padStart(10, "0")}`);
    wp.textOrNull(counter ? `R${iso(day).replaceAll("-", "")}${id}` : null);
    wp.date(day); wp.ts(day, minute); wp.intOrNull(counter ? ctx.clerks[0] : null); wp.text("POSTED");
    const wl = ctx.bin.ledger_entry;
    wl.row(12);
    wl.int(ctx.ids.next("ledger_entry")); wl.int(c.stationId); wl.int(c.id); wl.text("PAYMENT"); wl.cents(-amountFen);
    wl.date(day); wl.ts(day, minute); wl.text(periodOfDay(day)); wl.nul(); wl.int(id); wl.nul(); wl.text("预付费充值");
    credits.push({ payment: id, left: amountFen, alloc: new Map() });
    apply(day);
  };
  topUp(Math.max(bills.length ? bills[0].issue - r.int(5, 25) : ctx.asOf - 30, ctx.asOf - 31 * (ctx.months + 1)), 50000);
  for (const b of bills) {
    if (b.amount === 0) { b.settled = b.issue; continue; }
    open.push(b);
    apply(b.issue);
    const left = funds();
    if (b.paid < b.amount || left < warning) {
      remind(ctx, { c, bill: b, kind: "prepaid-low", channel: c.remindTo.channel, contact: c.remindTo, day: b.issue, minute: 560, amountFen: b.amount });
      const need = b.amount - b.paid;
      const amount = Math.ceil((need + b.amount * (1 + r.next())) / 10000) * 10000;
      topUp(b.issue + (r.chance(0.8) ? r.int(0, 4) : r.int(7, 20)), amount);
    }
  }
  // allocation rows: what each top-up paid, and what is left of it as prepaid funds
  const wa = ctx.bin.payment_allocation;
  const alloc = (payment: number, billId: number | null, x: number) => {
    wa.row(6);
    wa.int(ctx.ids.next("payment_allocation")); wa.int(payment); wa.int(c.id); wa.intOrNull(billId); wa.cents(x); wa.cents(0);
  };
  for (const cr of credits) {
    for (const [billId, x] of cr.alloc) alloc(cr.payment, billId, x);
    if (cr.left > 0) alloc(cr.payment, null, cr.left);
  }
  c.feeControl = open.length === 0 ? (funds() < warning ? "WARNED1" : "NORMAL") : "WARNED2";
}

/** One payment number (缴费号) for many customers: one payment and one reminder per period. */
export function settleGroup(ctx: Ctx, members: { c: CustomerPlan; bills: BillDraft[] }[], accountId: number, r: Rng) {
  const byK = new Map<number, Item[]>();
  for (const m of members) {
    for (const b of issued(m.bills)) {
      if (b.amount === 0) { b.settled = b.issue; continue; }
      const list = byK.get(b.k) ?? [];
      list.push({ bill: b, cust: m.c });
      byK.set(b.k, list);
    }
  }
  const first = members[0].c;
  let carry: Item[] = [];
  for (const k of [...byK.keys()].sort((a, b) => a - b)) {
    const items = [...carry, ...byK.get(k)!];
    const issue = Math.max(...items.map((i) => i.bill.issue));
    const due = Math.min(...byK.get(k)!.map((i) => i.bill.due));
    const late = r.chance(0.1);
    const day = late ? due + r.int(2, 9) : issue + r.int(2, 6);
    if (late) {
      const owed = items.reduce((t, i) => t + i.bill.amount, 0);
      remind(ctx, { c: first, bill: null, kind: "reminder", channel: first.remindTo.channel, contact: first.remindTo, day: due + 1, minute: 540, amountFen: owed, accountId });
    }
    const paid = postPayment(ctx, { stationId: first.stationId, customer: null, accountId, channel: "BANK_DEBIT", day, minute: 600, items, r });
    carry = paid ? [] : items;
  }
}
