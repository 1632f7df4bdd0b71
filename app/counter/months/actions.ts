"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { closeMonth, stationToday } from "@/lib/data/ledger";
import { getT } from "@/lib/i18n/server";
import { monthCloseSchema } from "@/lib/validation/payment";
import type { CounterFormState } from "../actions";

export async function closeMonthAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("months.close", monthCloseSchema, formToObject(fd), async (d, actor) =>
    closeMonth(actor.stationId, d.month, actor.id, await stationToday(actor.stationId)));
  if (r.status !== "ok") return r;
  revalidatePath("/counter/months");
  return { status: "ok", message: (await getT())("counter.months.done", { month: String(fd.get("month")) }) };
}
