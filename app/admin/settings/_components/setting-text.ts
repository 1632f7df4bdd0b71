// How a settings value reads on the page: the field's Chinese (or English) name, its explanation
// line, and the value as a person reads it (a rate also as a percentage, a choice by its name).
import type { Locale, T } from "@/lib/i18n/core";
import { hasMessage } from "@/lib/i18n/core";
import { settingFields, type SettingField } from "@/lib/validation/setting";
import { DEFAULT_SETTINGS, type SettingsGroup } from "@/lib/domain/settings";
import type { SettingFormField } from "./setting-form";

/** "0.001" → "0.1%": the decimal point moved two places by string, never through a float. */
export function ratePercent(rate: string): string {
  const [int, frac = ""] = rate.split(".");
  const digits = int + frac.padEnd(2, "0");
  const head = digits.slice(0, int.length + 2).replace(/^0+(?=\d)/, "");
  const tail = digits.slice(int.length + 2).replace(/0+$/, "");
  return `${head}${tail ? `.${tail}` : ""}%`;
}

export function settingText(t: T, locale: Locale) {
  const label = (g: string, k: string) => (hasMessage(locale, `admin.settings.keys.${g}.${k}`) ? t(`admin.settings.keys.${g}.${k}`) : k);
  const hint = (g: string, k: string) => (hasMessage(locale, `admin.settings.hints.${g}.${k}`) ? t(`admin.settings.hints.${g}.${k}`) : undefined);
  const option = (g: string, k: string, o: string) => t(`admin.settings.options.${g}.${k}.${o}`);
  const fieldOf = (g: string, k: string): SettingField | undefined =>
    g in DEFAULT_SETTINGS ? settingFields(g as SettingsGroup).find((f) => f.key === k) : undefined;

  function value(g: string, k: string, v: unknown): string {
    if (v === null || v === undefined) return t("admin.settings.none");
    const f = fieldOf(g, k);
    if (f?.kind === "rate" && typeof v === "string") return t("admin.settings.ratePerDay", { rate: v, pct: ratePercent(v) });
    if (f?.kind === "choice") return option(g, k, String(v));
    return String(v);
  }

  function formFields(g: SettingsGroup): SettingFormField[] {
    return settingFields(g).map((f) => ({
      key: f.key,
      kind: f.kind,
      label: label(g, f.key),
      hint: hint(g, f.key),
      options: f.options?.map((o) => ({ value: o, label: option(g, f.key, o) })),
    }));
  }

  return { label, hint, value, formFields };
}
