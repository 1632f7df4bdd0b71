// Payment, reversal and waiver input (counter forms, partner API, bank files share the amount rule).
import { z } from "zod";
import { readAmount } from "@/lib/domain/money";
import { PAYMENT_CHANNEL_VALUES } from "@/lib/domain/payments/channels";
import { numeric, numericText } from "./input";

const V = "payments.validation.";

/** Yuan as typed by a person: "120", "120.5", "120.50", "１２０．５", "1,200" → fen; > 0, two decimals,
 *  at most 10 亿元; a huge amount is told it is above the limit, not that it is malformed. */
export const yuanAmount = numericText(
  z.string().transform((s, ctx) => {
    const r = readAmount(s);
    if (r.ok) return r.fen;
    ctx.addIssue({ code: "custom", message: V + (r.problem === "format" ? "amount" : r.problem === "zero" ? "amountZero" : "amountTooLarge") });
    return z.NEVER;
  }),
  V + "amountRequired",
);

export const channelSchema = z.enum(PAYMENT_CHANNEL_VALUES, "请选择缴费渠道");

export const paymentFormSchema = z.object({
  // customer:<id> pays for one customer number; account:<id> for every customer of a payment number
  target: z.string().regex(/^(customer|account):\d{1,10}$/, "缴费对象无效"),
  amount: yuanAmount,
  channel: channelSchema,
  reference: z.string().trim().max(80, "参考号最多 80 个字符").optional().transform((s) => (s ? s : null)),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9:_-]{16,100}$/, "表单已失效，请刷新页面后重新收款"),
});

export type PaymentForm = z.infer<typeof paymentFormSchema>;

export const reasonSchema = z.string({ error: "请填写原因" }).trim().min(4, "请写明原因（至少 4 个字）").max(500, "原因最多 500 字");

export const reversalRequestSchema = z.object({ paymentId: numeric(z.coerce.number().int().positive()), reason: reasonSchema });
export const waiverRequestSchema = z.object({ billId: numeric(z.coerce.number().int().positive()), reason: reasonSchema });
export const approvalDecisionSchema = z.object({
  id: numeric(z.coerce.number().int().positive()),
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(500).optional(),
});
export const monthCloseSchema = z.object({ month: numericText(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式须为 YYYY-MM")) });
