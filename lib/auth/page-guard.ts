import "server-only";
import { forbidden, redirect } from "next/navigation";
import { homeFor } from "@/lib/nav";
import { currentSession, type Actor, type CurrentSession } from "./guard";
import { can, type Permission } from "./permissions";
import { PENDING_PAGE, type PendingStep } from "./session-rules";

export const LOGIN_EXPIRED_URL = "/login?expired=1";

/**
 * The guard for pages (server components). Not signed in, session expired, or the session no
 * longer matches the user (deactivated, role changed, password reset) → the login page with the
 * "expired" message. A session held at a step (initial password to change, second factor to
 * enrol) → that step's page. Signed in without the permission → the 403 page (app/forbidden.tsx,
 * HTTP 403, nothing of the page rendered). Server actions use runAction (lib/actions.ts) instead:
 * they answer with a typed error, not a page.
 */
export async function requirePagePermission(p: Permission): Promise<Actor> {
  const actor = await requireSignedIn();
  if (!can(actor.role, p)) forbidden();
  return actor;
}

/** Any signed-in user (pages every role may see). */
export async function requireSignedIn(): Promise<Actor> {
  const s = await currentSession();
  if (!s) redirect(LOGIN_EXPIRED_URL);
  if (s.pending) redirect(PENDING_PAGE[s.pending]);
  return s.actor;
}

/** A signed-in user's own pages: a session held at one of `steps` may open them too. */
export async function requireSessionAt(steps: readonly PendingStep[]): Promise<CurrentSession> {
  const s = await currentSession();
  if (!s) redirect(LOGIN_EXPIRED_URL);
  if (s.pending && !steps.includes(s.pending)) redirect(PENDING_PAGE[s.pending]);
  return s;
}

/** Where a session belongs when it asks for "/" or the login page. */
export function landingFor(s: CurrentSession): string {
  return s.pending ? PENDING_PAGE[s.pending] : homeFor(s.actor.role);
}
