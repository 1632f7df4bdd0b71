import { z } from "zod";
import { CONTROL_CHARS_MESSAGE, hasControlChars, numeric } from "./input";

/** The counter's search box (the API and the page's ?q=). */
export const searchSchema = z.object({
  q: z.string().trim().max(60, "counter.search.tooLong").refine((s) => !hasControlChars(s), { error: CONTROL_CHARS_MESSAGE }),
});
export const customerIdSchema = numeric(z.coerce.number().int().positive());
