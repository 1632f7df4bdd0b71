import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth v4's route handler: sign-in (credentials), sign-out, CSRF token, session.
const handler = NextAuth(authOptions);
export { handler as GET, handler as POST };
