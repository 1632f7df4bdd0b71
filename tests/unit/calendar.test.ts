import { describe, expect, it } from "vitest";
import {
  addDays, addMonths, dayOfPeriod, daysBetween, isIsoDate, isPeriod, isWorkingDay, localDate,
  zonedInstant, zoneOffset,
} from "@/lib/domain/calendar";

describe("calendar", () => {
  it.each([
    ["2026-02-29", false], ["2028-02-29", true], ["2026-13-01", false], ["2026-04-31", false],
    ["2026-11-23", true], ["26-11-23", false],
  ])("isIsoDate(%s) = %s", (d, ok) => expect(isIsoDate(d)).toBe(ok));

  it("counts days across month and year ends", () => {
    expect(daysBetween("2026-10-25", "2026-11-22")).toBe(28);
    expect(daysBetween("2025-12-15", "2026-01-18")).toBe(34);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });

  it("moves periods and clamps reading days to the month", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", 14)).toBe("2028-01");
    expect(dayOfPeriod("2026-02", 30)).toBe("2026-02-28");
    expect(isPeriod("2026-00")).toBe(false);
  });

  it("takes local dates in the station's zone, not the server's", () => {
    // 2026-11-22T17:30Z is already the 23rd in Shanghai
    expect(localDate(new Date("2026-11-22T17:30:00Z"), "Asia/Shanghai")).toBe("2026-11-23");
    expect(zoneOffset(new Date("2026-07-01T00:00:00Z"), "Asia/Shanghai")).toBe("+08:00");
    expect(zonedInstant("2026-11-23", "09:00", "Asia/Shanghai").toISOString()).toBe("2026-11-23T01:00:00.000Z");
  });

  it("knows holidays and make-up working days", () => {
    const cal = { holidays: new Set(["2026-10-01"]), workdays: new Set(["2026-10-10"]) };
    expect(isWorkingDay("2026-10-01", cal)).toBe(false); // Thursday, holiday
    expect(isWorkingDay("2026-10-10", cal)).toBe(true); // Saturday, 调休
    expect(isWorkingDay("2026-10-11", cal)).toBe(false); // Sunday
    expect(isWorkingDay("2026-10-12", cal)).toBe(true);
  });
});
