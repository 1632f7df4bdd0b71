// `npm run --silent calc -- reminder-plan` (docs/calculator.md `reminder-plan`): the contract's JSON
// in, the plan's steps out, through the same planReminders the app's planner uses.
import { z } from "zod";
import { isIsoDate } from "../calendar";
import { GRADES } from "../grading/grade";
import { settingsOverrideSchema, timeSetting, type Settings } from "../settings";
import { DEFAULT_LADDER } from "./ladder";
import { planReminders } from "./plan";

const date = z.string().refine(isIsoDate, "日期须为有效的 YYYY-MM-DD");
const money = z.string().regex(/^\d{1,11}\.\d{2}$/, "金额须为不小于零、两位小数的字符串，如 \"120.00\"");

export const reminderPlanInputSchema = z
  .strictObject({
    asOf: date,
    grade: z.enum(GRADES, "等级须为 A、B、C 或 D"),
    paymentMethod: z.enum(["counter", "bank-debit", "online", "prepaid"], "paymentMethod 须为 counter、bank-debit、online 或 prepaid"),
    bill: z.strictObject({ issueDate: date, dueDate: date, amount: money, debitDate: date.nullable() }),
    paidOn: date.nullable(),
    contacts: z.array(
      z.strictObject({
        id: z.string().min(1, "id 不能为空"),
        role: z.enum(["self", "proxy", "landlord", "tenant", "finance"], "role 须为 self、proxy、landlord、tenant 或 finance"),
        channel: z.enum(["sms", "phone", "landline", "wechat", "email", "post"], "channel 须为 sms、phone、landline、wechat、email 或 post"),
        consent: z.boolean(),
      }),
    ),
    elderlyNoSms: z.boolean(),
    quietHours: z.strictObject({ from: timeSetting, to: timeSetting }),
    holidays: z.array(date).optional(),
    settings: settingsOverrideSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.bill.dueDate < v.bill.issueDate) ctx.addIssue({ code: "custom", path: ["bill", "dueDate"], message: "到期日不能早于出账日" });
    const ids = new Set<string>();
    v.contacts.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: "custom", path: ["contacts", i, "id"], message: "联系人 id 重复" });
      ids.add(c.id);
    });
  });

export type ReminderPlanInput = z.infer<typeof reminderPlanInputSchema>;

export function runReminderPlan(input: ReminderPlanInput, settings: Settings) {
  const steps = planReminders(
    {
      grade: input.grade,
      paymentMethod: input.paymentMethod,
      bill: input.bill,
      paidOn: input.paidOn,
      contacts: input.contacts,
      elderlyNoSms: input.elderlyNoSms,
      quietHours: input.quietHours,
      holidays: new Set(input.holidays ?? []),
    },
    {
      ladder: DEFAULT_LADDER,
      sendAt: settings.reminders.sendAt,
      callAt: settings.reminders.callAt,
      preDebitDays: settings.reminders.preDebitDays,
      timeZone: settings.station.timezone,
    },
  );
  return { steps: steps.map((s) => ({ at: s.at, kind: s.kind, channel: s.channel, contactId: s.contactId })) };
}
