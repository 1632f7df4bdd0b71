// Bank debit files: the result file's rows are checked as a whole before anything is posted.
import { z } from "zod";
import { isIsoDate } from "@/lib/domain/calendar";
import { readAmount } from "@/lib/domain/money";
import { numericText } from "./input";

export const BANK_RESULT_COLUMNS = ["line_ref", "customer_no", "amount", "status", "reason"] as const;
export const BANK_FAILURE_REASONS = ["INSUFFICIENT_FUNDS", "ACCOUNT_CLOSED", "ACCOUNT_FROZEN", "NO_AGREEMENT", "OTHER"] as const;

export const bankCodeSchema = z.string().trim().regex(/^[A-Z0-9]{2,12}$/, "银行代码须为 2–12 位大写字母或数字，如 ICBC");

export const bankImportFormSchema = z.object({
  bank: bankCodeSchema,
  debitDate: numericText(z.string().refine((s) => s === "" || isIsoDate(s), "扣款日期须为 YYYY-MM-DD")).optional(),
});

export const bankExportSchema = z.object({ month: numericText(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式须为 YYYY-MM")) });

/** One result row (all strings as read from the CSV); messages name what is wrong, in Chinese. */
export const bankResultRowSchema = z
  .object({
    line_ref: z.string().trim().min(1, "line_ref 不能为空").max(60, "line_ref 最多 60 个字符").regex(/^[A-Za-z0-9_.:-]+$/, "line_ref 只能含字母、数字和 _ . : -"),
    customer_no: z.string().trim().min(1, "customer_no 不能为空").max(20, "customer_no 过长"),
    amount: numericText(z.string().regex(/^\d+(\.\d{1,2})?$/, "amount 须为正数，最多两位小数").refine((s) => {
      const r = readAmount(s);
      return r.ok || r.problem !== "tooLarge";
    }, "amount 超过单笔上限 1000000000.00 元")),
    status: z.enum(["SUCCESS", "FAILED"], "status 须为 SUCCESS 或 FAILED"),
    reason: z.string().trim().optional().default(""),
  })
  .superRefine((r, ctx) => {
    if (r.status === "SUCCESS" && Number(r.amount) <= 0) ctx.addIssue({ code: "custom", path: ["amount"], message: "扣款成功的金额须大于 0" });
    if (r.status === "FAILED" && !(BANK_FAILURE_REASONS as readonly string[]).includes(r.reason))
      ctx.addIssue({ code: "custom", path: ["reason"], message: `扣款失败须注明原因：${BANK_FAILURE_REASONS.join(" / ")}` });
  });
