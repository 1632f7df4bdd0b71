// 销户: the site check's result and a refund's payout. Messages are catalog keys
// (closures.validation.*), translated by runAction.
import { z } from "zod";
import { SITE_CHECK_RESULTS } from "@/lib/domain/closure/closure";
import { isRegister } from "@/lib/domain/billing/consumption";
import { numeric, numericText } from "./input";

const V = "closures.validation.";
const id = (key: string) => numeric(z.coerce.number({ error: V + key }).int({ error: V + key }).positive({ error: V + key }));

export const siteCheckSchema = z.object({
  visitId: id("visit"),
  result: z.enum(SITE_CHECK_RESULTS, { error: V + "result" }),
  note: z.string({ error: V + "note" }).trim().min(2, { error: V + "note" }).max(500, { error: V + "note" }),
  // the register seen at the meter, if it could be read ("" from a form: none)
  finalReading: numericText(z.string().refine((s) => s === "" || isRegister(s), { error: V + "register" })).optional().default("")
    .transform((s) => (s === "" ? null : s)),
});
export type SiteCheckInput = z.infer<typeof siteCheckSchema>;

export const REFUND_CHANNELS = ["CASH", "BANK_TRANSFER"] as const;

export const refundPayoutSchema = z.object({
  refundId: id("refund"),
  channel: z.enum(REFUND_CHANNELS, { error: V + "channel" }),
  reference: z.string().trim().max(80, { error: V + "reference" }).optional().transform((s) => (s ? s : null)),
}).refine((x) => x.channel !== "BANK_TRANSFER" || x.reference !== null, { error: V + "referenceRequired", path: ["reference"] });
export type RefundPayoutInput = z.infer<typeof refundPayoutSchema>;
