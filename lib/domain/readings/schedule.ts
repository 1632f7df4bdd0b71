// Reading schedule (抄表例日): the day a route must be read in a period, how far a reading was
// from it, and the collection window that the reading day leaves (004: reading on the 17th–
// 20th, bills on the 22nd, only 7–8 days left to collect before month end).
// A reading day changes only through an approved request effective from a period; the
// request keeps the old day, so any period's day can be derived from the history alone.
import { addDays, dayOfPeriod, daysBetween, daysInMonth, type IsoDate, type Period } from "../calendar";
import type { Settings } from "../settings";

export type DayChange = {
  oldDay: number;
  newDay: number;
  fromPeriod: Period;
  decidedAt: string; // ISO instant of approval: orders two changes from the same period
};

/** The reading day in force for `period`: the latest approved change effective by then;
 *  before the first change, that change's old day; with no change, the route's day. */
export function readingDayFor(routeDay: number, approved: readonly DayChange[], period: Period): number {
  if (approved.length === 0) return routeDay;
  const sorted = [...approved].sort(
    (a, b) => a.fromPeriod.localeCompare(b.fromPeriod) || a.decidedAt.localeCompare(b.decidedAt),
  );
  let day = sorted[0].oldDay;
  for (const c of sorted) if (c.fromPeriod <= period) day = c.newDay;
  return day;
}

export function scheduledDate(routeDay: number, approved: readonly DayChange[], period: Period): IsoDate {
  return dayOfPeriod(period, readingDayFor(routeDay, approved, period));
}

/** Days from the scheduled date to the local date the reading was taken (+ late, − early). */
export function deviationDays(scheduled: IsoDate, readOn: IsoDate): number {
  return daysBetween(scheduled, readOn);
}

/** docs/domain/readings.md §4: on time when |read − scheduled| < tolerance (default 2: the day or one off). */
export function isOnTime(deviation: number, s: Settings["readings"]): boolean {
  return Math.abs(deviation) < s.onTimeToleranceDays;
}

export type CollectionWindow = {
  readingDate: IsoDate;
  issueDate: IsoDate;
  dueDate: IsoDate;
  daysToDue: number; // issue → due date
  daysToMonthEnd: number; // issue → last day of the month, when the month's recovery is counted
  windowDays: number; // the shorter of the two
  short: boolean;
};

/** The time left to collect after a reading on `readingDate`, from the billing settings. */
export function collectionWindow(readingDate: IsoDate, s: Settings["billing"]): CollectionWindow {
  const issueDate = addDays(readingDate, s.issueDaysAfterReading);
  const dueDate = addDays(issueDate, s.dueDaysAfterIssue);
  const y = Number(issueDate.slice(0, 4));
  const m = Number(issueDate.slice(5, 7));
  const monthEnd = `${issueDate.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, "0")}`;
  const daysToDue = daysBetween(issueDate, dueDate);
  const daysToMonthEnd = daysBetween(issueDate, monthEnd);
  const windowDays = Math.min(daysToDue, daysToMonthEnd);
  return { readingDate, issueDate, dueDate, daysToDue, daysToMonthEnd, windowDays, short: windowDays < s.shortCollectionWindowDays };
}

/** Planned dates of a route for consecutive periods (the schedule page). */
export function plannedDates(
  routeDay: number,
  approved: readonly DayChange[],
  periods: readonly Period[],
): { period: Period; day: number; date: IsoDate }[] {
  return periods.map((p) => {
    const day = readingDayFor(routeDay, approved, p);
    return { period: p, day, date: dayOfPeriod(p, day) };
  });
}

/** A route is due for the reader on `today` from its scheduled date on (and stays due, overdue,
 *  until it is read). */
export function isDue(scheduled: IsoDate, today: IsoDate): boolean {
  return scheduled <= today;
}
