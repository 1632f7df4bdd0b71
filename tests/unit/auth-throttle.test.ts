import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ACCOUNT_ADDRESS_POLICY,
  ADDRESS_POLICY,
  MemoryThrottle,
  afterFailure,
  effectiveFailures,
  lockDurationMs,
  lockedForMs,
  type ThrottlePolicy,
  type ThrottleState,
} from "@/lib/auth/throttle";

const MIN = 60_000;
const P: ThrottlePolicy = { freeFailures: 4, baseLockMs: MIN, maxLockMs: 30 * MIN, resetAfterMs: 24 * 60 * MIN };

function failTimes(n: number, at: number, p = P): ThrottleState {
  let s: ThrottleState = { failures: 0, lastFailedAt: null };
  for (let i = 0; i < n; i++) s = afterFailure(s, at, p);
  return s;
}

describe("lockDurationMs", () => {
  it.each([
    [0, 0],
    [1, 0],
    [4, 0],
    [5, 1 * MIN], // the 5th consecutive failure locks for a minute
    [6, 2 * MIN],
    [7, 4 * MIN],
    [8, 8 * MIN],
    [9, 16 * MIN],
    [10, 30 * MIN], // capped
    [500, 30 * MIN],
  ])("%i failures → %i ms", (failures, ms) => {
    expect(lockDurationMs(failures, P)).toBe(ms);
  });

  it("never decreases as failures grow and never exceeds the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        const a = lockDurationMs(n, P);
        const b = lockDurationMs(n + 1, P);
        return b >= a && b <= P.maxLockMs && Number.isFinite(b);
      }),
    );
  });
});

describe("lockedForMs", () => {
  const t0 = Date.UTC(2026, 10, 22, 1, 0, 0);

  it("is free before the 5th failure", () => {
    expect(lockedForMs(failTimes(4, t0), t0, P)).toBe(0);
  });

  it("is free below the limit even if the last failure is stamped after now (concurrent requests)", () => {
    expect(lockedForMs({ failures: 3, lastFailedAt: t0 + 50 }, t0, P)).toBe(0);
  });

  it("locks after the 5th failure for one minute, then frees", () => {
    const s = failTimes(5, t0);
    expect(lockedForMs(s, t0, P)).toBe(MIN);
    expect(lockedForMs(s, t0 + 59_999, P)).toBe(1);
    expect(lockedForMs(s, t0 + MIN, P)).toBe(0);
  });

  it("a failure after the lock expired locks for twice as long", () => {
    const s = afterFailure(failTimes(5, t0), t0 + MIN, P);
    expect(s.failures).toBe(6);
    expect(lockedForMs(s, t0 + MIN, P)).toBe(2 * MIN);
  });

  it("forgets a run whose last failure is older than resetAfterMs", () => {
    const s = failTimes(9, t0);
    expect(effectiveFailures(s, t0 + P.resetAfterMs - 1, P)).toBe(9);
    expect(effectiveFailures(s, t0 + P.resetAfterMs, P)).toBe(0);
    expect(afterFailure(s, t0 + P.resetAfterMs, P).failures).toBe(1);
  });

});

// The rule the login follows per account and client address (issue 9 item 11): growing waits,
// never a lock of the account for everyone.
describe("the shipped policies", () => {
  const S = 1_000;
  it.each([
    [4, 0],
    [5, 1 * S], // after the 5th consecutive failure from one address: 1 s
    [6, 2 * S],
    [7, 4 * S],
    [8, 8 * S],
    [14, 512 * S],
    [15, 15 * MIN], // 1,024 s capped at a quarter of an hour
    [1000, 15 * MIN],
  ])("account and address: %i failures → wait %i ms", (failures, ms) => {
    expect(lockDurationMs(failures, ACCOUNT_ADDRESS_POLICY)).toBe(ms);
  });

  it("an address spraying many accounts waits at most a minute, and only after 30 failures", () => {
    expect(lockDurationMs(30, ADDRESS_POLICY)).toBe(0);
    expect(lockDurationMs(31, ADDRESS_POLICY)).toBe(S);
    expect(lockDurationMs(10_000, ADDRESS_POLICY)).toBe(MIN);
  });

  it("a wait is never longer than the cap and ends: the owner can always try again", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10 ** 9 }), (n, t) => {
        const s = { failures: n, lastFailedAt: t };
        const wait = lockedForMs(s, t, ACCOUNT_ADDRESS_POLICY);
        return wait <= 15 * MIN && lockedForMs(s, t + wait, ACCOUNT_ADDRESS_POLICY) === 0;
      }),
    );
  });
});

describe("MemoryThrottle", () => {
  const t0 = 1_000_000;

  it("counts per key and reports the lock from the failure that causes it", () => {
    const m = new MemoryThrottle(P);
    for (let i = 0; i < 4; i++) expect(m.fail("a", t0)).toBe(0);
    expect(m.fail("a", t0)).toBe(MIN);
    expect(m.lockedForMs("a", t0 + 1000)).toBe(MIN - 1000);
    expect(m.lockedForMs("b", t0)).toBe(0);
    m.reset("a");
    expect(m.lockedForMs("a", t0)).toBe(0);
  });

  it("stays bounded under a flood of distinct keys", () => {
    const m = new MemoryThrottle(P, 100);
    for (let i = 0; i < 1000; i++) m.fail(`k${i}`, t0);
    expect(m.size).toBeLessThanOrEqual(101);
    // the most recent keys are the ones kept
    m.fail("k999", t0);
    expect(m.size).toBeLessThanOrEqual(101);
  });
});
