// Slowing down password guessing. Pure policy (explicit clock, no I/O) plus a small in-memory
// counter for keys that have no database row (unknown usernames, client addresses).
//
// A key's state is its run of consecutive failures and the time of the last one. The first
// `freeFailures` failures cost nothing; after each further failure the key must wait
// `baseLockMs` before its next try, doubling every time, capped at `maxLockMs`. A success
// resets the run; a run whose last failure is older than `resetAfterMs` is forgotten.
//
// The keys are an account AND a client address (lib/auth/client-address.ts: the socket's
// peer, or what a configured proxy forwarded), never an account alone: failures from one place
// slow that place down and nobody else, so a stranger who knows a username cannot lock its
// owner out. Rotating a forged X-Forwarded-For does not start a fresh run, because that header
// is believed only from a trusted proxy.

export type ThrottlePolicy = {
  freeFailures: number;
  baseLockMs: number;
  maxLockMs: number;
  resetAfterMs: number;
};

export type ThrottleState = { failures: number; lastFailedAt: number | null };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** Per account and address (table login_throttle; per unknown username and address in memory):
 *  after the 5th consecutive failure wait 1 s, after the 6th 2 s, then 4, 8, … at most 15 min.
 *  Ten guesses cost about half a minute, twenty about three hours. */
export const ACCOUNT_ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 4,
  baseLockMs: SECOND,
  maxLockMs: 15 * MINUTE,
  resetAfterMs: 24 * 60 * MINUTE,
};

/** Per client address over all accounts (a password sprayed over many usernames): generous,
 *  because an office shares one address behind its router; short waits, never a lock-out. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 30,
  baseLockMs: SECOND,
  maxLockMs: MINUTE,
  resetAfterMs: 60 * MINUTE,
};

/** The failures that still count at `now` (a stale run is forgotten). */
export function effectiveFailures(s: ThrottleState, now: number, p: ThrottlePolicy): number {
  if (s.lastFailedAt == null || s.failures <= 0) return 0;
  return now - s.lastFailedAt >= p.resetAfterMs ? 0 : s.failures;
}

/** How long a run of `failures` makes the key wait, counted from its last failure. */
export function lockDurationMs(failures: number, p: ThrottlePolicy): number {
  const over = failures - p.freeFailures;
  if (over <= 0) return 0;
  // 2^(over-1) grows past any cap quickly; clamp the exponent so the number stays finite
  return Math.min(p.baseLockMs * 2 ** Math.min(over - 1, 30), p.maxLockMs);
}

/** Milliseconds the key must still wait at `now` (0 = free to try). */
export function lockedForMs(s: ThrottleState, now: number, p: ThrottlePolicy): number {
  const f = effectiveFailures(s, now, p);
  const lock = lockDurationMs(f, p);
  // no lock below the limit, even when a concurrent request stamped a failure a moment "later"
  if (lock === 0 || s.lastFailedAt == null) return 0;
  return Math.max(0, s.lastFailedAt + lock - now);
}

/** The state after one more failure at `now`. */
export function afterFailure(s: ThrottleState, now: number, p: ThrottlePolicy): ThrottleState {
  return { failures: effectiveFailures(s, now, p) + 1, lastFailedAt: now };
}

/** In-memory counters for one process (enough for this single-server app; a restart forgets,
 *  which only ever loosens the throttle for keys that have no database row). */
export class MemoryThrottle {
  private readonly states = new Map<string, ThrottleState>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly maxKeys = 10_000,
  ) {}

  lockedForMs(key: string, now: number): number {
    const s = this.states.get(key);
    return s ? lockedForMs(s, now, this.policy) : 0;
  }

  /** Records a failure; returns how long the key is locked from now on. */
  fail(key: string, now: number): number {
    const next = afterFailure(this.states.get(key) ?? { failures: 0, lastFailedAt: null }, now, this.policy);
    this.states.delete(key); // re-insert: Map order then is least-recently-failed first
    this.states.set(key, next);
    if (this.states.size > this.maxKeys) this.prune(now);
    return lockedForMs(next, now, this.policy);
  }

  reset(key: string) {
    this.states.delete(key);
  }

  /** Forgets stale runs; if still too many, the oldest ones (bounded memory under a flood). */
  private prune(now: number) {
    for (const [k, s] of this.states) {
      if (effectiveFailures(s, now, this.policy) === 0) this.states.delete(k);
    }
    for (const k of this.states.keys()) {
      if (this.states.size <= this.maxKeys) break;
      this.states.delete(k);
    }
  }

  get size() {
    return this.states.size;
  }
}
