import "server-only";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { verifyLogin } from "./login";

// Sessions are JWTs carrying only the user id and session_version; the guard re-reads the
// user on every request, so the token never grants more than the database says now.
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  secret: process.env.NEXTAUTH_SECRET,
  providers: [
    Credentials({
      credentials: { username: { type: "text" }, password: { type: "password" } },
      async authorize(credentials) {
        const r = await verifyLogin(credentials?.username ?? "", credentials?.password ?? "");
        if (!r.ok) throw new Error(r.code); // the login page maps the code to a Chinese message
        return { id: String(r.user.id), name: r.user.name, sv: r.user.sessionVersion } as never;
      },
    }),
  ],
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
