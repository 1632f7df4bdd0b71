// The reminder plan for one bill (docs/calculator.md `reminder-plan`): who is reminded, how and
// when. The app calls it once per payment number (earliest due date, summed amount), so the 48
// customers of one payment number get one plan. Pure: the caller gives the grade, the contacts,
// the quiet hours, the holidays and the station's zone.
//
// Who gets what:
//  * the audience is the enterprise's finance contact when there is one, else the tenant of a
//    rented home, else the customer; only contacts that consented are used;
//  * a message (bill notice, pre-debit SMS, SMS reminder) goes to one contact of the audience,
//    SMS before WeChat before e-mail; for an elderly customer without SMS (elderlyNoSms) the
//    customer's messages go to the proxy instead;
//  * a call goes to the audience's phone, else landline, else mobile; an elderly customer is
//    still called on their own phone or landline (the proxy only when they have none);
//  * a letter goes to the audience's postal contacts (to the premise when there is none), and in
//    a rented home also to the landlord;
//  * on-site notices, visits and the disconnection proposal are field or internal work: no contact.
// When: the bill notice on the issue day, the pre-debit SMS preDebitDays before the debit day
// (1 day if that is before the issue day), the ladder's steps `day` days after the due date;
// messages and field work at sendAt, calls at callAt; a step on a holiday or inside the quiet
// hours moves to the next allowed time. Nothing is planned after the day the bill was paid.
import { addDays, zoneOffset, zonedInstant, type IsoDate } from "../calendar";
import { inQuietHours } from "../outbox/quiet-hours";
import type { Grade } from "../grading/grade";
import { DEFAULT_LADDER, type Ladder, type StepKind } from "./ladder";

export type PaymentMethod = "counter" | "bank-debit" | "online" | "prepaid";
export type ContactRole = "self" | "proxy" | "landlord" | "tenant" | "finance";
export type ContactChannel = "sms" | "phone" | "landline" | "wechat" | "email" | "post";
export type StepChannel = ContactChannel | null;

export type PlanContact = { id: string; role: ContactRole; channel: ContactChannel; consent: boolean };

export type PlanInput = {
  grade: Grade;
  paymentMethod: PaymentMethod;
  bill: { issueDate: IsoDate; dueDate: IsoDate; debitDate: IsoDate | null };
  paidOn: IsoDate | null;
  contacts: readonly PlanContact[];
  elderlyNoSms: boolean;
  quietHours: { from: string; to: string }; // "HH:MM", station local time
  holidays: ReadonlySet<IsoDate>;
};

export type PlanRules = {
  ladder: Ladder;
  sendAt: string; // "HH:MM": messages, letters and field work
  callAt: string; // "HH:MM": calls
  preDebitDays: number;
  timeZone: string;
};

export const DEFAULT_PLAN_RULES: PlanRules = { ladder: DEFAULT_LADDER, sendAt: "09:00", callAt: "10:00", preDebitDays: 2, timeZone: "Asia/Shanghai" };

/** A planned step: its local day and time, and the ISO instant with the station's offset. */
export type PlanStep = { date: IsoDate; time: string; at: string; kind: StepKind; channel: StepChannel; contactId: string | null };

const MESSAGE_CHANNELS: ContactChannel[] = ["sms", "wechat", "email"];
const CALL_CHANNELS: ContactChannel[] = ["phone", "landline", "sms"]; // a mobile number can be called

type Audience = "finance" | "tenant" | "self";

function audienceOf(contacts: readonly PlanContact[]): Audience {
  if (contacts.some((c) => c.role === "finance")) return "finance";
  if (contacts.some((c) => c.role === "tenant")) return "tenant";
  return "self";
}

/** The first consented contact of one of `roles` on the channels in preference order. */
function pick(contacts: readonly PlanContact[], roles: ContactRole[], channels: ContactChannel[], onlySms = false) {
  for (const ch of onlySms ? ["sms" as const] : channels) {
    const c = contacts.find((x) => x.consent && roles.includes(x.role) && x.channel === ch);
    if (c) return c;
  }
  return null;
}

/** Who a step goes to: [channel, contactId] pairs (none when nobody can be reached that way). */
function recipients(kind: StepKind, reminderChannel: "phone" | "sms" | null, input: PlanInput): [StepChannel, string | null][] {
  const { contacts } = input;
  const aud = audienceOf(contacts);
  const main: ContactRole[] = [aud];
  if (kind === "on-site-notice" || kind === "visit" || kind === "disconnection-proposal") return [[null, null]];
  if (kind === "letter") {
    const to = contacts.filter((c) => c.consent && c.role === aud && c.channel === "post");
    const out: [StepChannel, string | null][] = to.length ? to.map((c) => ["post", c.id]) : [["post", null]];
    if (aud === "tenant") for (const c of contacts.filter((x) => x.consent && x.role === "landlord" && x.channel === "post")) out.push(["post", c.id]);
    return out;
  }
  if (kind === "reminder" && reminderChannel === "phone") {
    const c = pick(contacts, main, CALL_CHANNELS) ?? (aud === "self" ? pick(contacts, ["proxy"], CALL_CHANNELS) : null);
    return c ? [["phone", c.id]] : [];
  }
  // messages: bill notice, pre-debit, SMS reminder
  const smsOnly = kind === "pre-debit" || kind === "reminder";
  const roles: ContactRole[] = aud === "self" && input.elderlyNoSms ? ["proxy"] : main;
  const c = pick(contacts, roles, MESSAGE_CHANNELS, smsOnly);
  return c ? [[c.channel, c.id]] : [];
}

/** The first allowed moment at or after day d, time t: not a holiday, not in the quiet hours. */
function allowed(d: IsoDate, t: string, input: PlanInput): { date: IsoDate; time: string } {
  const q = { quietFrom: input.quietHours.from, quietTo: input.quietHours.to };
  let date = d;
  let time = t;
  for (let guard = 0; guard < 400; guard++) {
    if (input.holidays.has(date)) {
      date = addDays(date, 1);
      time = t;
      continue;
    }
    if (inQuietHours(time, q)) {
      // the quiet hours end at `to`: later today, or tomorrow when they run past midnight
      if (q.quietFrom > q.quietTo && time >= q.quietFrom) date = addDays(date, 1);
      time = q.quietTo;
      continue;
    }
    return { date, time };
  }
  throw new RangeError("no allowed day within 400 days: check the holiday calendar");
}

const KIND_ORDER: StepKind[] = ["bill-notice", "pre-debit", "reminder", "on-site-notice", "visit", "letter", "disconnection-proposal"];

export function planReminders(input: PlanInput, rules: PlanRules = DEFAULT_PLAN_RULES): PlanStep[] {
  const { bill } = input;
  const wanted: { day: IsoDate; kind: StepKind; channel: "phone" | "sms" | null }[] = [{ day: bill.issueDate, kind: "bill-notice", channel: null }];
  if (input.paymentMethod === "bank-debit" && bill.debitDate) {
    let day = addDays(bill.debitDate, -rules.preDebitDays);
    if (day < bill.issueDate) day = addDays(bill.debitDate, -1);
    if (day < bill.issueDate) day = bill.issueDate;
    wanted.push({ day, kind: "pre-debit", channel: null });
  }
  for (const s of rules.ladder[input.grade]) {
    wanted.push({ day: addDays(bill.dueDate, s.day), kind: s.kind, channel: s.kind === "reminder" ? s.channel : null });
  }

  const steps: PlanStep[] = [];
  for (const w of wanted) {
    const isCall = w.kind === "reminder" && w.channel === "phone";
    const when = allowed(w.day, isCall ? rules.callAt : rules.sendAt, input);
    if (input.paidOn !== null && when.date > input.paidOn) continue; // only while unpaid
    for (const [channel, contactId] of recipients(w.kind, w.channel, input)) {
      const instant = zonedInstant(when.date, when.time, rules.timeZone);
      steps.push({ ...when, at: `${when.date}T${when.time}:00${zoneOffset(instant, rules.timeZone)}`, kind: w.kind, channel, contactId });
    }
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

/** The bills of one payment number seen as one (the contract: earliest due date, summed amount):
 *  the planner is called once per payment number, not once per customer number. */
export function paymentNumberBill<B extends { issueDate: IsoDate; dueDate: IsoDate; debitDate: IsoDate | null; amount: number }>(bills: readonly B[]) {
  if (bills.length === 0) throw new RangeError("a payment number's plan needs at least one bill");
  const min = (xs: IsoDate[]) => xs.reduce((a, b) => (b < a ? b : a));
  const debits = bills.map((b) => b.debitDate).filter((d): d is IsoDate => d !== null);
  return {
    issueDate: min(bills.map((b) => b.issueDate)),
    dueDate: min(bills.map((b) => b.dueDate)),
    debitDate: debits.length ? min(debits) : null,
    amount: bills.reduce((s, b) => s + b.amount, 0),
  };
}
