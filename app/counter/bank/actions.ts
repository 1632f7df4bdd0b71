"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { AppError, type ActionResult } from "@/lib/errors";
import { importBankResult, type BankImportReport } from "@/lib/data/bank";
import { bankImportFormSchema } from "@/lib/validation/bank";
import { getT } from "@/lib/i18n/server";

export type BankImportState = (ActionResult<BankImportReport> & { report?: BankImportReport }) | null;

const MAX_BYTES = 8 * 1024 * 1024;

/** Imports the bank's result file (whole file checked first; re-importing posts nothing new). */
export async function importBankAction(_prev: BankImportState, fd: FormData): Promise<BankImportState> {
  const file = fd.get("file");
  const fields = formToObject(fd);
  delete fields.file;
  const r = await runAction("payments.importBank", bankImportFormSchema, fields, async (d, actor) => {
    if (!(file instanceof File) || file.size === 0) throw new AppError("BANK_FILE_EMPTY");
    if (file.size > MAX_BYTES) throw new AppError("BANK_FILE_TOO_LARGE", { max: 50000 });
    const res = await importBankResult(actor, { bank: d.bank, fileName: file.name, content: await file.text(), debitDate: d.debitDate || undefined });
    if (!res.ok) return { rejected: true as const, report: res.report };
    return { rejected: false as const, report: res.report };
  });
  if (r.status !== "ok") return r;
  revalidatePath("/counter/bank");
  revalidatePath("/counter/cashup");
  const t = await getT();
  const { rejected, report } = r.data!;
  if (rejected) return { status: "error", code: "BANK_FILE_REJECTED", message: t("errors.BANK_FILE_REJECTED", { count: report.errors.length }), report };
  return { status: "ok", report };
}
