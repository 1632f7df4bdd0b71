"use server";
import { redirect } from "next/navigation";
import { formToObject, runSessionAction } from "@/lib/actions";
import { changeOwnPassword, enrolTotp, regenerateRecoveryCodes } from "@/lib/auth/account";
import type { ActionResult } from "@/lib/errors";
import { getT } from "@/lib/i18n/server";
import { changeOwnPasswordSchema, totpCodeSchema } from "@/lib/validation/user";

// One's own account: no permission, the caller's own live session (runSessionAction), which may
// be held at the step the action completes. Passwords and codes are never echoed back.

export type AccountFormState = (ActionResult<{ recoveryCodes?: string[] }> & { values?: Record<string, string> }) | null;

export async function changeOwnPasswordAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  let wasHeld = false;
  const r = await runSessionAction(["CHANGE_PASSWORD"], changeOwnPasswordSchema, formToObject(fd), async (d, s) => {
    wasHeld = s.pending === "CHANGE_PASSWORD";
    await changeOwnPassword(s, d);
    return {};
  });
  if (r.status !== "ok") return r;
  if (wasHeld) redirect("/"); // on to the next step, or home (after the try/catch in runSessionAction)
  return { status: "ok", message: (await getT())("auth.account.password.done") };
}

export async function enrolTotpAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  return runSessionAction(["ENROL_TOTP"], totpCodeSchema, formToObject(fd), (d, s) => enrolTotp(s, d.code));
}

export async function regenerateRecoveryCodesAction(_prev: AccountFormState, fd: FormData): Promise<AccountFormState> {
  return runSessionAction([], totpCodeSchema, formToObject(fd), (d, s) => regenerateRecoveryCodes(s, d.code));
}
