import { z } from "zod";
import { EMAIL_RE, MOBILE_RE } from "@/lib/domain/outbox/recipient";
import { CONTROL_CHARS_MESSAGE, hasControlChars, numeric, numericText } from "./input";

const ROLES = ["SELF", "PROXY", "LANDLORD", "TENANT", "FINANCE"] as const;
const CHANNELS = ["SMS", "PHONE", "LANDLINE", "WECHAT", "EMAIL", "POST"] as const;
const bool = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

export const contactFormSchema = z
  .object({
    customerId: numeric(z.coerce.number().int().positive()),
    id: numeric(z.preprocess((v) => (v === "" || v == null ? null : v), z.coerce.number().int().positive().nullable())),
    // runAction refuses a control character in any field first; the schema says so too, for any
    // other caller (a NUL reached PostgreSQL, which refuses it: a 500)
    name: z.string().trim().min(1, "请填写联系人姓名").max(40, "姓名最多 40 个字").refine((s) => !hasControlChars(s), { error: CONTROL_CHARS_MESSAGE }),
    role: z.enum(ROLES, "请选择联系人身份"),
    channel: z.enum(CHANNELS, "请选择联系方式"),
    // on an edit, empty keeps the stored value (it is never sent to the browser in full)
    // a phone number typed in full-width digits is the same number (NFKC, like every numeric field)
    value: numericText(z.string().max(120, "最多 120 个字符").refine((s) => !hasControlChars(s), { error: CONTROL_CHARS_MESSAGE })).default(""),
    consent: bool,
    active: bool,
    note: z.string().trim().max(200, "备注最多 200 字").refine((s) => !hasControlChars(s), { error: CONTROL_CHARS_MESSAGE }).optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.value) {
      if (!c.id) ctx.addIssue({ code: "custom", path: ["value"], message: "请填写号码或地址" });
      return;
    }
    if ((c.channel === "SMS" || c.channel === "PHONE") && !MOBILE_RE.test(c.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: "手机号须为 11 位数字，如 13812345678" });
    if (c.channel === "LANDLINE" && !/^0\d{2,3}-?\d{7,8}$/.test(c.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: "固定电话格式如 0571-88886666" });
    if (c.channel === "EMAIL" && !EMAIL_RE.test(c.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: "电子邮箱格式不正确" });
  });

export const revealSchema = z.object({
  customerId: numeric(z.coerce.number().int().positive()),
  contactId: numeric(z.preprocess((v) => (v === "" || v == null ? null : v), z.coerce.number().int().positive().nullable())),
});

export const CONTACT_ROLES = ROLES;
export const CONTACT_CHANNELS = CHANNELS;
