// What would raise a grade, found by running the grade rule itself on the customer's likely
// future rather than by a second set of rules that could drift from it: pay what is overdue
// today, then keep paying on time month after month, and see when the grade gets better. The
// grade page says it as "缴清欠费 … 元后可升为 C" / "再按时缴清 3 期可升为 B".
import { addDays, addMonthsToDate, type IsoDate } from "../calendar";
import { sumFen, type Fen } from "../money";
import { computeGrade, gradeRank, type Grade, type GradeInput, type GradePeriod, type GradeRules } from "./grade";

export type GradeStep =
  | { kind: "PAY_ARREARS"; amount: Fen; grade: Grade } // paying what is overdue today gives this grade
  | { kind: "PAY_ON_TIME"; periods: number; grade: Grade; by: IsoDate }; // then n more bills on time

const MAX_MONTHS = 36;

/**
 * The next better grade within reach and how to get there, or null when the grade is already A,
 * is decided by an override, or no behaviour of the customer's own can improve it in three years.
 */
export function gradeOutlook(input: GradeInput, rules: GradeRules): GradeStep[] {
  const now = computeGrade(input, rules);
  if (now.grade === "A" || now.reasons.includes("OVERRIDE")) return [];
  const steps: GradeStep[] = [];
  const { asOf } = input;

  // 1. pay every overdue bill today
  const overdue = input.periods.filter((p) => (p.paidOn === null || p.paidOn > asOf) && p.dueDate < asOf);
  let base: GradeInput = input;
  let best: Grade = now.grade;
  if (overdue.length > 0) {
    base = { ...input, periods: input.periods.map((p) => (overdue.includes(p) ? { ...p, paidOn: asOf } : p)) };
    const g = computeGrade(base, rules).grade;
    if (gradeRank(g) < gradeRank(best)) {
      steps.push({ kind: "PAY_ARREARS", amount: sumFen(overdue.map((p) => p.amount)), grade: g });
      best = g;
    }
  }

  // 2. then one bill a month, paid on time, until the grade gets better
  // the next bills fall due a month apart from the latest one (from asOf for a customer without bills)
  const lastDue = input.periods.reduce<IsoDate | null>((m, p) => (m === null || p.dueDate > m ? p.dueDate : m), null) ?? asOf;
  const future: GradePeriod[] = [];
  for (let k = 1; k <= MAX_MONTHS; k++) {
    const dueDate = addMonthsToDate(lastDue, k);
    future.push({ period: dueDate.slice(0, 7), dueDate, amount: 0, paidOn: addDays(dueDate, -1), remindersSent: 0 });
    const later: GradeInput = {
      ...base,
      asOf: dueDate,
      periods: [...base.periods.map((p) => (p.paidOn === null && p.dueDate > asOf ? { ...p, paidOn: p.dueDate } : p)), ...future],
      // 催存 leave the window with their dates; without dates they are assumed to stay
    };
    const g = computeGrade(later, rules).grade;
    if (gradeRank(g) < gradeRank(best)) {
      steps.push({ kind: "PAY_ON_TIME", periods: k, grade: g, by: dueDate });
      break;
    }
  }
  return steps;
}
