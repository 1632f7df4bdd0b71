import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/guard";
import { landingFor } from "@/lib/auth/page-guard";

// "/" sends each role to its own home (or to the step it must take first), and everyone else
// to the login page.
export default async function Home() {
  const s = await currentSession();
  redirect(s ? landingFor(s) : "/login");
}
