"use server";
import { cookies } from "next/headers";
import { LOCALE_COOKIE, parseLocale } from "@/lib/i18n/core";

/**
 * The language switch. Not a runAction: choosing a language is open to everyone, including the
 * login page, changes no data and needs no permission; the value is still parsed (anything but
 * "en" is the default, Chinese). Setting a cookie in an action re-renders the current page.
 */
export async function setLocaleAction(formData: FormData) {
  const locale = parseLocale(String(formData.get("locale") ?? ""));
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    sameSite: "lax",
    httpOnly: false,
    maxAge: 365 * 24 * 60 * 60,
  });
}
