"use server";
import { revalidatePath } from "next/cache";
import { formStrings, formToObject, runAction } from "@/lib/actions";
import { addTariffVersion, createTariff, updateTariffVersion } from "@/lib/data/tariffs";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { addTariffVersionSchema, createTariffSchema, updateTariffVersionSchema } from "@/lib/validation/tariff";

// Tariff administration: every action goes through runAction with `tariffs.manage`. Values are
// echoed back on failure so the form keeps what was typed.
export type TariffFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

async function done(key: string): Promise<TariffFormState> {
  revalidatePath("/admin/tariffs");
  return { status: "ok", message: (await getT())(`tariffs.done.${key}`) };
}

export async function addTariffVersionAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", addTariffVersionSchema, formToObject(fd), (d, actor) => addTariffVersion(actor, d));
  return r.status === "ok" ? done("added") : { ...r, values: formStrings(fd) };
}

export async function updateTariffVersionAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", updateTariffVersionSchema, formToObject(fd), (d, actor) => updateTariffVersion(actor, d));
  return r.status === "ok" ? done("edited") : { ...r, values: formStrings(fd) };
}

export async function createTariffAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", createTariffSchema, formToObject(fd), (d, actor) => createTariff(actor, d));
  return r.status === "ok" ? done("created") : { ...r, values: formStrings(fd) };
}
