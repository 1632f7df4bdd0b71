import "server-only";
import { z } from "zod";
import { AppError, type ActionResult } from "@/lib/errors";
import { currentSession, requirePermission, type Actor, type CurrentSession } from "@/lib/auth/guard";
import type { PendingStep } from "@/lib/auth/session-rules";
import type { Permission } from "@/lib/auth/permissions";
import { getT } from "@/lib/i18n/server";
import { CONTROL_CHARS_MESSAGE, controlCharPaths } from "@/lib/validation/input";

/**
 * The five steps every server action takes: who is calling → parse → may they → do it → result.
 * Authentication and the permission check come first so a refused caller learns nothing about
 * the input; the body runs only with parsed input. Errors become a typed result: field errors
 * for bad input, a catalog message for AppError, a generic message (and a server log) for
 * anything else, so SQL or stack traces never reach the user.
 */
export async function runAction<S extends z.ZodType, R>(
  permission: Permission,
  schema: S,
  input: unknown,
  body: (data: z.infer<S>, actor: Actor) => Promise<R>,
): Promise<ActionResult<R>> {
  const t = await getT();
  try {
    const actor = await requirePermission(permission);
    // a control character in any field (a NUL pasted into a name, a search, a note) is refused
    // here, for every action at once: PostgreSQL would refuse it later, as a generic failure
    const bad = controlCharPaths(input);
    if (bad.length > 0) {
      const fieldErrors = Object.fromEntries(bad.map((p) => [p.join(".") || "_", [t(CONTROL_CHARS_MESSAGE)]]));
      return { status: "invalid", message: t("errors.INVALID_INPUT"), fieldErrors };
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error.issues, t);
    const data = await body(parsed.data, actor);
    return { status: "ok", data };
  } catch (e) {
    return errorResult(e, t);
  }
}

/**
 * The same five steps for what a user does to their own account (change their password, enrol
 * their second factor): no permission but a live session of their own, which may be held at one
 * of `steps` (a user who must change an initial password can do just that).
 */
export async function runSessionAction<S extends z.ZodType, R>(
  steps: readonly PendingStep[],
  schema: S,
  input: unknown,
  body: (data: z.infer<S>, session: CurrentSession) => Promise<R>,
): Promise<ActionResult<R>> {
  const t = await getT();
  try {
    const session = await currentSession();
    if (!session || (session.pending && !steps.includes(session.pending))) throw new AppError("AUTH_REQUIRED");
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error.issues, t);
    return { status: "ok", data: await body(parsed.data, session) };
  } catch (e) {
    return errorResult(e, t);
  }
}

function invalid(issues: z.core.$ZodIssue[], t: (k: string) => string) {
  const fieldErrors: Record<string, string[]> = {};
  // a message may be a catalog key (e.g. "admin.users.validation.username"); t() returns any
  // other text unchanged
  for (const issue of issues) (fieldErrors[issue.path.join(".") || "_"] ??= []).push(t(issue.message));
  return { status: "invalid" as const, message: t("errors.INVALID_INPUT"), fieldErrors };
}

export function errorResult(e: unknown, t: (k: string, p?: Record<string, string | number>) => string) {
  if (e instanceof AppError) {
    return { status: "error" as const, code: e.code, message: t(`errors.${e.code}`, e.params) };
  }
  console.error("[action] unexpected error", e);
  return { status: "error" as const, code: "GENERIC", message: t("errors.GENERIC") };
}

/** FormData → plain object (repeated keys become arrays) for zod to parse. */
export function formToObject(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of fd.entries()) {
    if (k.startsWith("$ACTION")) continue;
    const val = typeof v === "string" ? v : v;
    if (k in out) out[k] = ([] as unknown[]).concat(out[k], val);
    else out[k] = val;
  }
  return out;
}

/** FormData → the typed text fields, to echo back on failure so a form keeps what was typed. */
export function formStrings(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd.entries()) if (!k.startsWith("$") && typeof v === "string") out[k] = v;
  return out;
}
