// Personal data is masked in lists, exports and logs (docs/domain/overview.md §4); revealing it is a logged action.

/** 13805710001 → 138****0001; a landline or short number keeps its last 4 digits. */
export function maskPhone(v: string | null | undefined): string {
  if (!v) return "";
  const s = v.trim();
  if (/^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(7)}`;
  if (s.length <= 4) return "*".repeat(s.length);
  return `${"*".repeat(s.length - 4)}${s.slice(-4)}`;
}

/** A contact value by channel: phone-like values masked, e-mail shows its first letter and domain. */
export function maskContactValue(channel: string, v: string): string {
  if (["SMS", "PHONE", "LANDLINE", "FAX"].includes(channel)) return maskPhone(v);
  if (channel === "EMAIL") {
    const [user, domain] = v.split("@");
    return domain ? `${user.slice(0, 1)}***@${domain}` : maskPhone(v);
  }
  if (channel === "WECHAT") return v.length <= 2 ? "**" : `${v.slice(0, 1)}***${v.slice(-1)}`;
  return v; // a postal address or an on-site note is not masked
}

/** Search input: tokens split on white space (incl. the full-width space), at most 4. A token typed
 *  in full-width (１３８０５, ＴＨ０１) that NFKC turns into a number is searched as that number;
 *  any other token stays as typed (a name or an address is matched as stored). */
export function searchTokens(q: string): string[] {
  return q.trim().split(/[\s\u3000]+/).filter(Boolean).slice(0, 4).map((t) => {
    const n = t.normalize("NFKC");
    return n !== t && /^[0-9A-Za-z-]+$/.test(n) ? n : t;
  });
}

export type TokenKind = "code" | "text";

/** A token of ASCII letters and digits may be a customer/payment/meter number or a phone. */
export function tokenKind(t: string): TokenKind {
  return /^[0-9A-Za-z-]+$/.test(t) ? "code" : "text";
}
