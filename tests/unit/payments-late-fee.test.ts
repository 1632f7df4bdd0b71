import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { chargeableDays, computeLateFees, lateFeeCalculator, lateFeeInputSchema } from "@/lib/domain/payments/late-fee";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";
import { addDays } from "@/lib/domain/calendar";
import { formatYuan, parseYuan } from "@/lib/domain/money";

const calc = (input: unknown) => lateFeeCalculator(lateFeeInputSchema.parse(input));

describe("late-fee: the contract example", () => {
  it("150.00 due 2026-10-25, residential, as of 2026-11-22 → 28 days, 4.20", () => {
    const out = calc({ customerClass: "residential", asOf: "2026-11-22", bills: [{ id: "2026-10", amount: "150.00", dueDate: "2026-10-25" }] });
    expect(out.bills).toEqual([expect.objectContaining({ id: "2026-10", days: 28, fee: "4.20" })]);
    expect(out.total).toBe("4.20");
  });
});

describe("late-fee: docs/calculator.md §4 worked case (industrial, Dec-2000 2000 yuan + Jan-2001 3000 yuan, paid 2001-01-18)", () => {
  const input = {
    customerClass: "other",
    asOf: "2001-01-18",
    bills: [
      { id: "2000-12", amount: "2000.00", dueDate: "2000-12-15" },
      { id: "2001-01", amount: "3000.00", dueDate: "2001-01-15" },
    ],
  };
  it("method B: 2000×16×2‰ + 2000×18×3‰ + 3000×3×2‰ = 190.00 (not A's 126 or C's 222)", () => {
    const out = calc(input);
    expect(out.bills[0]).toMatchObject({ id: "2000-12", days: 34, fee: "172.00", currentYearDays: 16, crossYearDays: 18 });
    expect(out.bills[1]).toMatchObject({ id: "2001-01", days: 3, fee: "18.00", currentYearDays: 3, crossYearDays: 0 });
    expect(out.total).toBe("190.00");
  });
  it("the 3-day count: due on the 15th and paid on the 18th counts 3 days", () => {
    expect(chargeableDays("2001-01-15", "2001-01-18").days).toBe(3);
  });
});

describe("late-fee: table of cases", () => {
  const cases: { name: string; cls: "residential" | "other"; asOf: string; bills: { amount: string; dueDate: string; accruedThrough?: string }[]; fees: string[]; days: number[]; total: string }[] = [
    { name: "not yet overdue costs nothing", cls: "residential", asOf: "2026-10-25", bills: [{ amount: "150.00", dueDate: "2026-10-25" }], fees: ["0.00"], days: [0], total: "0.00" },
    { name: "first overdue day", cls: "residential", asOf: "2026-10-26", bills: [{ amount: "1500.00", dueDate: "2026-10-25" }], fees: ["1.50"], days: [1], total: "1.50" },
    { name: "minimum 1.00 applied to the total, bill fee reported unraised", cls: "residential", asOf: "2026-10-27", bills: [{ amount: "150.00", dueDate: "2026-10-25" }], fees: ["0.30"], days: [2], total: "1.00" },
    { name: "minimum applied once to the sum of bills", cls: "residential", asOf: "2026-10-27", bills: [{ amount: "150.00", dueDate: "2026-10-25" }, { amount: "200.00", dueDate: "2026-10-25" }], fees: ["0.30", "0.40"], days: [2, 2], total: "1.00" },
    { name: "half-up rounding per bill: 12.35 × 0.001 × 1 = 0.01235 → 0.01 ; 15 × 0.001 × 1 = 0.015 → 0.02", cls: "residential", asOf: "2026-10-26", bills: [{ amount: "12.35", dueDate: "2026-10-25" }, { amount: "15.00", dueDate: "2026-10-25" }], fees: ["0.01", "0.02"], days: [1, 1], total: "1.00" },
    { name: "residential has no cross-year split", cls: "residential", asOf: "2027-01-10", bills: [{ amount: "1000.00", dueDate: "2026-12-20" }], fees: ["21.00"], days: [21], total: "21.00" },
    { name: "a December bill due 5 January is current-year arrears during January", cls: "other", asOf: "2027-01-25", bills: [{ amount: "1000.00", dueDate: "2027-01-05" }], fees: ["40.00"], days: [20], total: "40.00" },
    { name: "other, across two year-ends: 2026 days at 2‰, 2027 and 2028 days at 3‰", cls: "other", asOf: "2028-01-02", bills: [{ amount: "100.00", dueDate: "2026-12-30" }], fees: ["110.30"], days: [368], total: "110.30" },
    { name: "accruedThrough after the due date: counting starts the day after it", cls: "residential", asOf: "2026-11-22", bills: [{ amount: "150.00", dueDate: "2026-10-25", accruedThrough: "2026-11-12" }], fees: ["1.50"], days: [10], total: "1.50" },
    { name: "accruedThrough before the due date changes nothing", cls: "residential", asOf: "2026-11-22", bills: [{ amount: "150.00", dueDate: "2026-10-25", accruedThrough: "2026-10-01" }], fees: ["4.20"], days: [28], total: "4.20" },
    { name: "accruedThrough in the new year: the split still follows the due date's year", cls: "other", asOf: "2027-01-20", bills: [{ amount: "1000.00", dueDate: "2026-12-15", accruedThrough: "2027-01-10" }], fees: ["30.00"], days: [10], total: "30.00" },
    { name: "accruedThrough on asOf: nothing more", cls: "other", asOf: "2027-01-20", bills: [{ amount: "1000.00", dueDate: "2026-12-15", accruedThrough: "2027-01-20" }], fees: ["0.00"], days: [0], total: "0.00" },
    { name: "zero amount costs nothing", cls: "other", asOf: "2027-01-20", bills: [{ amount: "0.00", dueDate: "2026-12-15" }], fees: ["0.00"], days: [36], total: "0.00" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = calc({ customerClass: c.cls, asOf: c.asOf, bills: c.bills.map((b, i) => ({ id: `b${i}`, ...b })) });
      expect(out.bills.map((b) => b.fee)).toEqual(c.fees);
      expect(out.bills.map((b) => b.days)).toEqual(c.days);
      expect(out.total).toBe(c.total);
    });
  }

  it("settings override the rates and the minimum (e.g. no minimum after the 2024 revision)", () => {
    const out = calc({
      customerClass: "residential", asOf: "2026-10-27",
      bills: [{ id: "x", amount: "150.00", dueDate: "2026-10-25" }],
      settings: { lateFee: { minimumTotal: null, residentialDailyRate: "0.002" } },
    });
    expect(out.bills[0].fee).toBe("0.60");
    expect(out.total).toBe("0.60");
  });
});

describe("late-fee: strict input", () => {
  const ok = { customerClass: "residential", asOf: "2026-11-22", bills: [{ id: "a", amount: "1.00", dueDate: "2026-10-25" }] };
  const bad: [string, unknown][] = [
    ["unknown field", { ...ok, extra: 1 }],
    ["unknown bill field", { ...ok, bills: [{ ...ok.bills[0], amout: "1.00" }] }],
    ["impossible date", { ...ok, asOf: "2026-02-30" }],
    ["negative amount", { ...ok, bills: [{ ...ok.bills[0], amount: "-1.00" }] }],
    ["amount as a number", { ...ok, bills: [{ ...ok.bills[0], amount: 1 }] }],
    ["unknown class", { ...ok, customerClass: "industrial" }],
    ["unknown settings group", { ...ok, settings: { lateFees: {} } }],
    ["bad rate in settings", { ...ok, settings: { lateFee: { residentialDailyRate: "1%" } } }],
  ];
  for (const [name, input] of bad) it(`refuses ${name}`, () => expect(lateFeeInputSchema.safeParse(input).success).toBe(false));
});

describe("late-fee: properties", () => {
  const rates = DEFAULT_SETTINGS.lateFee;
  const dateArb = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2024-01-01", n));
  it("simple interest: the fee equals amount × rate × days rounded once (residential)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), dateArb, fc.integer({ min: 0, max: 800 }), (amount, due, n) => {
      const r = computeLateFees({ customerClass: "residential", asOf: addDays(due, n), bills: [{ id: "x", amount, dueDate: due }], rates });
      const exact = amount * n; // fen × days × 1/1000
      expect(r.bills[0].fee).toBe(Math.floor((exact * 2 + 1000) / 2000));
      expect(r.bills[0].days).toBe(n);
    }));
  });
  it("never decreases as asOf moves later, and other ≥ residential", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), dateArb, fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 60 }), (amount, due, n, k) => {
      const f = (cls: "residential" | "other", asOf: string) => computeLateFees({ customerClass: cls, asOf, bills: [{ id: "x", amount, dueDate: due }], rates }).bills[0].fee;
      expect(f("other", addDays(due, n + k))).toBeGreaterThanOrEqual(f("other", addDays(due, n)));
      expect(f("other", addDays(due, n))).toBeGreaterThanOrEqual(f("residential", addDays(due, n)));
    }));
  });
  it("charging in two steps (accruedThrough) equals one step up to rounding of one fen", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), dateArb, fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 800 }), (amount, due, a, b) => {
      const mid = addDays(due, a);
      const end = addDays(due, a + b);
      const one = computeLateFees({ customerClass: "other", asOf: end, bills: [{ id: "x", amount, dueDate: due }], rates }).bills[0];
      const s1 = computeLateFees({ customerClass: "other", asOf: mid, bills: [{ id: "x", amount, dueDate: due }], rates }).bills[0];
      const s2 = computeLateFees({ customerClass: "other", asOf: end, bills: [{ id: "x", amount, dueDate: due, accruedThrough: mid }], rates }).bills[0];
      expect(s1.days + s2.days).toBe(one.days);
      expect(Math.abs(s1.fee + s2.fee - one.fee)).toBeLessThanOrEqual(1);
    }));
  });
  it("the total is the sum of bill fees, raised to the minimum only when between 0 and 1.00", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), dateArb), { maxLength: 6 }), dateArb, (bs, asOf) => {
      const r = computeLateFees({ customerClass: "other", asOf, bills: bs.map(([amount, dueDate], i) => ({ id: String(i), amount, dueDate })), rates });
      const sum = r.bills.reduce((t, b) => t + b.fee, 0);
      expect(r.total).toBe(sum > 0 && sum < parseYuan("1.00") ? 100 : sum);
      expect(formatYuan(r.total)).toMatch(/^\d+\.\d\d$/);
    }));
  });
});

describe("npm run --silent calc -- late-fee (spawned, as integrators run it)", () => {
  const calcCli = (stdin: string) => {
    const r = spawnSync("npm", ["run", "--silent", "calc", "--", "late-fee"], { input: stdin, encoding: "utf8", cwd: process.cwd(), timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn")).join("\n") };
  };
  it("the contract example: exit 0, the contract's output", () => {
    const r = calcCli(JSON.stringify({ customerClass: "residential", asOf: "2026-11-22", bills: [{ id: "2026-10", amount: "150.00", dueDate: "2026-10-25" }] }));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total).toBe("4.20");
    expect(out.bills[0]).toMatchObject({ id: "2026-10", days: 28, fee: "4.20" });
  }, 60_000);
  it("invalid input: exit 2, the field named on stderr, nothing on stdout", () => {
    const r = calcCli(JSON.stringify({ customerClass: "residential", asOf: "2026-11-22", bills: [{ id: "x", amount: "-5.00", dueDate: "2026-13-01" }] }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/bills\.0\.amount/);
    expect(r.stderr).toMatch(/bills\.0\.dueDate/);
  }, 60_000);
});
