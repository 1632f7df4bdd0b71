// The collection partners' JSON API (app/api/partner/v1): strict inputs, Chinese messages naming the field.
import { z } from "zod";
import { isIsoDate } from "@/lib/domain/calendar";
import { readAmount } from "@/lib/domain/money";
import { numericText } from "./input";

// amount: exactly two decimals (the partner's own systems send that); full-width digits are read
// like any other numeric field; above one payment's ceiling it is "too large", its own message
const amount = numericText(
  z.string()
    .regex(/^\d+\.\d{2}$/, "amount 须为两位小数的金额字符串，如 \"120.50\"")
    .refine((s) => {
      const r = readAmount(s);
      return r.ok || r.problem !== "tooLarge";
    }, { error: "payments.validation.amountTooLarge" }),
  "amount 须为金额字符串，如 \"120.50\"",
);
const txId = z.string({ error: "transactionId 不能为空" }).trim().min(1, "transactionId 不能为空").max(64, "transactionId 最多 64 个字符").regex(/^[A-Za-z0-9_.:-]+$/, "transactionId 只能含字母、数字和 _ . : -");
// numbers people read off a bill: full-width digits are theirs too
const customerNo = numericText(z.string().min(1).max(20));
const paymentNo = numericText(z.string().min(1).max(20));
const isoDate = (field: string) => numericText(z.string().refine(isIsoDate, `${field} 须为有效日期 YYYY-MM-DD`));

export const amountDueQuerySchema = z
  .strictObject({ customerNo: customerNo.optional(), paymentNo: paymentNo.optional() })
  .refine((q) => !!q.customerNo !== !!q.paymentNo, "须且只能提供 customerNo 或 paymentNo 之一");

export const partnerPaymentSchema = z
  .strictObject({
    transactionId: txId,
    customerNo: customerNo.optional(),
    paymentNo: paymentNo.optional(),
    amount,
    paidOn: isoDate("paidOn").optional(),
  })
  .refine((q) => !!q.customerNo !== !!q.paymentNo, "须且只能提供 customerNo 或 paymentNo 之一");

export const reconciliationSchema = z.strictObject({
  date: isoDate("date"),
  transactions: z.array(z.strictObject({ transactionId: txId, amount })).max(100_000, "一次最多 100000 笔"),
});

export const partnerCreateSchema = z.object({
  code: z.string().trim().regex(/^[A-Z0-9_]{2,20}$/, "代码须为 2–20 位大写字母、数字或下划线"),
  name: z.string().trim().min(1).max(60),
  channel: z.enum(["WECHAT", "ALIPAY", "UNIONPAY", "MOBILE_BANK", "KIOSK", "BANK_DEBIT"], "渠道须为 WECHAT / ALIPAY / UNIONPAY / MOBILE_BANK / KIOSK / BANK_DEBIT"),
});

export type PartnerPaymentInput = z.infer<typeof partnerPaymentSchema>;
