// The payment date a collection partner may claim (paidOn). A partner collects from the customer
// first and posts to the station later (its settlement runs overnight, a weekend, a retry), so
// paidOn may lie a few days back; how far is the partner agreement's term (setting
// partner.paidOnDaysBack, default 3). Anything outside [today − daysBack, today] at the station
// is refused: a future date, or one years back, would book the money in a month it never
// reached the station and settle bills on a day nobody paid.
//
// Inside the window the payment's value date IS paidOn, and the late-payment charge runs to it,
// not to the posting day: 供电营业规则 (1996) §98 counts 电费违约金 "从逾期之日起计算至交纳日止",
// and the customer paid (交纳) on paidOn; the days the money spent with the partner are the
// partner's delay, not the customer's. The amount the partner collected was what
// GET /amount-due answered that day, so charging to the posting day would leave the customer a
// shortfall they never saw. The window bounds what a back date can save a customer (at most
// daysBack days of charge), and the reconciliation lists every back-dated payment.
import { addDays, type IsoDate } from "../calendar";

export type PaidOnWindow = { from: IsoDate; to: IsoDate };

/** The dates a partner may give as paidOn on the station's `today`. */
export function partnerPaidOnWindow(today: IsoDate, daysBack: number): PaidOnWindow {
  if (!Number.isInteger(daysBack) || daysBack < 0) throw new RangeError(`not a number of days: ${daysBack}`);
  return { from: addDays(today, -daysBack), to: today };
}

export function isPaidOnInWindow(paidOn: IsoDate, w: PaidOnWindow): boolean {
  return paidOn >= w.from && paidOn <= w.to; // ISO dates compare as strings
}
