"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { recordPaperDelivery } from "@/lib/data/outbox";
import { getT } from "@/lib/i18n/server";
import { paperDeliverySchema } from "@/lib/validation/outbox";
import type { CounterFormState } from "@/app/counter/actions";

/** Printed letters / notices marked delivered, or undeliverable with the reason. */
export async function recordPaperDeliveryAction(_p: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("outbox.deliver", paperDeliverySchema, formToObject(fd), (d, a) => recordPaperDelivery(a, d));
  if (r.status !== "ok") return { ...r, values: { note: String(fd.get("note") ?? ""), outcome: String(fd.get("outcome") ?? "") } };
  revalidatePath("/outbox");
  const { marked, skipped } = r.data!;
  const t = await getT();
  return { status: "ok", message: skipped > 0 ? t("outbox.print.markedSkipped", { n: marked, skipped }) : t("outbox.print.marked", { n: marked }) };
}
