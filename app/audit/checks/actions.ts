"use server";
// Reading-day checks: the next page of rows, and the decision on a missed reading.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import { runReadingChecks } from "@/lib/data/reading-checks";
import { decideMissedReading } from "@/lib/data/readings";
import { checksQuerySchema, missedDecisionSchema } from "@/lib/validation/reading";

export async function loadCheckRows(input: unknown) {
  return runAction("readings.checks", checksQuerySchema, input, async (q, actor) => {
    const r = await runReadingChecks(actor.stationId, q.period, q.scope, { filter: q.filter, after: q.after ?? null });
    return { rows: r.rows, next: r.next };
  });
}

export async function decideMissed(input: unknown) {
  return runAction("readings.decideMissed", missedDecisionSchema, input, async (d, actor) => {
    const out = await decideMissedReading(actor, d);
    revalidatePath("/audit/checks");
    return out;
  });
}
