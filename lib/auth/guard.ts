import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { AppError } from "@/lib/errors";
import type { Role } from "@/generated/prisma/enums";
import { authOptions, type SessionBody } from "./options";
import { can, type Permission } from "./permissions";
import type { PendingStep } from "./session-rules";

export type Actor = { id: number; stationId: number; role: Role; name: string; username: string };

/** A live session: who, and the step it is held at (must change the password, must enrol the
 *  second factor) before it may reach anything else. */
export type CurrentSession = { actor: Actor; sid: string; pending: PendingStep | null };

/** The caller's session, checked on the server on every request (lib/auth/sessions.ts: not
 *  signed out, not idle, not too old; the user re-read, so a deactivated user, a changed role or
 *  a reset password (session_version bumped) takes effect at once). React's cache() shares the
 *  answer between the layout and the page of ONE render; it never outlives it. */
export const currentSession = cache(async (): Promise<CurrentSession | null> => {
  const body = (await getServerSession(authOptions)) as SessionBody | null;
  const live = body?.live;
  return live ? { actor: live.user, sid: live.sid, pending: live.pending } : null;
});

/** Who is calling, if their session may reach the app (no pending step). */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const s = await currentSession();
  return s && !s.pending ? s.actor : null;
});

/** The one guard: every server action, route handler and data read calls it first. */
export async function requirePermission(p: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("AUTH_REQUIRED");
  if (!can(actor.role, p)) throw new AppError("FORBIDDEN");
  return actor;
}
