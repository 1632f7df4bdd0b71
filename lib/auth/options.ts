import "server-only";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { SESSION_MAX_ABSOLUTE_HOURS } from "@/lib/domain/settings";
import { clientAddress, trustedProxies, UNKNOWN_ADDRESS } from "./client-address";
import { verifyLogin } from "./login";
import { checkSession, createSession, revokeSession, type LiveSession } from "./sessions";

/** Thrown by the jwt callback for a token whose session is over: next-auth then answers "no
 *  session", clears the cookie where it can, and never re-issues the token. */
class SessionEnded extends Error {
  constructor() {
    super("SESSION_ENDED");
  }
}

// The session each token was found to be in during this request: the jwt callback checks it,
// the session callback (same request, same token object) hands it to the guard.
const checked = new WeakMap<object, LiveSession>();

export type SessionBody = { expires?: string; user: { name: string }; live: LiveSession };

// The JWT carries only the user id, session_version and the id of a server-side session row
// (lib/auth/sessions.ts); every request checks that row and re-reads the user, so the token never
// grants more than the database says now, and sign-out, the idle limit and the absolute limit
// end it on the server. The cookie's own lifetime is only the longest absolute limit allowed.
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_ABSOLUTE_HOURS * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  secret: process.env.NEXTAUTH_SECRET,
  providers: [
    Credentials({
      credentials: { username: { type: "text" }, password: { type: "password" }, code: { type: "text" } },
      async authorize(credentials, req) {
        const address = clientAddress(req?.headers, trustedProxies());
        const ip = address === UNKNOWN_ADDRESS ? null : address;
        const r = await verifyLogin(credentials?.username ?? "", credentials?.password ?? "", { ip, code: credentials?.code });
        // the login page maps the code to a Chinese message; a wait travels as "CODE:seconds"
        if (!r.ok) throw new Error(r.retryAfterMs ? `${r.code}:${Math.ceil(r.retryAfterMs / 1000)}` : r.code);
        const sid = await createSession(r.user.id, { ip, mfa: r.mfa });
        return { id: String(r.user.id), name: r.user.name, sv: r.user.sessionVersion, sid } as never;
      },
    }),
  ],
  // A forged, stale or ended session is routine (the guard then sends the user to the login
  // page): at most one line in the log instead of next-auth's stack trace.
  logger: {
    error(code, metadata) {
      if (code === "JWT_SESSION_ERROR") {
        const ended = metadata instanceof SessionEnded || (metadata as { message?: string })?.message === "SESSION_ENDED";
        if (!ended) console.warn("[auth] ignored an invalid session cookie");
      } else console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : "");
    },
    warn(code) {
      console.warn(`[auth] ${code}`);
    },
    debug() {},
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(token.sid, "SIGN_OUT");
      const id = typeof token?.uid === "number" ? token.uid : null;
      if (id == null) return;
      const u = await prisma.user.findUnique({ where: { id }, select: { stationId: true } });
      if (!u) return;
      await prisma.$transaction((tx) =>
        writeAudit(tx, { stationId: u.stationId, actorId: id, action: "auth.logout", targetType: "user", targetId: id }),
      );
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // signing in: authorize() has just created the session row
        const u = user as unknown as { id: string; sv: number; sid: string };
        token.uid = Number(u.id);
        token.sv = u.sv;
        token.sid = u.sid;
        return token;
      }
      const live = await checkSession(token);
      if (!live) throw new SessionEnded();
      checked.set(token, live);
      return token;
    },
    async session({ session, token }) {
      const live = checked.get(token);
      if (!live) throw new SessionEnded();
      const body: SessionBody = { expires: session.expires, user: { name: live.user.name }, live };
      return body as never;
    },
  },
};
