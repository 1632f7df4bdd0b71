import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/nav";

// "/" sends each role to its own home, and everyone else to the login page.
export default async function Home() {
  const actor = await currentActor();
  redirect(actor ? homeFor(actor.role) : "/login");
}
