import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkLedger, deriveBalance, recoveryRateBp, type CustomerFigures, type LedgerKind } from "@/lib/domain/payments/ledger";
import { decideFeeControl, type FeeControlState } from "@/lib/domain/payments/fee-control";
import { DEFAULT_SETTINGS } from "@/lib/domain/settings";

const zero: Record<LedgerKind, number> = { OPENING: 0, BILL: 0, LATE_FEE: 0, PAYMENT: 0, REVERSAL: 0, ADJUSTMENT: 0, WRITE_OFF: 0, WAIVER: 0, REFUND: 0 };

describe("ledger: balance derivation", () => {
  it("the balance is the sum of entries; negative means prepaid funds", () => {
    expect(deriveBalance([{ kind: "BILL", amount: 15000 }, { kind: "LATE_FEE", amount: 420 }, { kind: "PAYMENT", amount: -20000 }])).toEqual({ balance: -4580, owed: 0, prepaidFunds: 4580 });
    expect(deriveBalance([{ kind: "BILL", amount: 15000 }, { kind: "PAYMENT", amount: -5000 }])).toEqual({ balance: 10000, owed: 10000, prepaidFunds: 0 });
  });
  it("recovery rate in basis points, rounded half-up", () => {
    expect(recoveryRateBp(980_000, 1_250_500)).toBe(7837); // docs/sources.md §2.3, recovery rate: 78.4 %
    expect(recoveryRateBp(1, 0)).toBeNull();
  });
});

describe("ledger: the check", () => {
  // one customer: bill 150.00 released, paid 200.00 of which 4.20 fee, 45.80 to prepaid funds
  const good = (): CustomerFigures => ({
    customerId: 1,
    entries: { ...zero, BILL: 15000, LATE_FEE: 420, PAYMENT: -20000 },
    paymentEntries: -20000, releasedBills: 15000, billReversalEntries: 0, reversedBillsAmount: 0,
    allocations: 20000, feeCharged: 420, feeWaived: 0, feeAllocated: 420, credit: 4580, openPrincipal: 0, paidOnReversedBills: 0, refunds: 0, refundedFromCredit: 0,
  });
  const bills = [{ billId: 1, customerId: 1, amount: 15000, paidAmount: 15000, allocatedPrincipal: 15000, feeCharged: 420, feeAllocated: 420, feeWaived: 0 }];
  const payments = [{ paymentId: 1, amount: 20000, status: "POSTED" as const, allocated: 20000 }];

  it("passes when entries and documents agree", () => {
    expect(checkLedger({ customers: [good()], bills, payments })).toMatchObject({ ok: true, problems: [] });
  });
  it("finds a payment entry that does not match its allocations (e.g. a duplicate posting)", () => {
    const c = good();
    c.entries.PAYMENT = -40000;
    c.paymentEntries = -40000;
    const r = checkLedger({ customers: [c], bills, payments });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(expect.arrayContaining(["PAYMENT_ENTRIES", "BALANCE"]));
  });
  it("finds a bill whose paid amount disagrees with its allocations", () => {
    const r = checkLedger({ customers: [good()], bills: [{ ...bills[0], paidAmount: 14000 }], payments });
    expect(r.problems).toContainEqual({ code: "PAID_AMOUNT", billId: 1, expected: 15000, actual: 14000 });
  });
  it("finds a payment whose allocations do not add up, and accepts a reversed one netted to zero", () => {
    expect(checkLedger({ customers: [], bills: [], payments: [{ paymentId: 2, amount: 100, status: "POSTED", allocated: 90 }] }).ok).toBe(false);
    expect(checkLedger({ customers: [], bills: [], payments: [{ paymentId: 2, amount: 100, status: "REVERSED", allocated: 0 }] }).ok).toBe(true);
  });
  it("a closure's refund: the REFUND entry and the refund's allocation row take the prepaid funds to zero", () => {
    const c = good();
    c.entries.REFUND = 4580;
    c.refunds = 4580;
    c.refundedFromCredit = 4580;
    c.allocations = 20000 - 4580;
    c.credit = 0;
    expect(checkLedger({ customers: [c], bills, payments })).toMatchObject({ ok: true, problems: [] });
  });
  it("finds a refund without its REFUND entry, and a refund paid from outside the prepaid pool", () => {
    const c = good();
    c.refunds = 4580;
    c.refundedFromCredit = 4580;
    c.allocations = 20000 - 4580;
    c.credit = 0;
    expect(checkLedger({ customers: [c], bills, payments }).problems.map((p) => p.code)).toEqual(expect.arrayContaining(["REFUND_ENTRIES", "BALANCE"]));
    const d = good();
    d.entries.REFUND = 4580;
    d.refunds = 4580;
    expect(checkLedger({ customers: [d], bills, payments }).problems.map((p) => p.code)).toEqual(expect.arrayContaining(["REFUND_POOL", "BALANCE"]));
  });
  it("finds a released bill without its BILL entry", () => {
    const c = good();
    c.releasedBills = 30000;
    expect(checkLedger({ customers: [c], bills, payments }).problems.map((p) => p.code)).toContain("BILL_ENTRIES");
  });
});

describe("fee control (预购电)", () => {
  const s = DEFAULT_SETTINGS.prepaid; // warnings at 30.00 and 10.00
  const d = (funds: number, state: FeeControlState, extra: Partial<{ isProtected: boolean; stopDue: boolean }> = {}) =>
    decideFeeControl({ funds, state, isProtected: false, stopDue: false, settings: s, ...extra });

  const table: [string, number, FeeControlState, Partial<{ isProtected: boolean; stopDue: boolean }>, string[], FeeControlState][] = [
    ["plenty of funds: nothing", 10000, "NORMAL", {}, [], "NORMAL"],
    ["at warning 1", 3000, "NORMAL", {}, ["WARN1"], "WARNED1"],
    ["already warned once: no repeat", 2500, "WARNED1", {}, [], "WARNED1"],
    ["at warning 2 after warning 1", 1000, "WARNED1", {}, ["WARN2"], "WARNED2"],
    ["straight to warning 2: one message", 500, "NORMAL", {}, ["WARN2"], "WARNED2"],
    ["zero is not below zero", 0, "WARNED2", {}, [], "WARNED2"],
    ["below zero after the warnings: stop notice and order", -1, "WARNED2", {}, ["STOP_NOTICE"], "NOTICED"],
    ["below zero without warnings: the warning comes first, the stop only after the grace", -500, "NORMAL", {}, ["WARN2", "STOP_NOTICE"], "NOTICED"],
    ["notice served, not yet due: wait", -500, "NOTICED", {}, [], "NOTICED"],
    ["notice served and due: stop", -500, "NOTICED", { stopDue: true }, ["EXECUTE_STOP"], "STOPPED"],
    ["protected (保电): warned, never a stop notice", -500, "WARNED1", { isProtected: true }, ["WARN2"], "WARNED2"],
    ["protected with a pending order: never executed", -500, "NOTICED", { isProtected: true, stopDue: true }, [], "NOTICED"],
    ["topped up to zero before the stop: cancelled", 0, "NOTICED", {}, ["CANCEL_STOP"], "WARNED2"],
    ["topped up well before the stop: cancelled, re-armed", 10000, "NOTICED", {}, ["CANCEL_STOP"], "NORMAL"],
    ["stopped and still not above zero: stays stopped", 0, "STOPPED", {}, [], "STOPPED"],
    ["stopped, topped up above zero: restore", 5000, "STOPPED", {}, ["RESTORE"], "NORMAL"],
    ["stopped, topped up a little: restore and warn", 500, "STOPPED", {}, ["RESTORE", "WARN2"], "WARNED2"],
    ["back above warning 1: re-armed silently", 5000, "WARNED2", {}, [], "NORMAL"],
  ];
  for (const [name, funds, state, extra, actions, next] of table) {
    it(name, () => {
      const r = d(funds, state, extra);
      expect(r.actions.map((a) => (a.kind === "WARN" ? `WARN${a.level}` : a.kind))).toEqual(actions);
      expect(r.state).toBe(next);
    });
  }

  it("properties: never a stop for a protected customer or with funds ≥ 0; never a stop without a prior notice", () => {
    const states: FeeControlState[] = ["NORMAL", "WARNED1", "WARNED2", "NOTICED", "STOPPED"];
    fc.assert(fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.constantFrom(...states), fc.boolean(), fc.boolean(), (funds, state, isProtected, stopDue) => {
      const r = decideFeeControl({ funds, state, isProtected, stopDue, settings: s });
      const kinds = r.actions.map((a) => a.kind);
      if (kinds.includes("EXECUTE_STOP")) {
        expect(isProtected).toBe(false);
        expect(funds).toBeLessThan(0);
        expect(state).toBe("NOTICED");
      }
      if (isProtected) expect(kinds).not.toContain("STOP_NOTICE");
      if (funds > 0) expect(r.state).not.toBe("STOPPED");
      if (funds > 0 && state === "STOPPED") expect(kinds).toContain("RESTORE");
    }));
  });

  it("a walk down and back up: warnings in order, stop only after the notice, restore on top-up", () => {
    let state: FeeControlState = "NORMAL";
    const log: string[] = [];
    for (const [funds, stopDue] of [[5000, false], [2900, false], [900, false], [-100, false], [-100, false], [-200, true], [3000, false]] as const) {
      const r = decideFeeControl({ funds, state, isProtected: false, stopDue, settings: s });
      log.push(...r.actions.map((a) => (a.kind === "WARN" ? `WARN${a.level}` : a.kind)));
      state = r.state;
    }
    expect(log).toEqual(["WARN1", "WARN2", "STOP_NOTICE", "EXECUTE_STOP", "RESTORE", "WARN1"]);
  });
});
