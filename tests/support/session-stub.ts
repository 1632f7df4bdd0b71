// For integration tests that call server actions or pages without next-auth: stands in for
// getServerSession (vi.mock("next-auth", …)) and answers what the real one answers after its
// checks (lib/auth/options.ts, lib/auth/sessions.ts), for a user signed in with session_version
// `sv`: the user re-read, nothing for a deactivated user or an older session_version. The
// session row's own limits (sign-out, idle, absolute) are tested in auth-sessions.test.ts.
//
//   const session = vi.hoisted(() => ({ user: null as null | { id: number; sv: number } }));
//   vi.mock("next-auth", async () => {
//     const { stubSession } = await import("../support/session-stub");
//     return { getServerSession: () => stubSession(session.user) };
//   });
import { prisma } from "@/lib/db";
import type { SessionBody } from "@/lib/auth/options";
import { pendingStep } from "@/lib/auth/session-rules";

export async function stubSession(signedIn: { id: number; sv: number; mfa?: boolean } | null): Promise<SessionBody | null> {
  if (!signedIn) return null;
  const u = await prisma.user.findUnique({ where: { id: signedIn.id } });
  if (!u || !u.active || u.sessionVersion !== signedIn.sv) return null;
  // a stand-in signs managers and administrators in with their second factor
  const pending = pendingStep({ role: u.role, mustChangePassword: u.mustChangePassword, totpEnrolled: u.totpEnrolledAt != null }, signedIn.mfa ?? true);
  if (pending === "INVALID") return null;
  return {
    user: { name: u.name },
    live: { sid: `test-session-${u.id}`, user: { id: u.id, stationId: u.stationId, role: u.role, name: u.name, username: u.username }, pending },
  };
}
