import "server-only";
import { catalogs } from "@/lib/i18n/catalog";
import { getLocale } from "@/lib/i18n/server";

/** The counter's catalog subtree for the current locale, to hand to client components as props. */
export async function counterLabels() {
  return catalogs[await getLocale()].counter;
}

export async function paymentsLabels() {
  return catalogs[await getLocale()].payments;
}

export async function approvalsLabels() {
  return catalogs[await getLocale()].approvals;
}

/** "{n} rows" style placeholders, for strings handed to the client. */
export function fill(s: string, p: Record<string, string | number>) {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in p ? String(p[k]) : m));
}
