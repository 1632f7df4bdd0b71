"use client";
import { useState } from "react";
import { signOut } from "next-auth/react";

/** Signs out through next-auth (POST with its CSRF token), then a full load of the login page
 *  so the header and every cached page forget the user. */
export function SignOutButton({ label, busyLabel }: { label: string; busyLabel: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      data-testid="sign-out"
      onClick={async () => {
        setBusy(true);
        try {
          await signOut({ redirect: false });
        } finally {
          window.location.assign("/login");
        }
      }}
      className="min-h-9 rounded-md border border-white/30 px-3 text-sm text-white hover:bg-white/10 disabled:opacity-60"
    >
      {busy ? busyLabel : label}
    </button>
  );
}
