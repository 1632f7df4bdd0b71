// The credit grade A/B/C/D (信用等级) with its reasons: docs/calculator.md `grade`, the rule of
// articles 004 §2.1.4 and 000 §2.1. A pays without being asked and its balance never runs short;
// B needs a reminder now and then; C most months, or stole power, or complained maliciously; D
// does not pay even after reminders. Pure: the caller passes the customer's bills with how and
// when they were paid and reminded, the findings, and `asOf`; thresholds are settings (`grade`).
import { addMonthsToDate, daysBetween, type IsoDate } from "../calendar";
import type { Fen } from "../money";
import type { Settings } from "../settings";

export const GRADES = ["A", "B", "C", "D"] as const;
export type Grade = (typeof GRADES)[number];

/** Reasons in the order of the rules that give them (a grade's reasons are listed in this order). */
export const GRADE_REASONS = [
  "OVERRIDE",
  "REFUSES_AFTER_REMINDERS",
  "DISCONNECTED",
  "NEW_CUSTOMER",
  "REMINDED_MOST_MONTHS",
  "THEFT_OR_VIOLATION",
  "MALICIOUS_COMPLAINT",
  "ARREARS_3_PERIODS",
  "REMINDED_SOMETIMES",
  "PAYS_UNPROMPTED",
] as const;
export type GradeReason = (typeof GRADE_REASONS)[number];

export type GradeRules = Settings["grade"];

export type GradePeriod = {
  period: string; // YYYY-MM, the bill's period
  dueDate: IsoDate;
  amount: Fen;
  paidOn: IsoDate | null; // the day it was paid in full; null: still unpaid
  remindersSent: number; // chasing after the due date: reminder, on-site notice, visit, letter
};

export type GradeOverride = { grade: Grade; until: IsoDate; reason: string };

export type GradeInput = {
  asOf: IsoDate;
  periods: readonly GradePeriod[];
  balanceShortfalls: number; // 催存 in the window: a debit or prepaid balance ran short
  /** the days of those 催存, when known: then the count is taken from them for the window (the
   *  grade page's outlook needs them to see old ones leave the window) */
  balanceShortfallDates?: readonly IsoDate[];
  theftOrViolationOn: IsoDate | null;
  maliciousComplaint: boolean;
  disconnectedForArrearsOn: IsoDate | null;
  override: GradeOverride | null;
};

/** The figures behind a grade, kept with it so every reason can be told with its numbers. */
export type GradeFigures = {
  windowFrom: IsoDate; // bills due after this day (and not after asOf) are in the window
  billsTotal: number; // every bill given
  billsInWindow: number;
  paidLate: number; // in the window: paid after the due date
  unpaidPastDue: number; // in the window: still unpaid after the due date
  remindedBills: number; // in the window: got at least one reminder
  balanceShortfalls: number;
  remindedCount: number; // R: window bills late, unpaid past due or reminded, plus shortfalls
  arrearsPeriods: number; // bills of any age unpaid past their due date
  refusedBill: { period: string; daysPastDue: number; reminders: number } | null; // the worst one
};

export type GradeResult = { grade: Grade; reasons: GradeReason[]; remindedCount: number; figures: GradeFigures };

/** Unpaid as of asOf: never paid, or paid only after asOf (when grading a past day). */
const unpaidOn = (p: GradePeriod, asOf: IsoDate) => p.paidOn === null || p.paidOn > asOf;
const within = (d: IsoDate | null, from: IsoDate, asOf: IsoDate) => d !== null && d > from && d <= asOf;

export function gradeFigures(input: GradeInput, rules: GradeRules): GradeFigures {
  const { asOf } = input;
  const windowFrom = addMonthsToDate(asOf, -rules.windowMonths);
  const due = input.periods.filter((p) => p.dueDate <= asOf);
  const inWindow = due.filter((p) => p.dueDate > windowFrom);
  const isLate = (p: GradePeriod) => !unpaidOn(p, asOf) && p.paidOn! > p.dueDate;
  const isUnpaidPastDue = (p: GradePeriod) => unpaidOn(p, asOf) && p.dueDate < asOf;
  const counted = inWindow.filter((p) => isLate(p) || isUnpaidPastDue(p) || p.remindersSent > 0);
  const shortfalls = input.balanceShortfallDates
    ? input.balanceShortfallDates.filter((d) => within(d, windowFrom, asOf)).length
    : input.balanceShortfalls;

  let refusedBill: GradeFigures["refusedBill"] = null;
  for (const p of due) {
    if (!unpaidOn(p, asOf) || p.remindersSent < rules.refuseMinReminders) continue;
    const daysPastDue = daysBetween(p.dueDate, asOf);
    if (daysPastDue > rules.refuseDaysAfterDue && (!refusedBill || daysPastDue > refusedBill.daysPastDue)) {
      refusedBill = { period: p.period, daysPastDue, reminders: p.remindersSent };
    }
  }
  return {
    windowFrom,
    billsTotal: input.periods.length,
    billsInWindow: inWindow.length,
    paidLate: inWindow.filter(isLate).length,
    unpaidPastDue: inWindow.filter(isUnpaidPastDue).length,
    remindedBills: inWindow.filter((p) => p.remindersSent > 0).length,
    balanceShortfalls: shortfalls,
    remindedCount: counted.length + shortfalls,
    arrearsPeriods: due.filter(isUnpaidPastDue).length,
    refusedBill,
  };
}

/**
 * The grade by the rules in order (the first that decides gives the grade); every reason that
 * holds is listed, in rule order. PAYS_UNPROMPTED is given only with grade A.
 */
export function computeGrade(input: GradeInput, rules: GradeRules): GradeResult {
  const { asOf } = input;
  const f = gradeFigures(input, rules);
  const R = f.remindedCount;
  const holds: Record<Exclude<GradeReason, "PAYS_UNPROMPTED">, boolean> = {
    OVERRIDE: input.override !== null && input.override.until >= asOf,
    REFUSES_AFTER_REMINDERS: f.refusedBill !== null,
    DISCONNECTED: within(input.disconnectedForArrearsOn, f.windowFrom, asOf),
    NEW_CUSTOMER: f.billsTotal < rules.newCustomerMinBills,
    REMINDED_MOST_MONTHS: R >= rules.remindedMostMonths,
    THEFT_OR_VIOLATION: within(input.theftOrViolationOn, addMonthsToDate(asOf, -rules.theftLookbackMonths), asOf),
    MALICIOUS_COMPLAINT: input.maliciousComplaint,
    ARREARS_3_PERIODS: f.arrearsPeriods >= rules.arrearsPeriodsForC,
    REMINDED_SOMETIMES: R >= 1 && R < rules.remindedMostMonths,
  };

  let byRules: Grade;
  if (holds.REFUSES_AFTER_REMINDERS || holds.DISCONNECTED) byRules = "D";
  else if (holds.NEW_CUSTOMER) byRules = "B";
  else if (holds.REMINDED_MOST_MONTHS || holds.THEFT_OR_VIOLATION || holds.MALICIOUS_COMPLAINT || holds.ARREARS_3_PERIODS) byRules = "C";
  else if (holds.REMINDED_SOMETIMES) byRules = "B";
  else byRules = "A";
  const grade = holds.OVERRIDE ? input.override!.grade : byRules;

  const reasons = GRADE_REASONS.filter((r) => (r === "PAYS_UNPROMPTED" ? grade === "A" && byRules === "A" : holds[r]));
  return { grade, reasons, remindedCount: R, figures: f };
}

/** A before B before C before D: a lower rank is a better grade. */
export const gradeRank = (g: Grade) => GRADES.indexOf(g);
