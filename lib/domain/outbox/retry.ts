// What a failed send leads to. A transient failure (gateway down, timeout, throttled) is retried
// with growing delays; after maxAttempts it is FAILED with the last error. A permanent failure
// (no or invalid recipient, the gateway refuses the number) is FAILED at once: retrying cannot help.
// Operational constants, not station settings: they protect the gateway, not a business rule.

export type FailureKind = "TRANSIENT" | "PERMANENT";

export type RetryPolicy = { maxAttempts: number; delaysMinutes: readonly number[] };

export const RETRY_POLICY: RetryPolicy = { maxAttempts: 5, delaysMinutes: [1, 5, 15, 60] };

export type AfterFailure = { status: "PENDING"; notBefore: Date } | { status: "FAILED" };

/** `attempts` counts every try so far, this one included (1 after the first failure). */
export function afterFailure(attempts: number, kind: FailureKind, now: Date, policy: RetryPolicy = RETRY_POLICY): AfterFailure {
  if (kind === "PERMANENT" || attempts >= policy.maxAttempts) return { status: "FAILED" };
  const d = policy.delaysMinutes;
  const minutes = d[Math.min(Math.max(attempts, 1), d.length) - 1];
  return { status: "PENDING", notBefore: new Date(now.getTime() + minutes * 60_000) };
}
