// Public holidays and make-up working days (调休) for calendar_day, 2025–2027.
// 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), as recalled.
// 2026: 国务院办公厅关于2026年部分节假日安排的通知 (published Nov 2025), as recalled.
// 2027: ESTIMATED (no notice yet when written): built from the lunar dates and the usual
//       pattern; the admin edits these rows when the official notice is out.
// None of these were checked against the gazette here (no web access): verify before relying.

export type CalendarSeed = { day: string; kind: "HOLIDAY" | "WORKDAY"; name: string };

function span(from: string, to: string, name: string): CalendarSeed[] {
  const out: CalendarSeed[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push({ day: new Date(t).toISOString().slice(0, 10), kind: "HOLIDAY", name });
  }
  return out;
}

const work = (day: string, name: string): CalendarSeed => ({ day, kind: "WORKDAY", name: `${name}调休上班` });

export const OFFICIAL_YEARS = [2025, 2026] as const;
export const ESTIMATED_YEARS = [2027] as const;

export const HOLIDAYS: CalendarSeed[] = [
  // 2025 (official notice)
  ...span("2025-01-01", "2025-01-01", "元旦"),
  ...span("2025-01-28", "2025-02-04", "春节"), work("2025-01-26", "春节"), work("2025-02-08", "春节"),
  ...span("2025-04-04", "2025-04-06", "清明节"),
  ...span("2025-05-01", "2025-05-05", "劳动节"), work("2025-04-27", "劳动节"),
  ...span("2025-05-31", "2025-06-02", "端午节"),
  ...span("2025-10-01", "2025-10-08", "国庆节、中秋节"), work("2025-09-28", "国庆节"), work("2025-10-11", "国庆节"),
  // 2026 (official notice)
  ...span("2026-01-01", "2026-01-03", "元旦"), work("2026-01-04", "元旦"),
  ...span("2026-02-15", "2026-02-23", "春节"), work("2026-02-14", "春节"), work("2026-02-28", "春节"),
  ...span("2026-04-04", "2026-04-06", "清明节"),
  ...span("2026-05-01", "2026-05-05", "劳动节"), work("2026-05-09", "劳动节"),
  ...span("2026-06-19", "2026-06-21", "端午节"),
  ...span("2026-09-25", "2026-09-27", "中秋节"),
  ...span("2026-10-01", "2026-10-07", "国庆节"), work("2026-09-20", "国庆节"), work("2026-10-10", "国庆节"),
  // 2027 (ESTIMATED: 春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15)
  ...span("2027-01-01", "2027-01-03", "元旦"),
  ...span("2027-02-05", "2027-02-12", "春节"), work("2027-02-20", "春节"),
  ...span("2027-04-03", "2027-04-05", "清明节"),
  ...span("2027-05-01", "2027-05-05", "劳动节"), work("2027-04-25", "劳动节"), work("2027-05-08", "劳动节"),
  ...span("2027-06-09", "2027-06-09", "端午节"),
  ...span("2027-09-15", "2027-09-15", "中秋节"),
  ...span("2027-10-01", "2027-10-07", "国庆节"), work("2027-09-26", "国庆节"), work("2027-10-09", "国庆节"),
];
