import { LOCALES, type Locale, type T } from "@/lib/i18n/core";
import { cn } from "@/components/ui/cn";
import { setLocaleAction } from "./actions";

/** 中文 / English: one small form per language, works without JavaScript. */
export function LocaleSwitch({ locale, t }: { locale: Locale; t: T }) {
  return (
    <div role="group" aria-label={t("shell.switchTo")} className="flex overflow-hidden rounded-md border border-white/30">
      {LOCALES.map((l) => (
        <form key={l} action={setLocaleAction}>
          <input type="hidden" name="locale" value={l} />
          <button
            type="submit"
            lang={l === "zh" ? "zh-CN" : "en"}
            aria-pressed={l === locale}
            data-testid={`locale-${l}`}
            className={cn(
              "min-h-9 px-3 text-sm",
              l === locale ? "bg-white font-semibold text-brand-800" : "text-white hover:bg-white/10",
            )}
          >
            {t(`shell.localeNames.${l}`)}
          </button>
        </form>
      ))}
    </div>
  );
}
