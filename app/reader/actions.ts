"use server";
// The reader's own decision on a meter he could not read, where the station's setting lets the
// reader choose (readings.missedDecisionBy = READER; the data layer checks it again).
import { runAction } from "@/lib/actions";
import { decideMissedReading } from "@/lib/data/readings";
import { missedDecisionSchema } from "@/lib/validation/reading";

export async function decideMissedOnTablet(input: unknown) {
  return runAction("readings.decideMissed", missedDecisionSchema, input, (d, actor) => decideMissedReading(actor, d));
}
