import "server-only";
import { forbidden, redirect } from "next/navigation";
import { currentActor, type Actor } from "./guard";
import { can, type Permission } from "./permissions";

export const LOGIN_EXPIRED_URL = "/login?expired=1";

/**
 * The guard for pages (server components). Not signed in, session expired, or the session no
 * longer matches the user (deactivated, role changed, password reset) → the login page with the
 * "expired" message. Signed in without the permission → the 403 page (app/forbidden.tsx, HTTP
 * 403, nothing of the page rendered). Server actions use runAction (lib/actions.ts) instead:
 * they answer with a typed error, not a page.
 */
export async function requirePagePermission(p: Permission): Promise<Actor> {
  const actor = await requireSignedIn();
  if (!can(actor.role, p)) forbidden();
  return actor;
}

/** Any signed-in user (pages every role may see). */
export async function requireSignedIn(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(LOGIN_EXPIRED_URL);
  return actor;
}
