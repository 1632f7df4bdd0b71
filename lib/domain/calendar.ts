// The one calendar module. Calendar dates are 'YYYY-MM-DD' strings (a station's local date,
// no time zone attached); billing months are 'YYYY-MM'. Nothing here reads the clock:
// callers pass `asOf`. Instants become local dates only through localDate(instant, tz).

export type IsoDate = string; // YYYY-MM-DD
export type Period = string; // YYYY-MM

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function isPeriod(s: string): boolean {
  const m = PERIOD_RE.exec(s);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtc(d: IsoDate): number {
  if (!isIsoDate(d)) throw new RangeError(`not a date: ${JSON.stringify(d)}`);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY = 86_400_000;

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromUtc(toUtc(d) + n * DAY);
}

/** b − a in whole days (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

export function yearOf(d: IsoDate): number {
  return Number(d.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday */
export function weekday(d: IsoDate): number {
  return new Date(toUtc(d)).getUTCDay();
}

export function periodOf(d: IsoDate): Period {
  return d.slice(0, 7);
}

export function addMonths(p: Period, n: number): Period {
  if (!isPeriod(p)) throw new RangeError(`not a period: ${JSON.stringify(p)}`);
  const idx = Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1 + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
}

/** The same day n months later (earlier for n < 0), clamped to the month's last day: one year
 *  before 2028-02-29 is 2027-02-28. */
export function addMonthsToDate(d: IsoDate, n: number): IsoDate {
  if (!isIsoDate(d)) throw new RangeError(`not a date: ${JSON.stringify(d)}`);
  return dayOfPeriod(addMonths(periodOf(d), n), Number(d.slice(8, 10)));
}

/** The day `day` of a period, clamped to the month's last day. */
export function dayOfPeriod(p: Period, day: number): IsoDate {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return `${p}-${String(Math.min(day, daysInMonth(y, m))).padStart(2, "0")}`;
}

/** Local calendar date of an instant in a time zone (e.g. Asia/Shanghai). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Local wall-clock time of an instant in a time zone, as "HH:MM" (24-hour). */
export function localTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("hour")}:${get("minute")}`;
}

/** UTC offset of a zone at an instant, as "+08:00". */
export function zoneOffset(instant: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(instant).find((p) => p.type === "timeZoneName")!.value; // "GMT+08:00"
  return name === "GMT" ? "+00:00" : name.slice(3);
}

/** The instant of local wall-clock time `hh:mm` on date d in a zone. */
export function zonedInstant(d: IsoDate, hhmm: string, timeZone: string): Date {
  const guess = new Date(`${d}T${hhmm}:00Z`);
  const off = zoneOffset(guess, timeZone);
  return new Date(`${d}T${hhmm}:00${off}`);
}

/** A station's holiday calendar: holidays and make-up working days (调休). */
export type HolidayCalendar = { holidays: ReadonlySet<IsoDate>; workdays?: ReadonlySet<IsoDate> };

export function isWorkingDay(d: IsoDate, cal: HolidayCalendar): boolean {
  if (cal.workdays?.has(d)) return true;
  if (cal.holidays.has(d)) return false;
  const w = weekday(d);
  return w !== 0 && w !== 6;
}
