import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocatePayment, clawBack, totalDue, type OpenBill } from "@/lib/domain/payments/allocate";
import { addDays } from "@/lib/domain/calendar";

const bill = (id: number, dueDate: string, unpaid: number, feeAccrued = 0, feeOutstanding = 0, customerId = 1): OpenBill =>
  ({ billId: id, customerId, period: dueDate.slice(0, 7), dueDate, unpaid, feeAccrued, feeOutstanding });

describe("allocatePayment", () => {
  it("oldest bill first, a bill's late fee with it (fee before principal), the rest to prepaid funds", () => {
    const r = allocatePayment({
      bills: [bill(2, "2026-11-25", 10000, 0), bill(1, "2026-10-25", 15000, 420)],
      amount: 30000, prepaidCustomerId: 1, minimumTotal: 100,
    });
    expect(r.allocations).toEqual([
      { billId: 1, customerId: 1, principal: 15000, lateFee: 420 },
      { billId: 2, customerId: 1, principal: 10000, lateFee: 0 },
      { billId: null, customerId: 1, principal: 30000 - 25420, lateFee: 0 },
    ]);
    expect(r.feeCharges).toEqual([{ billId: 1, customerId: 1, amount: 420 }]);
    expect(r.settledBillIds).toEqual([1, 2]);
    expect(r.toPrepaid).toBe(4580);
  });

  it("a partial payment pays the charge to date, then part of the principal", () => {
    const r = allocatePayment({ bills: [bill(1, "2026-10-25", 15000, 420), bill(2, "2026-11-25", 10000)], amount: 5000, prepaidCustomerId: 1, minimumTotal: 100 });
    expect(r.allocations).toEqual([{ billId: 1, customerId: 1, principal: 4580, lateFee: 420 }]);
    expect(r.touchedBillIds).toEqual([1]);
    expect(r.settledBillIds).toEqual([]);
    expect(r.toPrepaid).toBe(0);
  });

  it("the minimum total is charged once, on the oldest touched bill with a charge", () => {
    const r = allocatePayment({ bills: [bill(1, "2026-10-25", 15000, 30), bill(2, "2026-10-26", 20000, 20)], amount: 35100, prepaidCustomerId: 1, minimumTotal: 100 });
    expect(r.feeCharges).toEqual([{ billId: 1, customerId: 1, amount: 80 }, { billId: 2, customerId: 1, amount: 20 }]);
    expect(r.allocations.map((a) => a.principal + a.lateFee)).toEqual([15080, 20020]);
    expect(totalDue([bill(1, "2026-10-25", 15000, 30), bill(2, "2026-10-26", 20000, 20)], 100).total).toBe(35100);
  });

  it("charges outstanding from an earlier partial payment are collected too", () => {
    const r = allocatePayment({ bills: [bill(1, "2026-10-25", 0, 0, 150)], amount: 150, prepaidCustomerId: 1, minimumTotal: 100 });
    expect(r.allocations).toEqual([{ billId: 1, customerId: 1, principal: 0, lateFee: 150 }]);
    expect(r.feeCharges).toEqual([]);
    expect(r.settledBillIds).toEqual([1]);
  });

  it("a payment number settles all its customers, oldest bill first across them", () => {
    const r = allocatePayment({
      bills: [bill(1, "2026-10-25", 5000, 0, 0, 7), bill(2, "2026-09-25", 3000, 0, 0, 8), bill(3, "2026-11-25", 2000, 0, 0, 9)],
      amount: 10000, prepaidCustomerId: 7, minimumTotal: 100,
    });
    expect(r.allocations.map((a) => [a.billId, a.customerId, a.principal])).toEqual([[2, 8, 3000], [1, 7, 5000], [3, 9, 2000]]);
    expect(r.toPrepaid).toBe(0);
  });

  it("no open bills: everything is prepaid funds (a top-up)", () => {
    const r = allocatePayment({ bills: [], amount: 5000, prepaidCustomerId: 3, minimumTotal: 100 });
    expect(r.allocations).toEqual([{ billId: null, customerId: 3, principal: 5000, lateFee: 0 }]);
  });

  it("refuses a negative or fractional amount", () => {
    expect(() => allocatePayment({ bills: [], amount: -1, prepaidCustomerId: 1, minimumTotal: 100 })).toThrow();
    expect(() => allocatePayment({ bills: [], amount: 1.5, prepaidCustomerId: 1, minimumTotal: 100 })).toThrow();
  });
});

describe("allocatePayment: properties", () => {
  const billArb = fc.record({
    due: fc.integer({ min: 0, max: 700 }),
    unpaid: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500_000 })),
    feeAccrued: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    feeOutstanding: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    customerId: fc.integer({ min: 1, max: 3 }),
  });
  const caseArb = fc.tuple(fc.array(billArb, { maxLength: 8 }), fc.integer({ min: 0, max: 3_000_000 }), fc.constantFrom(100, null));
  const toBills = (bs: { due: number; unpaid: number; feeAccrued: number; feeOutstanding: number; customerId: number }[]) =>
    bs.map((b, i) => bill(i + 1, addDays("2025-01-01", b.due), b.unpaid, b.unpaid === 0 ? 0 : b.feeAccrued, b.feeOutstanding, b.customerId));

  it("the sum of allocations equals the payment; nothing is over-allocated; a paid bill is never allocated", () => {
    fc.assert(fc.property(caseArb, ([bs, amount, min]) => {
      const bills = toBills(bs);
      const r = allocatePayment({ bills, amount, prepaidCustomerId: 1, minimumTotal: min });
      const sum = r.allocations.reduce((t, a) => t + a.principal + a.lateFee, 0);
      expect(sum).toBe(amount);
      for (const a of r.allocations) {
        expect(a.principal).toBeGreaterThanOrEqual(0);
        expect(a.lateFee).toBeGreaterThanOrEqual(0);
        if (a.billId === null) continue;
        const b = bills.find((x) => x.billId === a.billId)!;
        expect(b.unpaid + b.feeOutstanding + b.feeAccrued).toBeGreaterThan(0); // paid bills never allocated
        expect(a.principal).toBeLessThanOrEqual(b.unpaid);
        const charged = r.feeCharges.find((c) => c.billId === b.billId)?.amount ?? 0;
        expect(a.lateFee).toBeLessThanOrEqual(b.feeOutstanding + charged);
        expect(a.customerId).toBe(b.customerId);
      }
      // money goes to prepaid funds only once every bill is settled
      if (r.toPrepaid > 0) expect(r.settledBillIds.length).toBe(bills.filter((b) => b.unpaid + b.feeOutstanding + b.feeAccrued > 0).length);
    }));
  });

  it("oldest first: a later bill gets money only when every earlier one is settled", () => {
    fc.assert(fc.property(caseArb, ([bs, amount, min]) => {
      const bills = toBills(bs);
      const r = allocatePayment({ bills, amount, prepaidCustomerId: 1, minimumTotal: min });
      const billAllocs = r.allocations.filter((a) => a.billId !== null);
      billAllocs.slice(0, -1).forEach((a) => expect(r.settledBillIds).toContain(a.billId));
    }));
  });

  it("paying exactly the total due settles everything and leaves nothing over", () => {
    fc.assert(fc.property(caseArb, ([bs, , min]) => {
      const bills = toBills(bs);
      const due = totalDue(bills, min);
      const r = allocatePayment({ bills, amount: due.total, prepaidCustomerId: 1, minimumTotal: min });
      expect(r.toPrepaid).toBe(0);
      expect(r.settledBillIds.length).toBe(bills.filter((b) => b.unpaid + b.feeOutstanding + b.feeAccrued > 0).length);
    }));
  });

  it("paying a second time with the settled bills removed never re-allocates them", () => {
    fc.assert(fc.property(caseArb, fc.integer({ min: 0, max: 1_000_000 }), ([bs, amount, min], again) => {
      const bills = toBills(bs);
      const r1 = allocatePayment({ bills, amount, prepaidCustomerId: 1, minimumTotal: min });
      const after = bills.map((b) => {
        const a = r1.allocations.find((x) => x.billId === b.billId);
        if (!a) return b;
        const charged = r1.feeCharges.find((c) => c.billId === b.billId)?.amount ?? 0;
        return { ...b, unpaid: b.unpaid - a.principal, feeOutstanding: b.feeOutstanding + charged - a.lateFee, feeAccrued: 0 };
      });
      const r2 = allocatePayment({ bills: after, amount: again, prepaidCustomerId: 1, minimumTotal: min });
      for (const id of r1.settledBillIds) expect(r2.allocations.some((a) => a.billId === id)).toBe(false);
    }));
  });
});

describe("clawBack: funds that paid bills and turned out not to exist", () => {
  const paid = (id: number, period: string, principal: number, lateFee = 0) =>
    ({ billId: id, customerId: 1, period, dueDate: `${period}-25`, principal, lateFee });

  it.each([
    { what: "newest bill first, its principal then its charge", amount: 120, want: [[3, -100, 0], [2, -20, 0]], left: 0 },
    { what: "a charge is taken back after its principal", amount: 105, want: [[3, -100, 0], [2, -5, 0]], left: 0 },
    { what: "through the second bill into its charge", amount: 100 + 80 + 3 + 20, want: [[3, -100, 0], [2, -80, -3], [1, -20, 0]], left: 0 },
    { what: "more than was ever allocated: the rest is left", amount: 400, want: [[3, -100, 0], [2, -80, -3], [1, -50, 0]], left: 167 },
    { what: "nothing to take", amount: 0, want: [], left: 0 },
  ])("$what", ({ amount, want, left }) => {
    const r = clawBack([paid(1, "2026-08", 50), paid(3, "2026-10", 100), paid(2, "2026-09", 80, 3)], amount);
    expect(r.allocations.map((a) => [a.billId, a.principal, a.lateFee])).toEqual(want);
    expect(r.left).toBe(left);
  });

  it("takes back exactly the amount asked, or everything there was", () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 8 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (bs, amount) => {
        const bills = bs.map(([p, f], i) => paid(i + 1, `2025-${String(i + 1).padStart(2, "0")}`, p, f));
        const r = clawBack(bills, amount);
        const taken = 0 - r.allocations.reduce((s, a) => s + a.principal + a.lateFee, 0);
        const all = bills.reduce((s, b) => s + b.principal + b.lateFee, 0);
        expect(taken).toBe(Math.min(amount, all));
        expect(r.left).toBe(amount - taken);
        for (const a of r.allocations) {
          const b = bills.find((x) => x.billId === a.billId)!;
          expect(-a.principal).toBeLessThanOrEqual(b.principal);
          expect(-a.lateFee).toBeLessThanOrEqual(b.lateFee);
        }
      }));
  });
});
