// Readings from the tablet (one item of the offline queue) and the decisions on missed ones.
// Messages are catalog keys (readings.validation.*), translated where they are shown.
import { z } from "zod";
import { isPeriod } from "@/lib/domain/calendar";
import { CONFIRM_REASONS, REREAD_CONFIRMED } from "@/lib/domain/readings/plausibility";
import { MISSED_REASONS } from "@/lib/domain/readings/estimates";
import { isRegister } from "@/lib/domain/readings/register";
import { numeric, numericText } from "./input";

const V = "readings.validation.";

/** What the reader may flag at the meter (they feed audit and grading). */
export const OBSERVATIONS = ["VACANT", "USAGE_CHANGED", "METER_FAULT", "NO_ACCESS"] as const;
export type Observation = (typeof OBSERVATIONS)[number];

export const REASON_CODES = [...CONFIRM_REASONS, REREAD_CONFIRMED] as const;

/** A register value as typed: digits with at most two decimals (full-width digits and thousands
 *  separators normalised first, lib/validation/input.ts); letters, signs, other commas refused. */
export const registerString = numericText(z.string().refine((s) => isRegister(s), { error: V + "value" }), V + "value");

// A photo of the register, downscaled on the tablet; kept small so the queue stays small.
export const MAX_PHOTO_CHARS = 600_000;

export const readingItemSchema = z
  .strictObject({
    clientKey: z.string({ error: V + "clientKey" }).regex(/^[A-Za-z0-9_-]{8,80}$/, { error: V + "clientKey" }),
    installationId: z.number({ error: V + "meter" }).int({ error: V + "meter" }).positive({ error: V + "meter" }),
    period: numericText(z.string().refine(isPeriod, { error: V + "period" }), V + "period"),
    value: registerString.nullable(),
    peak: registerString.nullable().optional(),
    valley: registerString.nullable().optional(),
    readAt: z.iso.datetime({ offset: true, error: V + "readAt" }),
    reasonCode: z.enum(REASON_CODES, { error: V + "reasonCode" }).nullable().optional(),
    missedReason: z.enum(MISSED_REASONS, { error: V + "missedReason" }).nullable().optional(),
    observations: z.array(z.enum(OBSERVATIONS, { error: V + "observation" })).max(OBSERVATIONS.length).default([]),
    photo: z
      .string()
      .regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/=]+$/, { error: V + "photo" })
      .max(MAX_PHOTO_CHARS, { error: V + "photo" })
      .nullable()
      .optional(),
  })
  .refine((v) => v.value !== null || !!v.missedReason, { error: V + "missedReasonRequired", path: ["missedReason"] })
  .refine((v) => v.value === null || !v.missedReason, { error: V + "valueAndMissed", path: ["missedReason"] });

export type ReadingItem = z.infer<typeof readingItemSchema>;
export type ReadingItemInput = z.input<typeof readingItemSchema>;

/** The sync endpoint's body: items are validated one by one so one bad item does not block the rest. */
export const syncBatchSchema = z.strictObject({
  items: z.array(z.unknown(), { error: V + "batch" }).min(1, { error: V + "batch" }).max(500, { error: V + "batch" }),
});

/** A form's optional register: "" is none; anything else must be a register like the value. */
const optionalRegister = numericText(z.string().refine((s) => s === "" || isRegister(s), { error: V + "value" })).optional().default("")
  .transform((s) => (s === "" ? null : s));

/** 复抄: what the reader (or an auditor) found at the meter of an audit-ordered re-read visit. */
export const rereadSchema = z.object({
  visitId: numeric(z.coerce.number({ error: V + "visit" }).int({ error: V + "visit" }).positive({ error: V + "visit" })),
  value: registerString,
  peak: optionalRegister,
  again: optionalRegister, // typed a second time when the value looks like a misread
  reasonCode: z.union([z.literal("").transform(() => null), z.enum(CONFIRM_REASONS, { error: V + "reasonCode" })]).optional().default(null),
  note: z.string().trim().max(200, { error: V + "note" }).optional().default("").transform((s) => (s === "" ? null : s)),
});
export type RereadFormInput = z.infer<typeof rereadSchema>;

export const missedDecisionSchema = z.strictObject({
  readingId: numeric(z.coerce.number({ error: V + "reading" }).int().positive({ error: V + "reading" })),
  choice: z.enum(["CATCH_UP", "ESTIMATE"], { error: V + "choice" }),
});
export type MissedDecisionInput = z.infer<typeof missedDecisionSchema>;

// ─── reading-day checks ───

/** "station" | "route:12" | "reader:7" (a select's value) → a typed scope. */
export const scopeSchema = z
  .string({ error: V + "scope" })
  .regex(/^(station|route:\d{1,9}|reader:\d{1,9})$/, { error: V + "scope" })
  .transform((s) => {
    const [kind, id] = s.split(":");
    if (kind === "route") return { kind: "route" as const, routeId: Number(id) };
    if (kind === "reader") return { kind: "reader" as const, readerId: Number(id) };
    return { kind: "station" as const };
  });

export const checkFilterSchema = z.enum(["EXCEPTIONS", "ALL", "ON_TIME", "OFF_DAY", "ESTIMATED", "NOT_TAKEN"], { error: V + "scope" });

export const checksQuerySchema = z.strictObject({
  period: numericText(z.string().refine(isPeriod, { error: V + "period" }), V + "period"),
  scope: scopeSchema.prefault("station"),
  filter: checkFilterSchema.default("EXCEPTIONS"),
  after: z.strictObject({ rank: z.number().int().min(0).max(3), customerNo: z.string().max(20) }).nullable().optional(),
});
export type ChecksQuery = z.infer<typeof checksQuerySchema>;
