import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import {
  collectionWindow, deviationDays, isOnTime, plannedDates, readingDayFor, scheduledDate, type DayChange,
} from "@/lib/domain/readings/schedule";

const change = (oldDay: number, newDay: number, fromPeriod: string, decidedAt = "2026-01-01T00:00:00Z"): DayChange =>
  ({ oldDay, newDay, fromPeriod, decidedAt });

describe("readingDayFor", () => {
  const history = [change(5, 18, "2026-03"), change(18, 20, "2026-09")];
  it.each([
    ["no changes: the route's day", 17, [], "2026-05", 17],
    ["before the first change: its old day", 20, history, "2026-02", 5],
    ["from the change's period on: the new day", 20, history, "2026-03", 18],
    ["between changes", 20, history, "2026-08", 18],
    ["after the last change", 20, history, "2026-11", 20],
    ["an approved change from a future period leaves this one alone", 18, [change(18, 4, "2027-01")], "2026-12", 18],
    ["two changes from the same period: the later approval wins", 17,
      [change(17, 19, "2026-06", "2026-05-02T00:00:00Z"), change(17, 18, "2026-06", "2026-05-01T00:00:00Z")], "2026-06", 19],
  ] as const)("%s", (_n, day, changes, period, want) =>
    expect(readingDayFor(day, changes as readonly DayChange[], period)).toBe(want));

  it("clamps day 31-style days to the month's end (February)", () => {
    expect(scheduledDate(30, [], "2026-02")).toBe("2026-02-28");
    expect(scheduledDate(18, [], "2026-11")).toBe("2026-11-18");
  });

  it("plans consecutive periods", () => {
    expect(plannedDates(20, history, ["2026-02", "2026-03", "2026-09"]).map((p) => p.date))
      .toEqual(["2026-02-05", "2026-03-18", "2026-09-20"]);
  });
});

describe("deviation and on-time (docs/domain/readings.md §4: |read − planned| < 2 days)", () => {
  it.each([
    ["2026-11-18", "2026-11-18", 0, true],
    ["2026-11-18", "2026-11-19", 1, true],
    ["2026-11-18", "2026-11-17", -1, true],
    ["2026-11-18", "2026-11-20", 2, false],
    ["2026-11-18", "2026-11-16", -2, false],
    ["2026-11-30", "2026-12-01", 1, true],
  ])("scheduled %s read %s → %i days, on time %s", (sch, read, dev, onTime) => {
    expect(deviationDays(sch, read)).toBe(dev);
    expect(isOnTime(dev, DEFAULT_SETTINGS.readings)).toBe(onTime);
  });
  it("tolerance is a setting", () => {
    expect(isOnTime(2, { ...DEFAULT_SETTINGS.readings, onTimeToleranceDays: 3 })).toBe(true);
  });
});

describe("collection window (004: read 17–20, bills 22nd, 7–8 days left)", () => {
  const b = DEFAULT_SETTINGS.billing; // issue +2, due +10, short < 10
  it.each([
    ["2026-11-17", "2026-11-19", "2026-11-29", 10, 11, 10, false],
    ["2026-11-20", "2026-11-22", "2026-12-02", 10, 8, 8, true],
    ["2026-12-20", "2026-12-22", "2027-01-01", 10, 9, 9, true],
    ["2026-11-05", "2026-11-07", "2026-11-17", 10, 23, 10, false],
  ])("read %s", (read, issue, due, toDue, toEnd, win, short) => {
    expect(collectionWindow(read, b)).toEqual({
      readingDate: read, issueDate: issue, dueDate: due, daysToDue: toDue, daysToMonthEnd: toEnd, windowDays: win, short,
    });
  });
  it("short threshold and offsets are settings", () => {
    const w = collectionWindow("2026-11-05", { issueDaysAfterReading: 1, dueDaysAfterIssue: 5, shortCollectionWindowDays: 6 });
    expect(w).toMatchObject({ issueDate: "2026-11-06", dueDate: "2026-11-11", windowDays: 5, short: true });
  });
});
