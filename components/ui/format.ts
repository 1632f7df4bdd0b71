// Display-only formatting (no data access). Instants are shown in the station's time zone.
export function formatInstant(iso: string | null | undefined, timeZone: string, locale: "zh" | "en" = "zh"): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}
