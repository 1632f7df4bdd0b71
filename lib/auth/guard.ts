import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/generated/prisma/enums";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";

export type Actor = { id: number; stationId: number; role: Role; name: string; username: string };

/** Who is calling: re-read from the database on every request, so a deactivated user, a changed
 *  role or a reset password (session_version bumped) takes effect at once. React's cache()
 *  shares the answer between the layout and the page of ONE render; it never outlives it. */
export const currentActor = cache(readActor);

async function readActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const s = session?.user as { id?: number; sv?: number } | undefined;
  if (!s?.id) return null;
  const u = await prisma.user.findUnique({
    where: { id: s.id },
    select: { id: true, stationId: true, role: true, name: true, username: true, active: true, sessionVersion: true },
  });
  if (!u || !u.active || u.sessionVersion !== s.sv) return null;
  return { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username };
}

/** The one guard: every server action, route handler and data read calls it first. */
export async function requirePermission(p: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError("AUTH_REQUIRED");
  if (!can(actor.role, p)) throw new AppError("FORBIDDEN");
  return actor;
}
