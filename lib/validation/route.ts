// Reading-day change requests, decisions and customer confirmations.
import { z } from "zod";
import { isPeriod } from "@/lib/domain/calendar";
import { numeric, numericText } from "./input";

const V = "readings.validation.";
const id = (key: string) => numeric(z.coerce.number({ error: V + key }).int({ error: V + key }).positive({ error: V + key }));

export const dayChangeRequestSchema = z.strictObject({
  routeId: id("route"),
  newDay: numeric(z.coerce.number({ error: V + "day" }).int({ error: V + "day" }).min(1, { error: V + "day" }).max(28, { error: V + "day" })),
  fromPeriod: numericText(z.string().refine(isPeriod, { error: V + "period" }), V + "period"),
  reason: z.string({ error: V + "reason" }).trim().min(2, { error: V + "reason" }).max(200, { error: V + "reason" }),
});

export const dayChangeDecisionSchema = z.strictObject({
  changeId: id("reading"),
  decision: z.enum(["approve", "reject"], { error: V + "choice" }),
  note: z.string({ error: V + "note" }).trim().max(200, { error: V + "note" }).transform((s) => s || null),
});

export const CONFIRM_CHANNELS = ["PHONE", "SMS", "ON_SITE", "WECHAT"] as const;

export const confirmationsSchema = z.strictObject({
  changeId: id("reading"),
  channel: z.enum(CONFIRM_CHANNELS, { error: V + "channel" }),
  customerIds: z.preprocess((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]),
    z.array(id("customer"), { error: V + "customers" }).min(1, { error: V + "customers" }).max(5000, { error: V + "customers" })),
});
