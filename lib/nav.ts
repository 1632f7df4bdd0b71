// The navigation: each entry names the permission its page checks, so a role sees exactly the
// pages it may open. Owners of an area add their entries here (additive edits).
import type { Role } from "@/generated/prisma/enums";
import { can, type Permission } from "@/lib/auth/permissions";

export type NavEntry = { href: string; labelKey: string; permission: Permission };

export const NAV: readonly NavEntry[] = [
  // reader: the tablet
  { href: "/reader", labelKey: "shell.nav.reader", permission: "readings.record" },
  // auditor
  { href: "/audit", labelKey: "shell.nav.audit", permission: "audit.clear" },
  { href: "/audit/runs", labelKey: "shell.nav.auditRuns", permission: "billing.run" },
  { href: "/audit/checks", labelKey: "shell.nav.auditChecks", permission: "readings.checks" },
  { href: "/audit/reading-days", labelKey: "shell.nav.auditReadingDays", permission: "readingDay.approve" },
  { href: "/audit/imports", labelKey: "shell.nav.auditImports", permission: "readings.import" },
  { href: "/audit/closures", labelKey: "shell.nav.auditClosures", permission: "closures.view" },
  // clerk
  { href: "/counter", labelKey: "shell.nav.counter", permission: "payments.record" },
  { href: "/counter/cashup", labelKey: "shell.nav.cashup", permission: "cashup.view" },
  { href: "/counter/bank", labelKey: "shell.nav.bank", permission: "payments.importBank" },
  { href: "/counter/refunds", labelKey: "shell.nav.refunds", permission: "refunds.pay" },
  // manager
  { href: "/dashboard", labelKey: "shell.nav.dashboard", permission: "dashboard.view" },
  { href: "/approvals", labelKey: "shell.nav.approvals", permission: "approvals.decide" },
  { href: "/counter/months", labelKey: "counter.months.title", permission: "months.close" },
  { href: "/outbox", labelKey: "shell.nav.outbox", permission: "outbox.view" },
  // admin
  { href: "/admin/users", labelKey: "shell.nav.users", permission: "users.manage" },
  { href: "/admin/tariffs", labelKey: "shell.nav.tariffs", permission: "tariffs.manage" },
  { href: "/admin/settings", labelKey: "shell.nav.settings", permission: "settings.manage" },
];

/** Where each role lands after signing in (and on "/"). */
export const HOME_BY_ROLE: Record<Role, string> = {
  CLERK: "/counter",
  READER: "/reader",
  AUDITOR: "/audit",
  MANAGER: "/dashboard",
  ADMIN: "/admin/users",
};

/** The entries a role may open, its home first, the rest in NAV order. */
export function navFor(role: Role, entries: readonly NavEntry[] = NAV): NavEntry[] {
  const mine = entries.filter((e) => can(role, e.permission));
  const home = HOME_BY_ROLE[role];
  return [...mine.filter((e) => e.href === home), ...mine.filter((e) => e.href !== home)];
}

export function homeFor(role: Role): string {
  return HOME_BY_ROLE[role];
}

/** The entry a path belongs to: the longest href that is the path or a parent of it. */
export function activeHref(pathname: string, entries: readonly Pick<NavEntry, "href">[]): string | null {
  let best: string | null = null;
  for (const e of entries) {
    const hit = pathname === e.href || pathname.startsWith(e.href + "/");
    if (hit && (best === null || e.href.length > best.length)) best = e.href;
  }
  return best;
}
