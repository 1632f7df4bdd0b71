// Meter replacement (换表): the old meter's final reading, the new meter and its start reading.
import { z } from "zod";
import { isIsoDate } from "@/lib/domain/calendar";
import { registerString } from "./reading";
import { numeric, numericText } from "./input";

const V = "readings.validation.";

export const meterReplaceSchema = z.strictObject({
  customerNo: numericText(z.string().min(1, { error: V + "customer" }).max(20, { error: V + "customer" }), V + "customer"),
  // the meter the form showed: a replacement recorded meanwhile (another device, a double submit)
  // must not be replaced again by a form that no longer describes the premises
  oldMeterNo: z.string({ error: V + "meterNo" }).trim().min(1, { error: V + "meterNo" }).max(30, { error: V + "meterNo" }),
  replacedOn: numericText(z.string().refine(isIsoDate, { error: V + "date" }), V + "date"),
  finalReading: registerString,
  newMeterNo: z.string({ error: V + "meterNo" }).trim().regex(/^[A-Za-z0-9-]{4,30}$/, { error: V + "meterNo" }),
  startReading: registerString,
  multiplier: numeric(z.coerce.number({ error: V + "multiplier" }).int({ error: V + "multiplier" }).min(1, { error: V + "multiplier" }).max(100000, { error: V + "multiplier" })),
  digits: numeric(z.coerce.number({ error: V + "digits" }).int({ error: V + "digits" }).min(4, { error: V + "digits" }).max(9, { error: V + "digits" })),
  reason: z.string({ error: V + "reason" }).trim().min(2, { error: V + "reason" }).max(200, { error: V + "reason" }),
});
export type MeterReplaceInput = z.infer<typeof meterReplaceSchema>;
