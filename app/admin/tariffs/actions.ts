"use server";
import { revalidatePath } from "next/cache";
import { formToObject, runAction } from "@/lib/actions";
import { addTariffVersion, createTariff, updateTariffVersion } from "@/lib/data/tariffs";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { addTariffVersionSchema, createTariffSchema, updateTariffVersionSchema } from "@/lib/validation/tariff";

// Tariff administration: every action goes through runAction with `tariffs.manage`. Values are
// echoed back on failure so the form keeps what was typed.
export type TariffFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

function values(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (!k.startsWith("$") && typeof v === "string") out[k] = v;
  return out;
}

async function done(key: string): Promise<TariffFormState> {
  revalidatePath("/admin/tariffs");
  return { status: "ok", message: (await getT())(`tariffs.done.${key}`) };
}

export async function addTariffVersionAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", addTariffVersionSchema, formToObject(fd), (d, actor) => addTariffVersion(actor, d));
  return r.status === "ok" ? done("added") : { ...r, values: values(fd) };
}

export async function updateTariffVersionAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", updateTariffVersionSchema, formToObject(fd), (d, actor) => updateTariffVersion(actor, d));
  return r.status === "ok" ? done("edited") : { ...r, values: values(fd) };
}

export async function createTariffAction(_p: TariffFormState, fd: FormData): Promise<TariffFormState> {
  const r = await runAction("tariffs.manage", createTariffSchema, formToObject(fd), (d, actor) => createTariff(actor, d));
  return r.status === "ok" ? done("created") : { ...r, values: values(fd) };
}
