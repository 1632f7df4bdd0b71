// Numbers as a Chinese IME types them (full-width digits and punctuation, 。 as the point,
// thousands separators) parse to the same value as their ASCII spelling, in every schema of
// lib/validation; a huge amount is told it is above the limit; control characters are found
// wherever they hide in a form or a JSON body.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { formatYuan, MAX_PAYMENT_FEN, readAmount } from "@/lib/domain/money";
import { searchTokens } from "@/lib/domain/payments/mask";
import { catalogs } from "@/lib/i18n/catalog";
import { hasMessage, makeT } from "@/lib/i18n/core";
import { CONTROL_CHARS_MESSAGE, controlCharPaths, hasControlChars, normalizeNumeric } from "@/lib/validation/input";
import * as bank from "@/lib/validation/bank";
import * as billing from "@/lib/validation/billing";
import * as closure from "@/lib/validation/closure";
import * as contact from "@/lib/validation/contact";
import * as customer from "@/lib/validation/customer";
import * as importV from "@/lib/validation/import";
import * as meter from "@/lib/validation/meter";
import * as outbox from "@/lib/validation/outbox";
import * as partner from "@/lib/validation/partner";
import * as payment from "@/lib/validation/payment";
import * as reading from "@/lib/validation/reading";
import * as route from "@/lib/validation/route";
import * as setting from "@/lib/validation/setting";
import * as tariff from "@/lib/validation/tariff";
import * as user from "@/lib/validation/user";

/** "120.50" → "１２０．５０": every printable ASCII character to its full-width form. */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
/** 1234567 → "1,234,567" (sep: "," or the full-width "，") */
const group = (digits: string, sep: string) => digits.replace(/\B(?=(\d{3})+$)/g, sep);

describe("normalizeNumeric", () => {
  it.each([
    ["１００", "100"], ["１２０．５０", "120.50"], ["１２０。５", "120.5"], ["　１００　", "100"], [" 12.5 ", "12.5"],
    ["1，234.50", "1234.50"], ["１，２３４，５６７", "1234567"], ["1,234", "1234"], ["８：００", "8:00"], ["２０２６－１２－０６", "2026-12-06"],
    // a comma that does not group thousands stays, and the field refuses the value: never guessed
    ["1,5", "1,5"], ["12,34", "12,34"], ["1,2345", "1,2345"], ["1,234,56", "1,234,56"], ["，５", ",5"],
    ["ＴＨ０１", "TH01"], ["abc", "abc"], ["", ""],
  ])("%j → %j", (raw, want) => expect(normalizeNumeric(raw)).toBe(want));

  it("property: full-width and grouped amounts parse to the fen of the ASCII amount", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_PAYMENT_FEN }), fc.constantFrom(",", "，"), fc.boolean(), (fen, sep, wide) => {
      const ascii = formatYuan(fen);
      const [int, dec] = ascii.split(".");
      const typed = `${group(int, sep)}.${dec}`;
      const want = payment.yuanAmount.parse(ascii);
      expect(want).toBe(fen);
      expect(payment.yuanAmount.parse(fullWidth(ascii))).toBe(want);
      expect(payment.yuanAmount.parse(wide ? fullWidth(typed) : typed)).toBe(want);
    }));
  });

  it("property: normalising is idempotent and leaves ASCII digits as they are", () => {
    const unit = fc.constantFrom("０", "１", "９", "，", ",", ".", "．", "。", "　", " ", "0", "1", "9", "-", "－", "：", "a", "Ａ", "王");
    fc.assert(fc.property(fc.string({ unit, maxLength: 24 }), (s) => {
      expect(normalizeNumeric(normalizeNumeric(s))).toBe(normalizeNumeric(s));
    }));
    fc.assert(fc.property(fc.stringMatching(/^\d{1,12}(\.\d{1,4})?$/), (s) => {
      expect(normalizeNumeric(s)).toBe(s);
    }));
  });

  it("a full-width number in the search box is searched as that number; names stay as typed", () => {
    expect(searchTokens("１３８０５　王伟　ＴＨ０１")).toEqual(["13805", "王伟", "TH01"]);
  });
});

describe("amounts: above the limit is its own message", () => {
  const issue = (v: string) => {
    const r = payment.yuanAmount.safeParse(v);
    return r.success ? null : r.error.issues.map((i) => i.message);
  };
  it.each([
    ["79107000000", "payments.validation.amountTooLarge"], // 11 digits: said too large, not malformed
    ["99999999999999999999", "payments.validation.amountTooLarge"],
    ["1000000000.01", "payments.validation.amountTooLarge"],
    ["１００００００００００", "payments.validation.amountTooLarge"],
    ["abc", "payments.validation.amount"], ["1.234", "payments.validation.amount"], ["-5", "payments.validation.amount"], ["1,5", "payments.validation.amount"],
    ["0", "payments.validation.amountZero"], ["0.00", "payments.validation.amountZero"],
  ])("%s → %s", (v, key) => expect(issue(v)).toEqual([key]));

  it("10 亿元 itself is still an amount; every message is in both catalogs", () => {
    expect(payment.yuanAmount.parse("1000000000")).toBe(MAX_PAYMENT_FEN);
    expect(readAmount("0001.5")).toEqual({ ok: true, fen: 150 });
    for (const k of ["amount", "amountTooLarge", "amountZero", "amountRequired"]) {
      expect(hasMessage("zh", `payments.validation.${k}`), k).toBe(true);
      expect(hasMessage("en", `payments.validation.${k}`), k).toBe(true);
    }
    expect(makeT("zh")("payments.validation.amountTooLarge")).toMatch(/超过.*上限/);
    expect(makeT("zh")("payments.validation.amountTooLarge")).not.toBe(makeT("zh")("payments.validation.amount"));
  });

  it("the partner API and bank files say so too", () => {
    const p = partner.partnerPaymentSchema.safeParse({ transactionId: "t", customerNo: "1", amount: "99999999999.00" });
    expect(p.success ? [] : p.error.issues.map((i) => i.message)).toEqual(["payments.validation.amountTooLarge"]);
    const b = bank.bankResultRowSchema.safeParse({ line_ref: "l1", customer_no: "1", amount: "99999999999", status: "SUCCESS", reason: "" });
    expect(b.success ? [] : b.error.issues.map((i) => i.message)).toEqual(["amount 超过单笔上限 1000000000.00 元"]);
  });
});

// ─── every schema: the full-width spelling of its numeric fields parses like the ASCII one ───

type Case = { schema: z.ZodType; input: unknown; numeric: (string | number)[][] };
const t = makeT("zh");
const settingForm = setting.settingVersionSchema(t);
const tariffForm = { tierBasis: "monthly", tier0Upto: "230", tier0Price: "0.5380", tier1Upto: "", tier1Price: "0.5880", largeHouseholdExtraKwh: "100", touEnabled: "on", touPeak: "0.5680", touValley: "0.2880" };

// [module name, export name] → a valid input and the paths of its numeric fields ([] for the whole value)
const CASES: Record<string, Case> = {
  "bank.bankImportFormSchema": { schema: bank.bankImportFormSchema, input: { bank: "ICBC", debitDate: "2026-11-25" }, numeric: [["debitDate"]] },
  "bank.bankExportSchema": { schema: bank.bankExportSchema, input: { month: "2026-11" }, numeric: [["month"]] },
  "bank.bankResultRowSchema": { schema: bank.bankResultRowSchema, input: { line_ref: "L1", customer_no: "3310001", amount: "120.50", status: "SUCCESS", reason: "" }, numeric: [["amount"]] },
  "billing.startRunSchema": { schema: billing.startRunSchema, input: { period: "2026-11", routeIds: ["12", "13"] }, numeric: [["period"], ["routeIds", 0], ["routeIds", 1]] },
  "billing.runIdSchema": { schema: billing.runIdSchema, input: { runId: "42" }, numeric: [["runId"]] },
  "billing.clearExceptionSchema": { schema: billing.clearExceptionSchema, input: { resolution: "CORRECT_READING", exceptionId: "7", note: "复核读数", total: "12345.6", peak: "600" }, numeric: [["exceptionId"], ["total"], ["peak"]] },
  "billing.acceptManySchema": { schema: billing.acceptManySchema, input: { exceptionIds: ["1", "22"], note: "批量确认" }, numeric: [["exceptionIds", 0], ["exceptionIds", 1]] },
  "billing.reverseBillSchema": { schema: billing.reverseBillSchema, input: { billId: "9", note: "读数有误" }, numeric: [["billId"]] },
  "billing.reverseAndRebillSchema": { schema: billing.reverseAndRebillSchema, input: { billId: "9", note: "读数有误", total: "1600", peak: "700.5" }, numeric: [["billId"], ["total"], ["peak"]] },
  "billing.registerText": { schema: billing.registerText, input: "12345.67", numeric: [[]] },
  "billing.optionalRegisterText": { schema: billing.optionalRegisterText, input: "99", numeric: [[]] },
  "closure.siteCheckSchema": { schema: closure.siteCheckSchema, input: { visitId: "3", result: "VACANT", note: "无人居住", finalReading: "4321" }, numeric: [["visitId"], ["finalReading"]] },
  "closure.refundPayoutSchema": { schema: closure.refundPayoutSchema, input: { refundId: "5", channel: "CASH" }, numeric: [["refundId"]] },
  "contact.contactFormSchema": { schema: contact.contactFormSchema, input: { customerId: "11", id: "4", name: "李四", role: "SELF", channel: "SMS", value: "13812345678", consent: "on", active: "on" }, numeric: [["customerId"], ["id"], ["value"]] },
  "contact.revealSchema": { schema: contact.revealSchema, input: { customerId: "11", contactId: "4" }, numeric: [["customerId"], ["contactId"]] },
  "customer.customerIdSchema": { schema: customer.customerIdSchema, input: "123", numeric: [[]] },
  "meter.meterReplaceSchema": {
    schema: meter.meterReplaceSchema,
    input: { customerNo: "3310001", oldMeterNo: "M-1", replacedOn: "2026-11-20", finalReading: "5432.1", newMeterNo: "M-2000", startReading: "0", multiplier: "1", digits: "6", reason: "表计故障" },
    numeric: [["customerNo"], ["replacedOn"], ["finalReading"], ["startReading"], ["multiplier"], ["digits"]],
  },
  "outbox.printQuerySchema": { schema: outbox.printQuerySchema, input: { id: ["1", "2"] }, numeric: [["id", 0], ["id", 1]] },
  "outbox.paperDeliverySchema": { schema: outbox.paperDeliverySchema, input: { id: "8", outcome: "DELIVERED", note: "" }, numeric: [["id"]] },
  "partner.amountDueQuerySchema": { schema: partner.amountDueQuerySchema, input: { customerNo: "3310001" }, numeric: [["customerNo"]] },
  "partner.partnerPaymentSchema": { schema: partner.partnerPaymentSchema, input: { transactionId: "wx-1", paymentNo: "88001", amount: "120.50", paidOn: "2026-12-05" }, numeric: [["paymentNo"], ["amount"], ["paidOn"]] },
  "partner.reconciliationSchema": { schema: partner.reconciliationSchema, input: { date: "2026-12-05", transactions: [{ transactionId: "a", amount: "9.90" }] }, numeric: [["date"], ["transactions", 0, "amount"]] },
  "payment.yuanAmount": { schema: payment.yuanAmount, input: "120.5", numeric: [[]] },
  "payment.paymentFormSchema": { schema: payment.paymentFormSchema, input: { target: "customer:5", amount: "791.07", channel: "COUNTER_CASH", idempotencyKey: "k".repeat(20) }, numeric: [["amount"]] },
  "payment.reversalRequestSchema": { schema: payment.reversalRequestSchema, input: { paymentId: "31", reason: "收错户号" }, numeric: [["paymentId"]] },
  "payment.waiverRequestSchema": { schema: payment.waiverRequestSchema, input: { billId: "31", reason: "系统原因" }, numeric: [["billId"]] },
  "payment.approvalDecisionSchema": { schema: payment.approvalDecisionSchema, input: { id: "31", decision: "approve" }, numeric: [["id"]] },
  "payment.monthCloseSchema": { schema: payment.monthCloseSchema, input: { month: "2026-11" }, numeric: [["month"]] },
  "reading.registerString": { schema: reading.registerString, input: "00123.45", numeric: [[]] },
  "reading.readingItemSchema": {
    schema: reading.readingItemSchema,
    input: { clientKey: "abcdefgh12", installationId: 5, period: "2026-11", value: "1234.5", peak: "600", valley: "400.25", readAt: "2026-11-18T09:30:00+08:00" },
    numeric: [["period"], ["value"], ["peak"], ["valley"]],
  },
  "reading.rereadSchema": { schema: reading.rereadSchema, input: { visitId: "2", value: "1500", peak: "700", again: "1500", note: "" }, numeric: [["visitId"], ["value"], ["peak"], ["again"]] },
  "reading.missedDecisionSchema": { schema: reading.missedDecisionSchema, input: { readingId: "17", choice: "ESTIMATE" }, numeric: [["readingId"]] },
  "reading.checksQuerySchema": { schema: reading.checksQuerySchema, input: { period: "2026-10" }, numeric: [["period"]] },
  "route.dayChangeRequestSchema": { schema: route.dayChangeRequestSchema, input: { routeId: "4", newDay: "12", fromPeriod: "2027-01", reason: "路线调整" }, numeric: [["routeId"], ["newDay"], ["fromPeriod"]] },
  "route.dayChangeDecisionSchema": { schema: route.dayChangeDecisionSchema, input: { changeId: "6", decision: "approve", note: "" }, numeric: [["changeId"]] },
  "route.confirmationsSchema": { schema: route.confirmationsSchema, input: { changeId: "6", channel: "SMS", customerIds: ["1", "2"] }, numeric: [["changeId"], ["customerIds", 0], ["customerIds", 1]] },
  "setting.settingVersionSchema": {
    schema: settingForm,
    input: { group: "prepaid", effectiveFrom: "2027-01-01", warning1: "1,000", warning2: "10.5", stopAfterHours: "24" },
    numeric: [["effectiveFrom"], ["warning1"], ["warning2"], ["stopAfterHours"]],
  },
  "tariff.addTariffVersionSchema": { schema: tariff.addTariffVersionSchema, input: { tariffId: "3", effectiveFrom: "2027-01-01", ...tariffForm }, numeric: [["tariffId"], ["effectiveFrom"], ["tier0Upto"], ["tier0Price"], ["tier1Price"], ["largeHouseholdExtraKwh"], ["touPeak"], ["touValley"]] },
  "tariff.updateTariffVersionSchema": { schema: tariff.updateTariffVersionSchema, input: { versionId: "3", effectiveFrom: "2027-01-01", ...tariffForm }, numeric: [["versionId"], ["effectiveFrom"], ["tier0Upto"], ["tier0Price"]] },
  "tariff.createTariffSchema": { schema: tariff.createTariffSchema, input: { code: "R-1", name: "居民", category: "RESIDENTIAL", effectiveFrom: "2027-01-01", ...tariffForm }, numeric: [["effectiveFrom"], ["tier0Upto"], ["tier0Price"], ["touPeak"]] },
  "user.createUserSchema": { schema: user.createUserSchema, input: { username: "clerk9", name: "王", role: "CLERK", stationId: "1", password: "Abcdef12345!" }, numeric: [["stationId"]] },
  "user.resetPasswordSchema": { schema: user.resetPasswordSchema, input: { userId: "2", password: "Abcdef12345!" }, numeric: [["userId"]] },
  "user.changeRoleSchema": { schema: user.changeRoleSchema, input: { userId: "2", role: "READER" }, numeric: [["userId"]] },
  "user.setActiveSchema": { schema: user.setActiveSchema, input: { userId: "2", active: "true" }, numeric: [["userId"]] },
  "user.resetTwoFactorSchema": { schema: user.resetTwoFactorSchema, input: { userId: "2" }, numeric: [["userId"]] },
  "user.totpCodeSchema": { schema: user.totpCodeSchema, input: { code: "123456" }, numeric: [["code"]] },
};

// schemas with no numeric field (codes, names, enums, passwords, free text)
const NO_NUMBERS = new Set([
  "bank.bankCodeSchema", "customer.searchSchema", "import.importFileNameSchema", "outbox.outboxFilterSchema", "partner.partnerCreateSchema",
  "payment.channelSchema", "payment.reasonSchema", "reading.syncBatchSchema", "reading.scopeSchema", "reading.checkFilterSchema",
  "user.usernameSchema", "user.passwordSchema", "user.roleSchema", "user.changeOwnPasswordSchema",
]);

const MODULES = { bank, billing, closure, contact, customer, import: importV, meter, outbox, partner, payment, reading, route, setting, tariff, user };

function setAt(v: unknown, path: (string | number)[], f: (s: string) => string): unknown {
  if (path.length === 0) return f(v as string);
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), f);
  return copy;
}

describe("every numeric field in lib/validation", () => {
  it("every exported schema is listed here, with its numeric fields or as having none", () => {
    const exported = Object.entries(MODULES).flatMap(([m, mod]) =>
      Object.entries(mod).filter(([, v]) => v instanceof z.ZodType).map(([name]) => `${m}.${name}`));
    const unlisted = exported.filter((k) => !(k in CASES) && !NO_NUMBERS.has(k));
    expect(unlisted).toEqual([]);
  });

  it.each(Object.entries(CASES))("%s: full-width numbers parse like ASCII ones", (_, c) => {
    const ascii = c.schema.safeParse(c.input);
    expect(ascii.success ? "ok" : ascii.error.issues).toBe("ok");
    let wide = c.input;
    for (const p of c.numeric) wide = setAt(wide, p, (s) => `　${fullWidth(s)} `);
    const r = c.schema.safeParse(wide);
    expect(r.success ? "ok" : r.error.issues).toBe("ok");
    expect(r.data).toEqual(ascii.data);
  });
});

describe("control characters", () => {
  it("finds them in strings, nested values and keys; tab, newline and carriage return are text", () => {
    expect(hasControlChars("张三\u0000")).toBe(true);
    expect(hasControlChars("a\u007fb")).toBe(true);
    expect(hasControlChars("第一行\r\n第二行\t备注")).toBe(false);
    expect(controlCharPaths({ name: "李\u0000四", notes: ["ok", "x\u0001"], nested: { deep: "\u001b[31m" }, fine: 5 }))
      .toEqual([["name"], ["notes", 1], ["nested", "deep"]]);
    expect(controlCharPaths({ ["k\u0000"]: "v" })).toEqual([["k\u0000"]]);
    expect(controlCharPaths("\u0000")).toEqual([[]]);
    expect(controlCharPaths({ a: "清白", b: ["1", 2, null] })).toEqual([]);
  });

  it("the search box and a contact's name refuse them with the catalog message", () => {
    const s = customer.searchSchema.safeParse({ q: "王\u0000伟" });
    expect(s.success ? [] : s.error.issues.map((i) => i.message)).toEqual([CONTROL_CHARS_MESSAGE]);
    const c = contact.contactFormSchema.safeParse({ customerId: "1", name: "李\u0000四", role: "SELF", channel: "SMS", value: "13812345678" });
    expect(c.success ? [] : c.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["name", CONTROL_CHARS_MESSAGE]]);
    expect(hasMessage("zh", CONTROL_CHARS_MESSAGE) && hasMessage("en", CONTROL_CHARS_MESSAGE)).toBe(true);
    expect(makeT("zh")(CONTROL_CHARS_MESSAGE)).toMatch(/控制字符/);
  });
});

describe("catalogs", () => {
  it("zh and en have the same keys in every area", () => {
    type Tree = { [k: string]: string | Tree };
    const keys = (tree: Tree, prefix = ""): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
    expect(keys(catalogs.en as unknown as Tree).sort()).toEqual(keys(catalogs.zh as unknown as Tree).sort());
  });
});
