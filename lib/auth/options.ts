import "server-only";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { prisma } from "@/lib/db";
import { writeAudit } from "@/lib/data/audit";
import { verifyLogin } from "./login";

// Next sets x-forwarded-for to the socket address only when the client did not send one, so
// this address can be forged by a direct client: it feeds only the generous per-address
// throttle; the per-account lock (login.ts) does not depend on it.
function clientAddress(headers: Record<string, unknown> | undefined): string | null {
  const v = headers?.["x-forwarded-for"];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s ? s.split(",")[0].trim() : null;
}

// Sessions are JWTs carrying only the user id and session_version; the guard re-reads the
// user on every request, so the token never grants more than the database says now.
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  secret: process.env.NEXTAUTH_SECRET,
  providers: [
    Credentials({
      credentials: { username: { type: "text" }, password: { type: "password" } },
      async authorize(credentials, req) {
        const r = await verifyLogin(credentials?.username ?? "", credentials?.password ?? "", {
          ip: clientAddress(req?.headers),
        });
        if (!r.ok) throw new Error(r.code); // the login page maps the code to a Chinese message
        return { id: String(r.user.id), name: r.user.name, sv: r.user.sessionVersion } as never;
      },
    }),
  ],
  // A forged or stale cookie is routine (the guard then sends the user to the login page): one
  // line in the log instead of next-auth's stack trace; other errors keep their message.
  logger: {
    error(code, metadata) {
      if (code === "JWT_SESSION_ERROR") console.warn("[auth] ignored an invalid session cookie");
      else console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : "");
    },
    warn(code) {
      console.warn(`[auth] ${code}`);
    },
    debug() {},
  },
  events: {
    async signOut({ token }) {
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
        const u = user as unknown as { id: string; sv: number };
        token.uid = Number(u.id);
        token.sv = u.sv;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.uid, sv: token.sv } as never;
      return session;
    },
  },
};
