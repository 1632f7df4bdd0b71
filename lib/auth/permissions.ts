// The one permission table. Actions and pages ask for a permission, never for a role name.
import type { Role } from "@/generated/prisma/enums";

export const PERMISSIONS = {
  // readings
  "readings.record": ["READER"], // take readings on the tablet
  "readings.import": ["AUDITOR", "ADMIN"], // collected-readings file
  "readings.view": ["READER", "AUDITOR", "MANAGER", "CLERK"],
  "readings.checks": ["AUDITOR", "MANAGER"], // reading-day checks
  // missed reading: catch-up visit or estimate; a reader only where the station's setting allows
  "readings.decideMissed": ["AUDITOR", "READER"],
  // 复抄 ordered by the auditor: the visit's own reader (checked again in lib/data), or an auditor
  "readings.reread": ["READER", "AUDITOR"],
  "readingDay.request": ["READER", "AUDITOR"],
  "readingDay.approve": ["AUDITOR"],
  "meters.replace": ["AUDITOR", "READER"],
  // billing and audit
  "tariffs.manage": ["ADMIN"],
  "tariffs.view": ["AUDITOR", "MANAGER", "ADMIN", "CLERK"],
  "billing.run": ["AUDITOR"],
  "audit.clear": ["AUDITOR"],
  "bills.release": ["AUDITOR"],
  "bills.correct": ["AUDITOR"],
  "bills.view": ["CLERK", "AUDITOR", "MANAGER"],
  // 销户: the closures list; the site check's result (the assigned reader, or an auditor);
  // the manager approves in /approvals (approvals.decide); the counter pays refunds out
  "closures.view": ["AUDITOR", "MANAGER"],
  "closures.siteCheck": ["READER", "AUDITOR"],
  "refunds.pay": ["CLERK"],
  // counter
  "customers.search": ["CLERK", "AUDITOR", "MANAGER", "READER"],
  "customers.view": ["CLERK", "AUDITOR", "MANAGER", "READER"],
  "customers.editContacts": ["CLERK", "READER"],
  "customers.revealPersonal": ["CLERK", "MANAGER"], // logged
  "payments.record": ["CLERK"],
  "payments.requestReversal": ["CLERK"],
  "lateFees.requestWaiver": ["CLERK"], // a manager decides it in /approvals
  "payments.importBank": ["CLERK", "AUDITOR"],
  "cashup.view": ["CLERK", "MANAGER"],
  "cashup.close": ["CLERK", "MANAGER"], // a clerk closes their own day
  "cashup.closeStation": ["MANAGER"], // the station's day
  "complaints.register": ["CLERK", "READER"],
  // collection
  "reminders.manage": ["MANAGER", "AUDITOR"],
  "visits.record": ["READER", "CLERK"],
  "arrangements.request": ["CLERK", "READER"],
  // manager approvals and oversight
  "approvals.decide": ["MANAGER"], // reversal, waiver, write-off, arrangement
  "disconnection.approve": ["MANAGER"],
  "grades.override": ["MANAGER"],
  "dashboard.view": ["MANAGER"],
  "months.close": ["MANAGER"],
  "staff.zones": ["MANAGER"],
  // the outbox (通知发送): what went out to customers, and the print queue of letters and notices
  "outbox.view": ["MANAGER", "ADMIN"],
  "outbox.deliver": ["MANAGER", "ADMIN"], // mark printed letters / notices delivered or undeliverable
  // administration
  "users.manage": ["ADMIN"],
  "settings.manage": ["ADMIN"],
  "auditLog.view": ["ADMIN", "MANAGER"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, p: Permission): boolean {
  return (PERMISSIONS[p] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
