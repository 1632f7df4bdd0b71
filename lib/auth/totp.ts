// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 6 digits, 30-second
// steps: what every authenticator app uses by default) and one-time recovery codes. Written
// against node:crypto in a few lines rather than taken from a package: the algorithm is short,
// fixed by the RFCs and checked here against their published test vectors
// (tests/unit/auth-totp.test.ts). Pure: the time comes in as an argument.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after the current one are accepted too (clock drift). */
export const TOTP_WINDOW = 1;

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(buf: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 as authenticator apps print it (any case, spaces, optional padding). */
export function base32Decode(s: string): Buffer {
  const clean = s.toUpperCase().replace(/[\s=-]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error("invalid base32");
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new secret: 160 random bits (RFC 4226 §4 recommends at least that), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** HOTP (RFC 4226 §5.3) for one counter value. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: "sha1" | "sha256" | "sha512" = "sha1"): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, "0");
}

/** The time step an instant falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);
}

/** The code of a base32 secret for a time step. */
export function totpCode(secretB32: string, step: number): string {
  return hotp(base32Decode(secretB32), step);
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reused: boolean };

/**
 * Checks a code against the current step ± TOTP_WINDOW. A code of a step at or before
 * `lastStep` (the last one accepted for this user) is refused as reused: RFC 6238 §5.2 says a
 * verifier must not accept the same code twice.
 */
export function verifyTotp(secretB32: string, code: string, now: Date, lastStep: number | null): TotpCheck {
  const c = normalizeTotp(code);
  if (!c) return { ok: false, reused: false };
  const key = base32Decode(secretB32);
  const current = totpStep(now);
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (!timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(c))) continue;
    if (lastStep != null && step <= lastStep) return { ok: false, reused: true };
    return { ok: true, step };
  }
  return { ok: false, reused: false };
}

/** Six digits, with spaces and full-width digits (a Chinese IME) forgiven; else null. */
export function normalizeTotp(code: string): string | null {
  const c = code.normalize("NFKC").replace(/\s/g, "");
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(c) ? c : null;
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUri(secretB32: string, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const q = new URLSearchParams({ secret: secretB32, issuer, algorithm: "SHA1", digits: String(TOTP_DIGITS), period: String(TOTP_PERIOD_S) });
  return `otpauth://totp/${label}?${q.toString()}`;
}

/** The secret in groups of four, as a person types it into an app. */
export function groupSecret(secretB32: string): string {
  return secretB32.replace(/(.{4})/g, "$1 ").trim();
}

// ─── recovery codes ───

// no 0/o, 1/l/i: read off paper and typed without doubt
const RC_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of ten characters (about 49 bits each), shown as "xxxxx-xxxxx". */
export function newRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: n }, () => {
    const bytes = randomBytes(10);
    const s = Array.from(bytes, (b) => RC_ALPHABET[b % RC_ALPHABET.length]).join("");
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** A typed recovery code in its canonical form, or null when it cannot be one. */
export function normalizeRecoveryCode(code: string): string | null {
  const c = code.normalize("NFKC").toLowerCase().replace(/[\s-]/g, "");
  return /^[a-z0-9]{10}$/.test(c) ? c : null;
}

/** What is stored of a recovery code: random codes need no slow hash, a SHA-256 suffices. */
export function hashRecoveryCode(code: string): string {
  const c = normalizeRecoveryCode(code) ?? code;
  return createHash("sha256").update(`recovery:${c}`).digest("hex");
}
