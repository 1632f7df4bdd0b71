import "server-only";
import type { Tx } from "@/lib/db";

export type AuditEntry = {
  stationId: number | null;
  actorId: number | null;
  action: string; // verb.noun, e.g. "payment.record", "user.deactivate"
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** Writes the audit record inside the caller's transaction: no change without its record. */
export async function writeAudit(tx: Tx, e: AuditEntry) {
  await tx.auditLog.create({
    data: {
      stationId: e.stationId,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId == null ? null : String(e.targetId),
      before: e.before === undefined ? undefined : (JSON.parse(JSON.stringify(e.before)) as object),
      after: e.after === undefined ? undefined : (JSON.parse(JSON.stringify(e.after)) as object),
      reason: e.reason ?? null,
    },
  });
}
