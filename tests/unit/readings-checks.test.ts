import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { checkReadingDays, classifyRow, modalDay, type CheckRow, type CheckRoute } from "@/lib/domain/readings/checks";

const s = DEFAULT_SETTINGS.readings;
const row = (customerId: number, routeId: number, reading: CheckRow["reading"], previousSources: CheckRow["previousSources"] = []): CheckRow =>
  ({ customerId, routeId, scheduledOn: "2026-11-18", reading, previousSources });
const manual = (readOn: string) => ({ readOn, source: "MANUAL" as const, hasValue: true, reasonCode: null });

describe("classifyRow", () => {
  it.each([
    ["on the day", manual("2026-11-18"), [], "ON_TIME", 0, 0, false],
    ["a day late", manual("2026-11-19"), [], "ON_TIME", 1, 0, false],
    ["two days late", manual("2026-11-20"), [], "OFF_DAY", 2, 0, false],
    ["three days early", manual("2026-11-15"), [], "OFF_DAY", -3, 0, false],
    ["remote, on the day", { readOn: "2026-11-18", source: "REMOTE", hasValue: true, reasonCode: null }, [], "ON_TIME", 0, 0, false],
    ["catch-up days later", { readOn: "2026-11-23", source: "CATCH_UP", hasValue: true, reasonCode: null }, [], "OFF_DAY", 5, 0, false],
    ["not taken at all", null, [], "NOT_TAKEN", null, 0, false],
    ["reader recorded refusal, no value", { readOn: "2026-11-18", source: "MANUAL", hasValue: false, reasonCode: "CUSTOMER_REFUSED" }, [], "NOT_TAKEN", null, 0, false],
    ["first estimate", { readOn: null, source: "ESTIMATED", hasValue: true, reasonCode: "NO_ACCESS" }, ["MANUAL"], "ESTIMATED", null, 1, false],
    ["second estimate in a row", { readOn: null, source: "ESTIMATED", hasValue: true, reasonCode: "NO_ACCESS" }, ["MANUAL", "ESTIMATED"], "ESTIMATED", null, 2, true],
    ["estimate after a gap", { readOn: null, source: "ESTIMATED", hasValue: true, reasonCode: "NO_ACCESS" }, ["ESTIMATED", "MANUAL"], "ESTIMATED", null, 1, false],
  ] as const)("%s", (_n, reading, prev, status, dev, run, exc) => {
    const r = classifyRow(row(1, 1, reading as CheckRow["reading"], prev), s);
    expect(r.status).toBe(status);
    expect(r.deviation).toBe(dev);
    expect(r.estimateRun).toBe(run);
    expect(r.estimateException).toBe(exc);
  });
});

describe("modalDay", () => {
  it.each([
    [[], null],
    [["2026-11-18"], "2026-11-18"],
    [["2026-11-20", "2026-11-18", "2026-11-20"], "2026-11-20"],
    [["2026-11-20", "2026-11-18"], "2026-11-18"], // tie, nothing scheduled: earliest
  ])("%j → %s", (days, want) => expect(modalDay(days)).toBe(want));
  it.each([
    [["2026-11-15", "2026-11-18"], "2026-11-18", "2026-11-18"], // tie: the scheduled day wins
    [["2026-11-15", "2026-11-19"], "2026-11-18", "2026-11-19"], // tie: nearer the scheduled day
    [["2026-11-15", "2026-11-15", "2026-11-18"], "2026-11-18", "2026-11-15"], // more often beats nearer
  ])("%j scheduled %s → %s", (days, sch, want) => expect(modalDay(days, sch)).toBe(want));
});

describe("checkReadingDays", () => {
  const routes: CheckRoute[] = [
    { routeId: 1, readerId: 7, scheduledOn: "2026-11-18", pendingChange: false, unconfirmed: 0 },
    { routeId: 2, readerId: 7, scheduledOn: "2026-11-18", pendingChange: true, unconfirmed: 0 },
    { routeId: 3, readerId: 8, scheduledOn: "2026-11-20", pendingChange: false, unconfirmed: 2 },
  ];
  const rows: CheckRow[] = [
    // route 1: 3 on time, 1 not taken, 1 estimate (second in a row)
    row(1, 1, manual("2026-11-18")),
    row(2, 1, manual("2026-11-18")),
    row(3, 1, manual("2026-11-19")),
    row(4, 1, null),
    row(5, 1, { readOn: null, source: "ESTIMATED", hasValue: true, reasonCode: "CUSTOMER_REFUSED" }, ["ESTIMATED"]),
    // route 2: read on the 22nd in practice (no approved change): off day
    row(6, 2, manual("2026-11-22")),
    row(7, 2, manual("2026-11-22")),
    row(8, 2, manual("2026-11-18")),
    // route 3: scheduled 20th, all on time
    { ...row(9, 3, manual("2026-11-20")), scheduledOn: "2026-11-20" },
  ];
  const rep = checkReadingDays({ rows, routes, readings: s, billing: DEFAULT_SETTINGS.billing });

  it("counts per route", () => {
    const r1 = rep.routes.find((r) => r.routeId === 1)!;
    expect(r1).toMatchObject({ due: 5, taken: 3, onTime: 3, estimated: 1, notTaken: 1, estimateExceptions: 1, completionRate: 0.6, onTimeRate: 0.6 });
    expect(r1.offDayWithoutApproval).toBe(false);
    expect(r1.actualDay).toBe("2026-11-18");
  });
  it("flags a route read on another day with no approved change", () => {
    const r2 = rep.routes.find((r) => r.routeId === 2)!;
    expect(r2).toMatchObject({ actualDay: "2026-11-22", offDayWithoutApproval: true, pendingChange: true, taken: 3, onTime: 1 });
    expect(r2.onTimeRate).toBeCloseTo(1 / 3);
    expect(r2.completionRate).toBe(1);
  });
  it("gives the collection window from the day actually read", () => {
    const r2 = rep.routes.find((r) => r.routeId === 2)!;
    expect(r2.window).toMatchObject({ readingDate: "2026-11-22", issueDate: "2026-11-24", short: true });
    expect(rep.routes.find((r) => r.routeId === 1)!.window).toMatchObject({ issueDate: "2026-11-20", windowDays: 10, short: false });
  });
  it("sums per reader", () => {
    const r7 = rep.readers.find((r) => r.readerId === 7)!;
    expect(r7).toMatchObject({ routes: 2, due: 8, taken: 6, onTime: 4, estimated: 1, notTaken: 1 });
    expect(r7.completionRate).toBe(0.75);
    expect(rep.readers.find((r) => r.readerId === 8)).toMatchObject({ routes: 1, due: 1, onTimeRate: 1 });
  });
  it("totals equal the sum of the routes", () => {
    expect(rep.total.due).toBe(rep.routes.reduce((a, r) => a + r.due, 0));
    expect(rep.total).toMatchObject({ due: 9, taken: 7, onTime: 5, estimated: 1, notTaken: 1 });
  });
  it("a route with nothing due has no rate, not 0 %", () => {
    const empty = checkReadingDays({ rows: [], routes: [routes[0]], readings: s, billing: DEFAULT_SETTINGS.billing });
    expect(empty.routes[0].completionRate).toBeNull();
    expect(empty.routes[0].actualDay).toBeNull();
  });
});
