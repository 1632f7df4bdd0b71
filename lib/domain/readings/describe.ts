// Turns a sync result's reason code into the reader's language (reason codes inside a message
// are translated too, so a Chinese message never shows "HIGH_USAGE").
import type { T } from "@/lib/i18n/core";

export type SyncResultLike = {
  clientKey: string | null;
  status: "stored" | "duplicate" | "rejected";
  readingId?: number;
  code?: string;
  params?: Record<string, string | number>;
  field?: string;
};

export function describeSyncResult<R extends SyncResultLike>(r: R, t: T): R & { message?: string } {
  if (!r.code) return r;
  const params = { ...(r.params ?? {}) };
  if (typeof params.reasons === "string") {
    params.reasons = params.reasons.split(",").filter(Boolean).map((c) => t(`readings.reason.${c}`)).join("、");
  }
  return { ...r, message: t(r.code, params) };
}
