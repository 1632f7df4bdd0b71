import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, addMonths, addMonthsToDate, dayOfPeriod } from "@/lib/domain/calendar";
import { computeGrade, gradeRank, type GradeInput, type GradePeriod } from "@/lib/domain/grading/grade";
import { gradeInputSchema, runGrade } from "@/lib/domain/grading/calculator";
import { gradeOutlook } from "@/lib/domain/grading/outlook";
import { DEFAULT_SETTINGS, mergeSettings } from "@/lib/domain/settings";
import { runCalculator } from "@/lib/domain/calculators";

const RULES = DEFAULT_SETTINGS.grade;
const AS_OF = "2026-11-22";

/** A bill of `period` due on the 25th, paid `paidOffset` days after its due date (null: unpaid). */
function bill(period: string, paidOffset: number | null, remindersSent = 0, dueDay = 25): GradePeriod {
  const dueDate = dayOfPeriod(period, dueDay);
  return { period, dueDate, amount: 8800, paidOn: paidOffset === null ? null : addDays(dueDate, paidOffset), remindersSent };
}
/** n monthly bills ending with the one due in `last`, all paid 5 days early, no reminders. */
function onTime(n: number, last = "2026-10"): GradePeriod[] {
  return Array.from({ length: n }, (_, i) => bill(addMonths(last, i - n + 1), -5));
}
function input(periods: GradePeriod[], extra: Partial<GradeInput> = {}): GradeInput {
  return { asOf: AS_OF, periods, balanceShortfalls: 0, theftOrViolationOn: null, maliciousComplaint: false, disconnectedForArrearsOn: null, override: null, ...extra };
}
const grade = (i: GradeInput) => computeGrade(i, RULES);

describe("grade: the contract's example and the calculator", () => {
  it("six reminded periods in twelve → C, REMINDED_MOST_MONTHS, remindedCount 6", () => {
    const periods = [...onTime(6, "2026-04"), ...Array.from({ length: 6 }, (_, i) => bill(addMonths("2026-05", i), 3, 1))];
    const r = grade(input(periods));
    expect(r).toMatchObject({ grade: "C", reasons: ["REMINDED_MOST_MONTHS"], remindedCount: 6 });
  });

  it("the JSON command: strict input, settings override the thresholds", () => {
    const periods = [...onTime(9, "2026-07"), bill("2026-08", 2), bill("2026-09", 2), bill("2026-10", 2)];
    const json = {
      asOf: AS_OF,
      periods: periods.map((p) => ({ ...p, amount: "88.00" })),
      balanceShortfalls: 0, theftOrViolationOn: null, maliciousComplaint: false, disconnectedForArrearsOn: null, override: null,
    };
    const out = runCalculator("grade", JSON.stringify(json));
    expect(out).toEqual({ ok: true, output: expect.objectContaining({ grade: "B", reasons: ["REMINDED_SOMETIMES"], remindedCount: 3 }) });
    const strict = runCalculator("grade", JSON.stringify({ ...json, settings: { grade: { remindedMostMonths: 3 } } }));
    expect(strict).toEqual({ ok: true, output: expect.objectContaining({ grade: "C", reasons: ["REMINDED_MOST_MONTHS"] }) });
    const typo = runCalculator("grade", JSON.stringify({ ...json, balanceShortfall: 1 }));
    expect(typo).toMatchObject({ ok: false, message: expect.stringMatching(/balanceShortfall: 未知字段/) });
  });

  it("refuses an override without a reason and a negative reminder count", () => {
    const base = { asOf: AS_OF, periods: [], balanceShortfalls: 0, theftOrViolationOn: null, maliciousComplaint: false, disconnectedForArrearsOn: null };
    expect(gradeInputSchema.safeParse({ ...base, override: { grade: "A", until: "2027-01-01", reason: " " } }).success).toBe(false);
    expect(gradeInputSchema.safeParse({ ...base, override: null, periods: [{ period: "2026-10", dueDate: "2026-10-25", amount: "1.00", paidOn: null, remindersSent: -1 }] }).success).toBe(false);
    expect(runGrade(gradeInputSchema.parse({ ...base, override: null }), DEFAULT_SETTINGS).grade).toBe("B");
  });
});

describe("grade: the window (bills due after the same day a year before asOf, up to asOf)", () => {
  // twelve on-time bills plus bills paid late on the edges of the window
  const firstDay = addDays(addMonthsToDate(AS_OF, -12), 1); // 2025-11-23: in
  const dayBefore = addMonthsToDate(AS_OF, -12); // 2025-11-22: out
  const late = (dueDate: string): GradePeriod => ({ period: dueDate.slice(0, 7), dueDate, amount: 100, paidOn: addDays(dueDate, 1), remindersSent: 0 });

  it.each([
    ["the window's first day counts", firstDay, 1],
    ["the day before it does not", dayBefore, 0],
    ["asOf itself counts (a bill due today and paid tomorrow is not late yet)", AS_OF, 0],
  ])("%s", (_n, dueDate, count) => {
    expect(grade(input([...onTime(12), late(dueDate)])).remindedCount).toBe(count);
  });

  it("a bill due on asOf and still unpaid is not past due; one due the day before is", () => {
    const dueToday = { period: "2026-11", dueDate: AS_OF, amount: 100, paidOn: null, remindersSent: 0 };
    expect(grade(input([...onTime(12), dueToday])).grade).toBe("A");
    expect(grade(input([...onTime(12), { ...dueToday, dueDate: addDays(AS_OF, -1) }]))).toMatchObject({ grade: "B", remindedCount: 1 });
  });

  it("a bill due after asOf is outside the window", () => {
    expect(grade(input([...onTime(12), { period: "2026-11", dueDate: "2026-11-25", amount: 100, paidOn: null, remindersSent: 3 }])).grade).toBe("A");
  });

  it("a leap day: one year before 2028-02-29 is 2027-02-28", () => {
    expect(addMonthsToDate("2028-02-29", -12)).toBe("2027-02-28");
    const periods = [...onTime(12, "2028-01"), late("2027-02-28")];
    expect(computeGrade({ ...input(periods), asOf: "2028-02-29" }, RULES).remindedCount).toBe(0);
  });

  it("payment on the due date is on time; the day after is late", () => {
    expect(grade(input([...onTime(11), bill("2026-10", 0)])).grade).toBe("A");
    expect(grade(input([...onTime(11), bill("2026-10", 1)])).grade).toBe("B");
  });

  it("a payment made after asOf counts as unpaid on asOf (grading a past day)", () => {
    const r = grade(input([...onTime(11, "2026-09"), bill("2026-10", 40)]));
    expect(r.figures).toMatchObject({ unpaidPastDue: 1, paidLate: 0 });
  });
});

describe("grade: D — refuses after reminders, or disconnected", () => {
  const unpaid = (days: number, reminders: number): GradePeriod => {
    const dueDate = addDays(AS_OF, -days);
    return { period: dueDate.slice(0, 7), dueDate, amount: 12000, paidOn: null, remindersSent: reminders };
  };
  it.each([
    ["30 days past due, 2 reminders: not yet D", 30, 2, "B"],
    ["31 days past due, 2 reminders: D", 31, 2, "D"],
    ["31 days past due, 1 reminder: not D", 31, 1, "B"],
    ["90 days past due, 5 reminders: D", 90, 5, "D"],
  ])("%s", (_n, days, reminders, expected) => {
    const r = grade(input([...onTime(10, "2026-08"), unpaid(days, reminders)]));
    expect(r.grade).toBe(expected);
    expect(r.reasons.includes("REFUSES_AFTER_REMINDERS")).toBe(expected === "D");
  });

  it("an old refused bill outside the window still makes D (it is still unpaid)", () => {
    const r = grade(input([...onTime(12), unpaid(500, 3)]));
    expect(r).toMatchObject({ grade: "D", figures: { refusedBill: { daysPastDue: 500, reminders: 3 } } });
  });

  it("disconnected for arrears in the last 12 months: D; 12 months ago to the day: no longer", () => {
    expect(grade(input(onTime(12), { disconnectedForArrearsOn: "2026-01-10" }))).toMatchObject({ grade: "D", reasons: ["DISCONNECTED"] });
    expect(grade(input(onTime(12), { disconnectedForArrearsOn: addMonthsToDate(AS_OF, -12) })).grade).toBe("A");
    expect(grade(input(onTime(12), { disconnectedForArrearsOn: addDays(addMonthsToDate(AS_OF, -12), 1) })).grade).toBe("D");
  });

  it("D comes before the new-customer rule", () => {
    expect(grade(input([unpaid(45, 2)])).reasons).toEqual(["REFUSES_AFTER_REMINDERS", "NEW_CUSTOMER", "REMINDED_SOMETIMES"]);
  });
});

describe("grade: new customers (fewer than 3 bills) are B, provisionally", () => {
  it.each([0, 1, 2])("%i bills on time → B NEW_CUSTOMER", (n) => {
    expect(grade(input(onTime(n)))).toMatchObject({ grade: "B", reasons: ["NEW_CUSTOMER"] });
  });
  it("3 bills on time → A", () => {
    expect(grade(input(onTime(3)))).toMatchObject({ grade: "A", reasons: ["PAYS_UNPROMPTED"] });
  });
  it("a new customer who stole power is still B, with the finding listed", () => {
    expect(grade(input(onTime(2), { theftOrViolationOn: "2026-06-01" }))).toMatchObject({ grade: "B", reasons: ["NEW_CUSTOMER", "THEFT_OR_VIOLATION"] });
  });
});

describe("grade: C and B by the count R (late, unpaid past due or reminded, plus 催存)", () => {
  const withLate = (n: number) => [...onTime(12 - n, addMonths("2026-10", -n)), ...Array.from({ length: n }, (_, i) => bill(addMonths("2026-10", i - n + 1), 4))];
  it.each([
    [0, "A"],
    [1, "B"],
    [4, "B"],
    [5, "C"],
    [12, "C"],
  ])("%i late bills → %s", (n, g) => {
    expect(grade(input(withLate(n)))).toMatchObject({ grade: g, remindedCount: n });
  });

  it("balance shortfalls count toward R: 3 late + 2 催存 = 5 → C", () => {
    expect(grade(input(withLate(3), { balanceShortfalls: 2 }))).toMatchObject({ grade: "C", remindedCount: 5 });
  });

  it("a bill paid on time after a reminder still counts (it needed one)", () => {
    const periods = [...onTime(11), { ...bill("2026-10", 0), remindersSent: 1 }];
    expect(grade(input(periods))).toMatchObject({ grade: "B", remindedCount: 1 });
  });

  it("2 reminded bills → B; theft within 24 months → C; 24 months ago to the day → not", () => {
    expect(grade(input(onTime(12), { theftOrViolationOn: "2025-01-05" }))).toMatchObject({ grade: "C", reasons: ["THEFT_OR_VIOLATION"] });
    expect(grade(input(onTime(12), { theftOrViolationOn: addMonthsToDate(AS_OF, -24) })).grade).toBe("A");
  });

  it("a flagged malicious complaint → C", () => {
    expect(grade(input(onTime(12), { maliciousComplaint: true }))).toMatchObject({ grade: "C", reasons: ["MALICIOUS_COMPLAINT"] });
  });

  it("3 bills unpaid past due (no reminders yet) → C ARREARS_3_PERIODS; 2 → B", () => {
    const three = [...onTime(9, "2026-07"), bill("2026-08", null), bill("2026-09", null), bill("2026-10", null)];
    expect(grade(input(three))).toMatchObject({ grade: "C", reasons: ["ARREARS_3_PERIODS", "REMINDED_SOMETIMES"], remindedCount: 3 });
    const two = [...onTime(10, "2026-08"), bill("2026-09", null), bill("2026-10", null)];
    expect(grade(input(two))).toMatchObject({ grade: "B", reasons: ["REMINDED_SOMETIMES"] });
  });

  it("lists every reason that holds, in rule order", () => {
    const periods = [...onTime(6, "2026-04"), ...Array.from({ length: 6 }, (_, i) => bill(addMonths("2026-05", i), 3, 1))];
    expect(grade(input(periods, { maliciousComplaint: true, theftOrViolationOn: "2026-01-01" })).reasons)
      .toEqual(["REMINDED_MOST_MONTHS", "THEFT_OR_VIOLATION", "MALICIOUS_COMPLAINT"]);
  });
});

describe("grade: the manager's override", () => {
  const d = [...onTime(10, "2026-08"), { ...bill("2026-09", null), remindersSent: 3 }];
  it("decides while until ≥ asOf (the last day included), listed first", () => {
    expect(grade(input(d, { override: { grade: "B", until: AS_OF, reason: "已签分期协议" } }))).toMatchObject({ grade: "B", reasons: ["OVERRIDE", "REFUSES_AFTER_REMINDERS", "REMINDED_SOMETIMES"] });
  });
  it("an expired override is ignored", () => {
    expect(grade(input(d, { override: { grade: "B", until: addDays(AS_OF, -1), reason: "x" } })).grade).toBe("D");
  });
  it("PAYS_UNPROMPTED only when the rules would give A as well", () => {
    expect(grade(input(onTime(12), { override: { grade: "A", until: "2027-01-01", reason: "x" } })).reasons).toEqual(["OVERRIDE", "PAYS_UNPROMPTED"]);
    expect(grade(input(onTime(12), { override: { grade: "C", until: "2027-01-01", reason: "x" } })).reasons).toEqual(["OVERRIDE"]);
  });
});

// ───────────── properties ─────────────

const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays("2024-01-01", n));
const arbBill = fc.record({
  month: fc.integer({ min: 0, max: 35 }),
  dueDay: fc.integer({ min: 1, max: 28 }),
  paid: fc.option(fc.integer({ min: -20, max: 120 }), { nil: null }),
  reminders: fc.integer({ min: 0, max: 4 }),
  amount: fc.integer({ min: 1, max: 10_000_00 }),
}).map((b): GradePeriod => {
  const period = addMonths("2024-01", b.month);
  const dueDate = dayOfPeriod(period, b.dueDay);
  return { period, dueDate, amount: b.amount, paidOn: b.paid === null ? null : addDays(dueDate, b.paid), remindersSent: b.reminders };
});
const arbInput = fc.record({
  asOf: day,
  periods: fc.array(arbBill, { maxLength: 30 }),
  balanceShortfalls: fc.integer({ min: 0, max: 6 }),
  theftOrViolationOn: fc.option(day, { nil: null }),
  maliciousComplaint: fc.boolean(),
  disconnectedForArrearsOn: fc.option(day, { nil: null }),
  override: fc.constant(null),
});

describe("grade: properties", () => {
  it("a customer with 3+ bills who pays every bill on time without reminders or findings is A", () => {
    fc.assert(fc.property(day, fc.array(arbBill, { minLength: 3, maxLength: 30 }), (asOf, periods) => {
      const clean = periods.map((p) => ({ ...p, paidOn: addDays(p.dueDate, -1), remindersSent: 0 }));
      const r = grade({ asOf, periods: clean, balanceShortfalls: 0, theftOrViolationOn: null, maliciousComplaint: false, disconnectedForArrearsOn: null, override: null });
      expect(r.grade).toBe("A");
      expect(r.reasons).toEqual(["PAYS_UNPROMPTED"]);
    }));
  });

  it("making any one bill's payment later never raises the grade", () => {
    fc.assert(fc.property(arbInput, fc.nat(), fc.integer({ min: 1, max: 200 }), (i, pick, later) => {
      if (i.periods.length === 0) return;
      const k = pick % i.periods.length;
      const p = i.periods[k];
      const worse = { ...p, paidOn: p.paidOn === null ? null : addDays(p.paidOn, later) };
      const after = { ...i, periods: i.periods.map((x, j) => (j === k ? worse : x)) };
      expect(gradeRank(grade(after).grade)).toBeGreaterThanOrEqual(gradeRank(grade(i).grade));
    }));
  });

  it("adding a bill in the window paid late (or a reminder, or a 催存) never raises the grade", () => {
    fc.assert(fc.property(arbInput, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 300 }), (i, late, back) => {
      const dueDate = addDays(i.asOf, -(back + late));
      const added: GradePeriod = { period: dueDate.slice(0, 7), dueDate, amount: 100, paidOn: addDays(dueDate, late), remindersSent: 0 };
      const before = gradeRank(grade(i).grade);
      expect(gradeRank(grade({ ...i, periods: [...i.periods, added] }).grade)).toBeGreaterThanOrEqual(before);
      expect(gradeRank(grade({ ...i, balanceShortfalls: i.balanceShortfalls + 1 }).grade)).toBeGreaterThanOrEqual(before);
      if (i.periods.length) {
        const more = i.periods.map((p, j) => (j === 0 ? { ...p, remindersSent: p.remindersSent + 1 } : p));
        expect(gradeRank(grade({ ...i, periods: more }).grade)).toBeGreaterThanOrEqual(before);
      }
    }));
  });

  it("reasons are never empty, come in rule order, and PAYS_UNPROMPTED only with A", () => {
    const order = ["OVERRIDE", "REFUSES_AFTER_REMINDERS", "DISCONNECTED", "NEW_CUSTOMER", "REMINDED_MOST_MONTHS", "THEFT_OR_VIOLATION", "MALICIOUS_COMPLAINT", "ARREARS_3_PERIODS", "REMINDED_SOMETIMES", "PAYS_UNPROMPTED"];
    fc.assert(fc.property(arbInput, (i) => {
      const r = grade(i);
      expect(r.reasons.length).toBeGreaterThan(0);
      expect([...r.reasons].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(r.reasons);
      if (r.reasons.includes("PAYS_UNPROMPTED")) expect(r.grade).toBe("A");
    }));
  });

  it("thresholds are settings: raising remindedMostMonths never worsens a grade", () => {
    fc.assert(fc.property(arbInput, fc.integer({ min: 1, max: 6 }), (i, extra) => {
      const loose = mergeSettings(DEFAULT_SETTINGS, { grade: { remindedMostMonths: Math.min(12, RULES.remindedMostMonths + extra) } }).grade;
      expect(gradeRank(computeGrade(i, loose).grade)).toBeLessThanOrEqual(gradeRank(grade(i).grade));
    }));
  });
});

describe("grade outlook: what would raise it, by the rule itself", () => {
  it("C from 6 reminded periods: 再按时缴清 n 期 until enough leave the window → B", () => {
    const periods = [...onTime(6, "2026-04"), ...Array.from({ length: 6 }, (_, i) => bill(addMonths("2026-05", i), 3, 1))];
    const steps = gradeOutlook(input(periods), RULES);
    // the reminded bills are due 2026-05-25 … 2026-10-25; R must drop to 4: two must leave the
    // window, i.e. the window must start after 2026-06-25, a year later: 2027-06-25 … the 8th
    // future bill (due 2027-06-25) is the first asOf with R = 4
    expect(steps).toEqual([{ kind: "PAY_ON_TIME", periods: 8, grade: "B", by: "2027-06-25" }]);
    // and the claim holds when checked directly
    const future = Array.from({ length: 8 }, (_, i) => bill(addMonths("2026-11", i), -1));
    expect(grade({ ...input([...periods, ...future]), asOf: "2027-06-25" }).grade).toBe("B");
  });

  it("D from a refused bill: paying it first, then on time", () => {
    const periods = [...onTime(10, "2026-08"), { ...bill("2026-09", null), remindersSent: 3, amount: 23456 }];
    const steps = gradeOutlook(input(periods), RULES);
    expect(steps[0]).toEqual({ kind: "PAY_ARREARS", amount: 23456, grade: "B" });
    expect(steps[1]).toMatchObject({ kind: "PAY_ON_TIME", grade: "A" });
  });

  it("nothing for A, nor under an override", () => {
    expect(gradeOutlook(input(onTime(12)), RULES)).toEqual([]);
    expect(gradeOutlook(input(onTime(1), { override: { grade: "C", until: "2027-01-01", reason: "x" } }), RULES)).toEqual([]);
  });

  it("催存 with dates leave the window; without dates they stay", () => {
    const dated = gradeOutlook(input(onTime(12), { balanceShortfalls: 1, balanceShortfallDates: ["2026-03-01"] }), RULES);
    expect(dated).toEqual([{ kind: "PAY_ON_TIME", periods: 5, grade: "A", by: "2027-03-25" }]);
    expect(gradeOutlook(input(onTime(12), { balanceShortfalls: 1 }), RULES)).toEqual([]);
  });
});
