// Message catalogs: Simplified Chinese is the default, English the second catalog. Each area
// of the product keeps its strings in its own file under messages/<locale>/<area>.ts and is
// registered in catalog.ts. Keys are "area.path.to.key"; params are {name} placeholders.
import { catalogs } from "./catalog";

export type Locale = "zh" | "en";
export const LOCALES: Locale[] = ["zh", "en"];
export const DEFAULT_LOCALE: Locale = "zh";
export const LOCALE_COOKIE = "locale";

type Tree = { [k: string]: string | Tree };

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function hasMessage(locale: Locale, key: string): boolean {
  return lookup(catalogs[locale] as Tree, key) !== undefined;
}

export function translate(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const s = lookup(catalogs[locale] as Tree, key) ?? lookup(catalogs.zh as Tree, key) ?? key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
}

export type T = (key: string, params?: Record<string, string | number>) => string;

export function makeT(locale: Locale): T {
  return (key, params) => translate(locale, key, params);
}

export function parseLocale(v: string | undefined | null): Locale {
  return v === "en" ? "en" : DEFAULT_LOCALE;
}
