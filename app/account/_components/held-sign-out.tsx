import { SignOutButton } from "@/components/shell/sign-out-button";

/** The header offers sign-out only to a session that may reach the app: a session held at a
 *  step (new password, second factor) gets it on the step's page. */
export function HeldSignOut({ label, busy }: { label: string; busy: string }) {
  return (
    <span className="rounded-md bg-brand-700 p-1">
      <SignOutButton label={label} busyLabel={busy} />
    </span>
  );
}
