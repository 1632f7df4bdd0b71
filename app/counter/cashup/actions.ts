"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formToObject, runAction } from "@/lib/actions";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { closeCashup } from "@/lib/data/cashup";
import { isIsoDate } from "@/lib/domain/calendar";
import { getT } from "@/lib/i18n/server";
import { numericText } from "@/lib/validation/input";
import type { CounterFormState } from "../actions";

const schema = z.object({
  day: numericText(z.string().refine(isIsoDate, "日期格式须为 YYYY-MM-DD")),
  scope: z.enum(["mine", "station"]),
});

export async function closeCashupAction(_prev: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("cashup.close", schema, formToObject(fd), async (d, actor) => {
    if (d.scope === "station" && !can(actor.role, "cashup.closeStation")) throw new AppError("FORBIDDEN");
    return closeCashup(actor, d.day, { clerkId: d.scope === "station" ? null : actor.id });
  });
  if (r.status !== "ok") return r;
  revalidatePath("/counter/cashup");
  return { status: "ok", message: (await getT())("counter.cashup.closedDone") };
}
