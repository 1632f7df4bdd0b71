"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formToObject, runAction } from "@/lib/actions";
import { changeRole, createUser, resetPassword, resetTwoFactor, setActive } from "@/lib/data/users";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { changeRoleSchema, createUserSchema, resetPasswordSchema, resetTwoFactorSchema, setActiveSchema } from "@/lib/validation/user";

// Users administration: every action goes through runAction with `users.manage` (who → parse →
// may they → lib/data/users → result). Form values are echoed back on failure so the form keeps
// what was typed (React resets a form after its action); passwords never are.

export type UserFormState = (ActionResult<unknown> & { values?: Record<string, string> }) | null;

function keep(fd: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(fd.get(n) ?? "")]));
}

export async function createUserAction(_prev: UserFormState, fd: FormData): Promise<UserFormState> {
  const r = await runAction("users.manage", createUserSchema, formToObject(fd), (d, actor) => createUser(actor, d));
  if (r.status !== "ok") return { ...r, values: keep(fd, ["username", "name", "role", "stationId"]) };
  revalidatePath("/admin/users");
  redirect(`/admin/users/${r.data!.id}?created=1`); // after the try/catch inside runAction
}

export async function resetPasswordAction(_prev: UserFormState, fd: FormData): Promise<UserFormState> {
  const r = await runAction("users.manage", resetPasswordSchema, formToObject(fd), (d, actor) => resetPassword(actor, d));
  if (r.status !== "ok") return r;
  revalidatePath("/admin/users");
  return { status: "ok", message: (await getT())("admin.users.done.passwordReset") };
}

export async function changeRoleAction(_prev: UserFormState, fd: FormData): Promise<UserFormState> {
  const r = await runAction("users.manage", changeRoleSchema, formToObject(fd), (d, actor) => changeRole(actor, d));
  if (r.status !== "ok") return { ...r, values: keep(fd, ["role"]) };
  revalidatePath("/admin/users");
  return { status: "ok", message: (await getT())("admin.users.done.roleChanged") };
}

export async function setActiveAction(_prev: UserFormState, fd: FormData): Promise<UserFormState> {
  const r = await runAction("users.manage", setActiveSchema, formToObject(fd), (d, actor) => setActive(actor, d));
  if (r.status !== "ok") return r;
  revalidatePath("/admin/users");
  const t = await getT();
  return { status: "ok", message: t(fd.get("active") === "true" ? "admin.users.done.reactivated" : "admin.users.done.deactivated") };
}

export async function resetTwoFactorAction(_prev: UserFormState, fd: FormData): Promise<UserFormState> {
  const r = await runAction("users.manage", resetTwoFactorSchema, formToObject(fd), (d, actor) => resetTwoFactor(actor, d));
  if (r.status !== "ok") return r;
  revalidatePath("/admin/users");
  return { status: "ok", message: (await getT())("admin.users.done.twoFactorReset") };
}
