import { z } from "zod";
import { numeric } from "./input";

export const OUTBOX_STATUSES = ["PENDING", "SENT", "FAILED", "SUPPRESSED"] as const;
export const OUTBOX_CHANNELS = ["SMS", "WECHAT", "EMAIL", "POST", "ON_SITE", "POSTED_NOTICE", "FAX", "PHONE", "LANDLINE"] as const;

const blankToUndefined = (v: unknown) => (v === "" || v == null ? undefined : v);
// FormData / search params give one id as a string and several as an array
const idList = z.preprocess(
  (v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(numeric(z.coerce.number().int().positive())).max(500),
);

/** The outbox page's filter (search params). */
export const outboxFilterSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(OUTBOX_STATUSES).optional()),
  channel: z.preprocess(blankToUndefined, z.enum(OUTBOX_CHANNELS).optional()),
});
export type OutboxFilter = z.infer<typeof outboxFilterSchema>;

/** The print page: the ticked notices, or (none given) the whole queue. */
export const printQuerySchema = z.object({ id: idList });

/** Staff mark printed notices delivered, or undeliverable with the reason. */
export const paperDeliverySchema = z
  .object({
    id: idList.refine((ids) => ids.length > 0, "outbox.validation.pickOne"),
    outcome: z.enum(["DELIVERED", "UNDELIVERABLE"]),
    note: z.string().trim().max(200, "outbox.validation.noteLong").default(""),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === "UNDELIVERABLE" && !d.note) ctx.addIssue({ code: "custom", path: ["note"], message: "outbox.validation.noteRequired" });
  });
export type PaperDeliveryInput = z.infer<typeof paperDeliverySchema>;
