// A message's recipient checked for its channel before any gateway is asked: an empty or
// malformed address is a permanent failure (the contact must be corrected, a retry cannot help).
import type { ElectronicChannel } from "./channels";

export type RecipientCheck = { ok: true; recipient: string } | { ok: false; problem: "EMPTY" | "INVALID_MOBILE" | "INVALID_EMAIL" | "INVALID_WECHAT" };

// the same shapes the contact form accepts (lib/validation/contact.ts)
export const MOBILE_RE = /^1[3-9]\d{9}$/;
export const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Normalises (spaces, dashes, a +86 prefix on a mobile number) and validates. */
export function checkRecipient(channel: ElectronicChannel, raw: string | null | undefined): RecipientCheck {
  const v = (raw ?? "").trim();
  if (!v) return { ok: false, problem: "EMPTY" };
  if (channel === "SMS") {
    const digits = v.replace(/[\s-]/g, "").replace(/^\+?86(?=1\d{10}$)/, "");
    return MOBILE_RE.test(digits) ? { ok: true, recipient: digits } : { ok: false, problem: "INVALID_MOBILE" };
  }
  if (channel === "EMAIL") return EMAIL_RE.test(v) ? { ok: true, recipient: v } : { ok: false, problem: "INVALID_EMAIL" };
  // a WeChat openid / account: no spaces, at most 64 characters
  return /^\S{1,64}$/.test(v) ? { ok: true, recipient: v } : { ok: false, problem: "INVALID_WECHAT" };
}
