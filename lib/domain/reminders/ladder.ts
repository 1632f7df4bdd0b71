// The escalation ladder (催费阶梯, article 001; docs/calculator.md `reminder-plan`): per grade the
// steps after the due date, each only while the bill is unpaid. A for gratitude, not chasing; B a
// call and an SMS; C a call, a written notice delivered on site and a letter; D repeated visits,
// then a disconnection proposal after more than 30 days (条例 §39). Every bill also gets its bill
// notice on the issue day, and a bank-debit bill an SMS before the debit.
import type { Grade } from "../grading/grade";

export const FIELD_KINDS = ["on-site-notice", "visit", "disconnection-proposal"] as const;
export type LadderKind = "reminder" | "letter" | (typeof FIELD_KINDS)[number];
export type StepKind = "bill-notice" | "pre-debit" | LadderKind;

/** One rung: `day` days after the due date. A reminder names how it reaches the customer. */
export type LadderStep =
  | { day: number; kind: "reminder"; channel: "phone" | "sms" }
  | { day: number; kind: Exclude<LadderKind, "reminder"> };

export type Ladder = Record<Grade, LadderStep[]>;

export const DEFAULT_LADDER: Ladder = {
  A: [],
  B: [
    { day: 1, kind: "reminder", channel: "phone" },
    { day: 7, kind: "reminder", channel: "sms" },
  ],
  C: [
    { day: 1, kind: "reminder", channel: "phone" },
    { day: 3, kind: "on-site-notice" },
    { day: 15, kind: "letter" },
  ],
  D: [
    { day: 1, kind: "reminder", channel: "phone" },
    { day: 3, kind: "on-site-notice" },
    { day: 7, kind: "visit" },
    { day: 14, kind: "visit" },
    { day: 21, kind: "letter" },
    { day: 31, kind: "disconnection-proposal" },
  ],
};
