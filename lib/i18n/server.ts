import "server-only";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, makeT, parseLocale, type Locale, type T } from "./core";

export async function getLocale(): Promise<Locale> {
  return parseLocale((await cookies()).get(LOCALE_COOKIE)?.value);
}

export async function getT(): Promise<T> {
  return makeT(await getLocale());
}
