"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { replaceMeter } from "@/lib/data/meters";
import { meterReplaceSchema } from "@/lib/validation/meter";
import type { ActionResult } from "@/lib/errors";

export type ReplaceState = (ActionResult<Awaited<ReturnType<typeof replaceMeter>>> & { values?: Record<string, unknown> }) | null;

export async function replaceMeterAction(_prev: ReplaceState, fd: FormData): Promise<ReplaceState> {
  const values = formToObject(fd);
  const r = await runAction("meters.replace", meterReplaceSchema, values, async (d, actor) => {
    const out = await replaceMeter(actor, d);
    revalidatePath("/reader/replace");
    return out;
  });
  return { ...r, values };
}
