// The collected-readings upload: the file name (the content is validated row by row in SQL).
import { z } from "zod";
import { hasControlChars } from "./input";

export const importFileNameSchema = z
  .string({ error: "readings.validation.file" })
  .trim()
  .refine((s) => !hasControlChars(s), { error: "readings.validation.file", abort: true })
  .min(1, { error: "readings.validation.file" })
  .max(200, { error: "readings.validation.file" })
  .regex(/\.(csv|txt)$/i, { error: "readings.validation.file" });
