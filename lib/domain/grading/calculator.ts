// `npm run --silent calc -- grade` (docs/calculator.md `grade`): the contract's JSON in, the
// grade with its reasons out, through the same computeGrade the regrading job uses.
import { z } from "zod";
import { isIsoDate, isPeriod } from "../calendar";
import { parseYuan } from "../money";
import { settingsOverrideSchema, type Settings } from "../settings";
import { computeGrade, GRADES } from "./grade";

const date = z.string().refine(isIsoDate, "日期须为有效的 YYYY-MM-DD");
const money = z.string().regex(/^\d{1,11}\.\d{2}$/, "金额须为不小于零、两位小数的字符串，如 \"88.00\"");

export const gradeInputSchema = z.strictObject({
  asOf: date,
  periods: z.array(
    z.strictObject({
      period: z.string().refine(isPeriod, "账期须为 YYYY-MM"),
      dueDate: date,
      amount: money,
      paidOn: date.nullable(),
      remindersSent: z.number().int("须为整数").min(0, "不能为负数"),
    }),
  ),
  balanceShortfalls: z.number().int("须为整数").min(0, "不能为负数"),
  theftOrViolationOn: date.nullable(),
  maliciousComplaint: z.boolean(),
  disconnectedForArrearsOn: date.nullable(),
  override: z
    .strictObject({
      grade: z.enum(GRADES, "等级须为 A、B、C 或 D"),
      until: date,
      reason: z.string().trim().min(1, "须写明调整原因"),
    })
    .nullable(),
  settings: settingsOverrideSchema.optional(),
});

export type GradeCalculatorInput = z.infer<typeof gradeInputSchema>;

export function runGrade(input: GradeCalculatorInput, settings: Settings) {
  const r = computeGrade(
    {
      asOf: input.asOf,
      periods: input.periods.map((p) => ({ ...p, amount: parseYuan(p.amount) })),
      balanceShortfalls: input.balanceShortfalls,
      theftOrViolationOn: input.theftOrViolationOn,
      maliciousComplaint: input.maliciousComplaint,
      disconnectedForArrearsOn: input.disconnectedForArrearsOn,
      override: input.override,
    },
    settings.grade,
  );
  return { grade: r.grade, reasons: r.reasons, remindedCount: r.remindedCount, figures: r.figures };
}
