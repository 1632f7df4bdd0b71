// Billing runs, release, exceptions and corrections: the forms' and actions' schemas.
// Messages are catalog keys (billing.validation.*), translated by runAction.
import { z } from "zod";
import { isPeriod } from "@/lib/domain/calendar";
import { isRegister } from "@/lib/domain/billing/consumption";
import { numeric, numericText } from "./input";

const V = "billing.validation.";

const id = (key: string) => numeric(z.coerce.number({ error: V + key }).int({ error: V + key }).positive({ error: V + key }));

/** FormData gives one string or several: always an array of positive ints. */
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ""))
  .pipe(z.array(numericText(z.string().regex(/^\d{1,9}$/, { error: V + "routes" }).transform(Number))).max(500, { error: V + "routes" }));

export const startRunSchema = z.object({
  period: numericText(z.string().refine(isPeriod, { error: V + "period" }), V + "period"),
  routeIds: idList,
});
export type StartRunInput = z.infer<typeof startRunSchema>;

export const runIdSchema = z.object({ runId: id("run") });

export const RESOLUTIONS = ["ACCEPT", "CORRECT_READING", "REREAD", "CHANGE_TARIFF", "PROPOSE_CLOSURE"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A register as typed by the auditor (full-width digits normalised like every number). */
export const registerText = numericText(z.string().refine(isRegister, { error: V + "register" }), V + "register");
/** An optional register: "" (or absent) is none. */
export const optionalRegisterText = numericText(z.string().refine((s) => s === "" || isRegister(s), { error: V + "register" })).optional().default("");

const note = z.string({ error: V + "note" }).trim().min(2, { error: V + "note" }).max(500, { error: V + "note" });

export const clearExceptionSchema = z.discriminatedUnion("resolution", [
  z.object({ resolution: z.literal("ACCEPT"), exceptionId: id("exception"), note }),
  z.object({
    resolution: z.literal("CORRECT_READING"),
    exceptionId: id("exception"),
    note,
    total: registerText,
    peak: optionalRegisterText,
  }),
  z.object({ resolution: z.literal("REREAD"), exceptionId: id("exception"), note }),
  z.object({
    resolution: z.literal("CHANGE_TARIFF"),
    exceptionId: id("exception"),
    note,
    usageType: z.enum(["RESIDENTIAL", "COMMERCIAL", "INDUSTRIAL", "AGRICULTURAL", "PUBLIC"], { error: V + "usageType" }),
    tariffId: id("tariff"),
  }),
  z.object({ resolution: z.literal("PROPOSE_CLOSURE"), exceptionId: id("exception"), note }),
], { error: V + "resolution" });
export type ClearExceptionInput = z.infer<typeof clearExceptionSchema>;

/** Accept many exceptions of one code at once (the worklist's bulk accept). */
export const acceptManySchema = z.object({
  exceptionIds: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(numericText(z.string().regex(/^\d{1,9}$/, { error: V + "exception" }).transform(Number))).min(1, { error: V + "exception" }).max(1000, { error: V + "tooMany" })),
  note,
});

export const reverseBillSchema = z.object({ billId: id("bill"), note });
/** 冲正重开: the corrected registers are optional ("" keeps the reading). */
export const reverseAndRebillSchema = reverseBillSchema.extend({ total: optionalRegisterText, peak: optionalRegisterText });
