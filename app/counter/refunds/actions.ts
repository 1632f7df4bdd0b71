"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { payRefund } from "@/lib/data/refunds";
import { formatYuan } from "@/lib/domain/money";
import { getT } from "@/lib/i18n/server";
import { refundPayoutSchema } from "@/lib/validation/closure";
import type { CounterFormState } from "../actions";

/** The counter records a closure refund as paid out (cash, or a bank transfer with its voucher). */
export async function payRefundAction(_p: CounterFormState, fd: FormData): Promise<CounterFormState> {
  const r = await runAction("refunds.pay", refundPayoutSchema, formToObject(fd), (d, a) => payRefund(a, d));
  if (r.status !== "ok") return { ...r, values: { channel: String(fd.get("channel") ?? ""), reference: String(fd.get("reference") ?? "") } };
  revalidatePath("/counter/refunds");
  revalidatePath("/counter/cashup");
  return { status: "ok", message: (await getT())("closures.refunds.paidOk", { amount: formatYuan((r.data as { amount: number }).amount) }) };
}
