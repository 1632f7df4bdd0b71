/** "TOO_MANY_ATTEMPTS:12" (lib/auth/options.ts) → the message, with the wait in seconds. Shared
 *  by the page (next-auth's ?error= after a post without JavaScript) and the form. */
export function loginErrorMessage(errors: Record<string, string>, raw: string | null | undefined): string {
  const [code, wait] = String(raw ?? "").split(":");
  if (code === "TOO_MANY_ATTEMPTS" && /^\d+$/.test(wait ?? "")) return errors.TOO_MANY_ATTEMPTS_WAIT.replace("{seconds}", wait);
  return errors[code] ?? errors.GENERIC;
}
