// Users administration: one schema per action, shared by the forms, the server actions and the
// tests. Messages are catalog keys (admin.users.validation.*), translated by runAction.
import { z } from "zod";
import { Role } from "@/generated/prisma/enums";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { numeric } from "./input";

const V = "admin.users.validation.";

/** Usernames are compared in lower case, without surrounding spaces (login does the same). */
export function normalizeUsername(s: string): string {
  return s.trim().toLowerCase();
}

export const usernameSchema = z
  .string({ error: V + "username" })
  .transform(normalizeUsername)
  .pipe(z.string().regex(/^[a-z][a-z0-9._-]{1,39}$/, { error: V + "username" }));

export const passwordSchema = z
  .string({ error: V + "passwordShort" })
  .min(PASSWORD_MIN_LENGTH, { error: V + "passwordShort" })
  .max(128, { error: V + "passwordLong" })
  .refine((s) => /\p{L}/u.test(s) && /\d/.test(s), { error: V + "passwordMix" });

const nameSchema = z
  .string({ error: V + "name" })
  .trim()
  .min(1, { error: V + "name" })
  .max(40, { error: V + "name" });

export const roleSchema = z.enum(Object.values(Role) as [Role, ...Role[]], { error: V + "role" });

const id = (key: string) => numeric(z.coerce.number({ error: V + key }).int({ error: V + key }).positive({ error: V + key }));

export const createUserSchema = z.object({
  username: usernameSchema,
  name: nameSchema,
  role: roleSchema,
  stationId: id("station"),
  password: passwordSchema,
});

export const resetPasswordSchema = z.object({ userId: id("userId"), password: passwordSchema });

export const changeRoleSchema = z.object({ userId: id("userId"), role: roleSchema });

export const setActiveSchema = z.object({
  userId: id("userId"),
  // from a form: "true"/"false"; from code: a boolean
  active: z.union([z.boolean(), z.enum(["true", "false"]).transform((s) => s === "true")], { error: V + "active" }),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>;
export type SetActiveInput = z.infer<typeof setActiveSchema>;

// ─── one's own account (lib/auth/account.ts) ───

const A = "auth.account.validation.";

export const changeOwnPasswordSchema = z
  .object({
    current: z.string({ error: A + "current" }).min(1, { error: A + "current" }).max(128, { error: A + "current" }),
    password: passwordSchema,
    confirm: z.string().optional(),
  })
  .refine((d) => d.confirm === undefined || d.confirm === d.password, { path: ["confirm"], error: A + "confirm" })
  .refine((d) => d.current !== d.password, { path: ["password"], error: A + "same" });

export const totpCodeSchema = z.object({
  code: z
    .string({ error: A + "code" })
    .transform((s) => s.normalize("NFKC").replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, { error: A + "code" })),
});

export const resetTwoFactorSchema = z.object({ userId: id("userId") });

export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordSchema>;
export type ResetTwoFactorInput = z.infer<typeof resetTwoFactorSchema>;
