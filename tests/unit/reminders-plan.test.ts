import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays } from "@/lib/domain/calendar";
import { inQuietHours } from "@/lib/domain/outbox/quiet-hours";
import { DEFAULT_PLAN_RULES, paymentNumberBill, planReminders, type PlanContact, type PlanInput } from "@/lib/domain/reminders/plan";
import { runCalculator } from "@/lib/domain/calculators";

const base: PlanInput = {
  grade: "B",
  paymentMethod: "counter",
  bill: { issueDate: "2026-11-22", dueDate: "2026-11-30", debitDate: null },
  paidOn: null,
  contacts: [
    { id: "c1", role: "self", channel: "sms", consent: true },
    { id: "c2", role: "proxy", channel: "sms", consent: true },
  ],
  elderlyNoSms: false,
  quietHours: { from: "20:00", to: "08:00" },
  holidays: new Set(),
};
const plan = (over: Partial<PlanInput> = {}) => planReminders({ ...base, ...over }).map(({ at, kind, channel, contactId }) => ({ at, kind, channel, contactId }));

describe("reminder-plan: the ladder by grade", () => {
  it("the contract's example (B): bill notice, a call the day after the due date, an SMS a week after", () => {
    expect(plan()).toEqual([
      { at: "2026-11-22T09:00:00+08:00", kind: "bill-notice", channel: "sms", contactId: "c1" },
      { at: "2026-12-01T10:00:00+08:00", kind: "reminder", channel: "phone", contactId: "c1" },
      { at: "2026-12-07T09:00:00+08:00", kind: "reminder", channel: "sms", contactId: "c1" },
    ]);
  });

  it("A: the bill notice and nothing more", () => {
    expect(plan({ grade: "A" }).map((s) => s.kind)).toEqual(["bill-notice"]);
  });

  it("C: call +1, on-site written notice +3 (no contact), letter +15 (to the premise without a postal contact)", () => {
    expect(plan({ grade: "C" })).toEqual([
      { at: "2026-11-22T09:00:00+08:00", kind: "bill-notice", channel: "sms", contactId: "c1" },
      { at: "2026-12-01T10:00:00+08:00", kind: "reminder", channel: "phone", contactId: "c1" },
      { at: "2026-12-03T09:00:00+08:00", kind: "on-site-notice", channel: null, contactId: null },
      { at: "2026-12-15T09:00:00+08:00", kind: "letter", channel: "post", contactId: null },
    ]);
  });

  it("D: call, on-site notice, visits +7 and +14, letter +21, proposal +31", () => {
    const d = plan({ grade: "D" });
    expect(d.map((s) => [s.at.slice(0, 10), s.kind])).toEqual([
      ["2026-11-22", "bill-notice"],
      ["2026-12-01", "reminder"],
      ["2026-12-03", "on-site-notice"],
      ["2026-12-07", "visit"],
      ["2026-12-14", "visit"],
      ["2026-12-21", "letter"],
      ["2026-12-31", "disconnection-proposal"],
    ]);
    expect(d.at(-1)).toMatchObject({ channel: null, contactId: null });
  });
});

describe("reminder-plan: bank debit, payment, time", () => {
  it("pre-debit SMS 2 days before the debit day; 1 day when that is before the issue day", () => {
    const bank = (debitDate: string) => plan({ grade: "A", paymentMethod: "bank-debit", bill: { ...base.bill, debitDate } }).filter((s) => s.kind === "pre-debit");
    expect(bank("2026-11-28")).toEqual([{ at: "2026-11-26T09:00:00+08:00", kind: "pre-debit", channel: "sms", contactId: "c1" }]);
    expect(bank("2026-11-23")[0].at).toBe("2026-11-22T09:00:00+08:00");
    expect(plan({ grade: "A", paymentMethod: "counter", bill: { ...base.bill, debitDate: "2026-11-28" } }).some((s) => s.kind === "pre-debit")).toBe(false);
  });

  it("nothing after the day the bill was paid; a partial ladder up to it", () => {
    expect(plan({ grade: "D", paidOn: "2026-11-29" }).map((s) => s.kind)).toEqual(["bill-notice"]);
    expect(plan({ grade: "D", paidOn: "2026-12-05" }).map((s) => s.kind)).toEqual(["bill-notice", "reminder", "on-site-notice"]);
  });

  it("a holiday moves a step to the next day; quiet hours to their end", () => {
    const holidays = new Set(["2026-12-01", "2026-12-02"]);
    expect(plan({ holidays })[1].at).toBe("2026-12-03T10:00:00+08:00");
    // quiet hours 08:30–10:30: the 09:00 message waits until 10:30, the 10:00 call too
    const q = plan({ quietHours: { from: "08:30", to: "10:30" } });
    expect(q.map((s) => s.at.slice(11, 16))).toEqual(["10:30", "10:30", "10:30"]);
    // quiet hours across midnight that cover the morning: 22:00–09:30
    expect(plan({ quietHours: { from: "22:00", to: "09:30" } })[0].at).toBe("2026-11-22T09:30:00+08:00");
  });

  it("the station's zone gives the offset", () => {
    const steps = planReminders(base, { ...DEFAULT_PLAN_RULES, timeZone: "Asia/Urumqi" });
    expect(steps[0].at).toBe("2026-11-22T09:00:00+06:00");
  });
});

describe("reminder-plan: who is reached", () => {
  const contacts = (...cs: [string, PlanContact["role"], PlanContact["channel"], boolean?][]) => cs.map(([id, role, channel, consent]) => ({ id, role, channel, consent: consent ?? true }));

  it("only consented contacts; nobody consenting means no message", () => {
    expect(plan({ contacts: contacts(["c1", "self", "sms", false], ["c3", "self", "wechat"]) })[0]).toMatchObject({ channel: "wechat", contactId: "c3" });
    expect(plan({ grade: "A", contacts: contacts(["c1", "self", "sms", false]) })).toEqual([]);
  });

  it("an elderly customer without SMS: messages to the proxy, calls to their own landline", () => {
    const p = plan({ elderlyNoSms: true, contacts: contacts(["l1", "self", "landline"], ["p1", "proxy", "sms"]) });
    expect(p.map((s) => [s.kind, s.channel, s.contactId])).toEqual([
      ["bill-notice", "sms", "p1"],
      ["reminder", "phone", "l1"],
      ["reminder", "sms", "p1"],
    ]);
  });

  it("a rented home: messages and calls to the tenant, letters to the tenant and the landlord", () => {
    const p = plan({ grade: "C", contacts: contacts(["o", "landlord", "sms"], ["op", "landlord", "post"], ["t", "tenant", "sms"], ["tp", "tenant", "post"]) });
    expect(p.filter((s) => s.kind !== "on-site-notice").map((s) => [s.kind, s.contactId])).toEqual([
      ["bill-notice", "t"],
      ["reminder", "t"],
      ["letter", "tp"],
      ["letter", "op"],
    ]);
  });

  it("an enterprise: its finance contact", () => {
    const p = plan({ contacts: contacts(["boss", "self", "sms"], ["f1", "finance", "phone"], ["f2", "finance", "email"]) });
    expect(p.map((s) => [s.kind, s.channel, s.contactId])).toEqual([
      ["bill-notice", "email", "f2"],
      ["reminder", "phone", "f1"],
    ]);
  });
});

describe("reminder-plan: one plan per payment number", () => {
  it("earliest issue, due and debit dates, summed amount", () => {
    expect(paymentNumberBill([
      { issueDate: "2026-11-22", dueDate: "2026-12-02", debitDate: null, amount: 100 },
      { issueDate: "2026-11-20", dueDate: "2026-11-30", debitDate: "2026-11-28", amount: 250 },
    ])).toEqual({ issueDate: "2026-11-20", dueDate: "2026-11-30", debitDate: "2026-11-28", amount: 350 });
  });
});

describe("reminder-plan: the calculator", () => {
  it("strict input: an unknown field and a due date before the issue date are refused", () => {
    const json = { asOf: "2026-11-22", grade: "B", paymentMethod: "counter", bill: { issueDate: "2026-11-22", dueDate: "2026-11-30", amount: "120.00", debitDate: null }, paidOn: null, contacts: [], elderlyNoSms: false, quietHours: { from: "20:00", to: "08:00" } };
    expect(runCalculator("reminder-plan", JSON.stringify(json))).toMatchObject({ ok: true, output: { steps: [] } });
    expect(runCalculator("reminder-plan", JSON.stringify({ ...json, elderly: true }))).toMatchObject({ ok: false, message: expect.stringMatching(/elderly: 未知字段/) });
    expect(runCalculator("reminder-plan", JSON.stringify({ ...json, bill: { ...json.bill, dueDate: "2026-11-01" } }))).toMatchObject({ ok: false, message: expect.stringMatching(/bill\.dueDate: 到期日不能早于出账日/) });
  });
});

// ───────────── properties ─────────────

const arbDay = fc.integer({ min: 0, max: 700 }).map((n) => addDays("2026-01-01", n));
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const arbContact = fc.record({
  id: fc.uuid(),
  role: fc.constantFrom("self", "proxy", "landlord", "tenant", "finance"),
  channel: fc.constantFrom("sms", "phone", "landline", "wechat", "email", "post"),
  consent: fc.boolean(),
}) as fc.Arbitrary<PlanContact>;
const arbInput: fc.Arbitrary<PlanInput> = fc
  .record({
    grade: fc.constantFrom("A", "B", "C", "D"),
    paymentMethod: fc.constantFrom("counter", "bank-debit", "online", "prepaid"),
    issue: arbDay,
    dueIn: fc.integer({ min: 0, max: 20 }),
    debitIn: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    paidIn: fc.option(fc.integer({ min: -5, max: 60 }), { nil: null }),
    contacts: fc.array(arbContact, { maxLength: 6 }),
    elderlyNoSms: fc.boolean(),
    quiet: fc.tuple(hhmm, hhmm),
    holidays: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 20 }),
  })
  .filter((r) => r.holidays.length < 40)
  .map((r) => {
    const dueDate = addDays(r.issue, r.dueIn);
    return {
      grade: r.grade,
      paymentMethod: r.paymentMethod,
      bill: { issueDate: r.issue, dueDate, debitDate: r.debitIn === null ? null : addDays(r.issue, r.debitIn) },
      paidOn: r.paidIn === null ? null : addDays(dueDate, r.paidIn),
      contacts: r.contacts,
      elderlyNoSms: r.elderlyNoSms,
      quietHours: { from: r.quiet[0], to: r.quiet[1] },
      holidays: new Set(r.holidays.map((n) => addDays(r.issue, n))),
    } as PlanInput;
  });
const CHASING = ["reminder", "on-site-notice", "visit", "letter", "disconnection-proposal"];

describe("reminder-plan: properties", () => {
  it("a customer who paid by the due date is never chased; nothing is planned after the payment", () => {
    fc.assert(fc.property(arbInput, (i) => {
      const steps = planReminders(i);
      if (i.paidOn !== null && i.paidOn <= i.bill.dueDate) expect(steps.filter((s) => CHASING.includes(s.kind))).toEqual([]);
      if (i.paidOn !== null) for (const s of steps) expect(s.date <= i.paidOn).toBe(true);
    }));
  });

  it("an A customer is never chased", () => {
    fc.assert(fc.property(arbInput, (i) => {
      expect(planReminders({ ...i, grade: "A" }).filter((s) => CHASING.includes(s.kind))).toEqual([]);
    }));
  });

  it("no step on a holiday or inside the quiet hours", () => {
    fc.assert(fc.property(arbInput, (i) => {
      for (const s of planReminders(i)) {
        expect(i.holidays.has(s.date)).toBe(false);
        expect(inQuietHours(s.time, { quietFrom: i.quietHours.from, quietTo: i.quietHours.to })).toBe(false);
      }
    }));
  });

  it("messages reach only consented contacts; field work none", () => {
    fc.assert(fc.property(arbInput, (i) => {
      const byId = new Map(i.contacts.map((c) => [c.id, c]));
      for (const s of planReminders(i)) {
        if (s.contactId !== null) expect(byId.get(s.contactId)?.consent).toBe(true);
        if (["on-site-notice", "visit", "disconnection-proposal"].includes(s.kind)) expect(s.contactId).toBeNull();
      }
    }));
  });

  it("a D proposal comes only after two visits and more than 30 days past due", () => {
    fc.assert(fc.property(arbInput, (i) => {
      const steps = planReminders({ ...i, grade: "D" });
      const p = steps.findIndex((s) => s.kind === "disconnection-proposal");
      if (p < 0) return;
      expect(steps.slice(0, p).filter((s) => s.kind === "visit").length).toBeGreaterThanOrEqual(2);
      expect(steps[p].date > addDays(i.bill.dueDate, 30)).toBe(true);
    }));
  });

  it("steps are in time order", () => {
    fc.assert(fc.property(arbInput, (i) => {
      const ats = planReminders(i).map((s) => s.at);
      expect([...ats].sort()).toEqual(ats);
    }));
  });
});
