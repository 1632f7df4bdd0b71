// GET /api/partner/v1/openapi.json: the partner API described in OpenAPI 3.1 (public: it holds no data).
import { NextResponse } from "next/server";

const money = { type: "string", pattern: "^\\d+\\.\\d{2}$", example: "120.50", description: "元, a decimal string with two places" };
const error = {
  type: "object", required: ["error", "message"],
  properties: {
    error: {
      type: "string", example: "UNAUTHORIZED",
      description: "INVALID_INPUT (400), UNAUTHORIZED (401), CUSTOMER_NOT_FOUND / PAYMENT_ACCOUNT_NOT_FOUND (404), IDEMPOTENCY_KEY_REUSED (409), " +
        "BODY_TOO_LARGE (413), PAYMENT_AMOUNT_INVALID / ACCOUNT_CLOSED_OVERPAY / PAID_ON_OUTSIDE_WINDOW (422), GENERIC (500)",
    },
    message: { type: "string", example: "API 密钥无效或缺失（请在 X-Api-Key 请求头中提供合作机构密钥）。" },
    details: { type: "object", additionalProperties: true, description: "the message's figures as data, e.g. { paidOn, from, to } for PAID_ON_OUTSIDE_WINDOW" },
    fields: {
      type: "array", description: "with INVALID_INPUT: each field's problem",
      items: { type: "object", properties: {
        field: { type: "string" }, message: { type: "string" },
        code: { type: "string", enum: ["AMOUNT_TOO_LARGE", "CONTROL_CHARACTERS"], description: "present for problems a program may want to tell apart: an amount above one payment's ceiling (1000000000.00), or a control character (e.g. NUL) in a string" },
      } },
    },
  },
};
const errors = {
  "400": { description: "Invalid input (fields named, Chinese messages)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "401": { description: "Missing or wrong API key: nothing is changed", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "404": { description: "Unknown customer or payment number (of this partner's station)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};

const spec = {
  openapi: "3.1.0",
  info: {
    title: "供电所代收合作机构接口 (collection partner API)",
    version: "1.0.0",
    description:
      "For banks and WeChat/Alipay service providers collecting electricity payments for one supply station. " +
      "Each partner has its own API key (shown once when the partner is created, stored only as a SHA-256 hash), " +
      "sent in the X-Api-Key header. A partner can query what is owed, post payments and reconcile a day: nothing else. " +
      "Money is a decimal string with two places (元); dates are YYYY-MM-DD in the station's time zone (Asia/Shanghai). " +
      "Numbers may come in full-width form (１２０．５０) and are read as their ASCII spelling; a control character (such as NUL) in any string is refused (400).",
  },
  servers: [{ url: "/api/partner/v1" }],
  security: [{ apiKey: [] }],
  paths: {
    "/amount-due": {
      get: {
        summary: "What settles an account today (bills, late-payment charges, prepaid funds)",
        parameters: [
          { name: "customerNo", in: "query", schema: { type: "string" }, description: "户号; exactly one of customerNo / paymentNo" },
          { name: "paymentNo", in: "query", schema: { type: "string" }, description: "缴费号: all its customers at once" },
        ],
        responses: { "200": { description: "Amount due", content: { "application/json": { schema: { $ref: "#/components/schemas/AmountDue" } } } }, ...errors },
      },
    },
    "/payments": {
      post: {
        summary: "Post a payment collected by the partner (exactly once per transactionId)",
        description: "transactionId is the idempotency key: re-sending the same transaction returns the first payment (200, duplicate true) and posts nothing. Reusing a transactionId for another amount or account is refused (409). The payment settles the oldest bills first, each bill's late-payment charge with it; anything more becomes prepaid funds.",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/PaymentRequest" } } } },
        responses: {
          "201": { description: "Posted", content: { "application/json": { schema: { $ref: "#/components/schemas/PaymentResult" } } } },
          "200": { description: "Already posted under this transactionId: the first payment", content: { "application/json": { schema: { $ref: "#/components/schemas/PaymentResult" } } } },
          "409": { description: "transactionId already used for a different payment", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          "422": { description: "Amount not acceptable (zero, more than a closed account owes): PAYMENT_AMOUNT_INVALID, ACCOUNT_CLOSED_OVERPAY; or paidOn outside the agreement's window: PAID_ON_OUTSIDE_WINDOW, with details { paidOn, from, to }. Nothing is posted.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          ...errors,
        },
      },
    },
    "/reconciliations": {
      post: {
        summary: "Daily reconciliation: the partner's transactions of a day against what it posted",
        description: "Reports transactions missing on either side and amounts that differ. Nothing is posted: re-send a missing payment through /payments.",
        parameters: [{ name: "date", in: "query", schema: { type: "string", format: "date" }, description: "with a text/csv body only" }],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/ReconciliationRequest" } },
            "text/csv": { schema: { type: "string", example: "transaction_id,amount\nwx-0001,120.50\n" }, description: "the daily file itself; the day in ?date=" },
          },
        },
        responses: { "200": { description: "Report", content: { "application/json": { schema: { $ref: "#/components/schemas/ReconciliationReport" } } } }, ...errors },
      },
    },
  },
  components: {
    securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-Api-Key", description: "<partner code>.<secret>, e.g. WX01.Nk3…" } },
    schemas: {
      Error: error,
      AmountDue: {
        type: "object",
        properties: {
          asOf: { type: "string", format: "date" }, customerNo: { type: ["string", "null"] }, paymentNo: { type: ["string", "null"] },
          customers: { type: "array", items: { type: "object", properties: { customerNo: { type: "string" }, name: { type: "string", description: "masked, e.g. 张*丰" }, status: { type: "string" } } } },
          bills: { type: "array", items: { type: "object", properties: { customerNo: { type: "string" }, period: { type: "string", example: "2026-10" }, amount: money, unpaid: money, dueDate: { type: "string", format: "date" }, lateFee: money } } },
          principal: money, lateFees: { ...money, description: "违约金 as of today (1996 §98; a total under 1.00 is charged as 1.00)" }, total: money, prepaidFunds: money,
          payable: { ...money, description: "total − prepaidFunds, never below 0: what to collect" },
        },
      },
      PaymentRequest: {
        type: "object", additionalProperties: false, required: ["transactionId", "amount"],
        properties: {
          transactionId: { type: "string", maxLength: 64, pattern: "^[A-Za-z0-9_.:-]+$" },
          customerNo: { type: "string" }, paymentNo: { type: "string", description: "exactly one of customerNo / paymentNo" },
          amount: money,
          paidOn: {
            type: "string", format: "date",
            description: "the day the customer paid the partner (value date); default today. Accepted only from today back to the number of days the " +
              "collection agreement allows (station setting, default 3: today and the 3 days before), in the station's time zone; anything earlier or " +
              "later is refused with 422 PAID_ON_OUTSIDE_WINDOW. Late-payment charges run to this day (供电营业规则 §98: to the day of payment). " +
              "A retry of an already posted transactionId is answered with the first payment even after its paidOn has left the window.",
          },
        },
      },
      PaymentResult: {
        type: "object",
        properties: {
          transactionId: { type: "string" }, paymentId: { type: "integer" }, receiptNo: { type: "string" }, amount: money,
          valueDate: { type: "string", format: "date" }, duplicate: { type: "boolean" }, toPrepaid: money,
        },
      },
      ReconciliationRequest: {
        type: "object", additionalProperties: false, required: ["date", "transactions"],
        properties: {
          date: { type: "string", format: "date" },
          transactions: { type: "array", maxItems: 100000, items: { type: "object", additionalProperties: false, required: ["transactionId", "amount"], properties: { transactionId: { type: "string" }, amount: money } } },
        },
      },
      ReconciliationReport: {
        type: "object",
        properties: {
          date: { type: "string", format: "date" }, fileCount: { type: "integer" }, postedCount: { type: "integer" }, matched: { type: "integer" },
          fileTotal: money, postedTotal: money,
          mismatches: { type: "array", items: { type: "object", properties: {
            transactionId: { type: "string" }, kind: { type: "string", enum: ["MISSING_IN_STATION", "MISSING_IN_FILE", "AMOUNT_DIFFERS"] },
            fileAmount: { type: ["string", "null"] }, postedAmount: { type: ["string", "null"] } } } },
          valueDateDiffers: {
            type: "array", description: "the day's posted payments that reached the station on a later day (paidOn back-dated within the window)",
            items: { type: "object", properties: {
              transactionId: { type: "string" }, amount: money, valueDate: { type: "string", format: "date" },
              postedOn: { type: "string", format: "date", description: "the station's local day it was posted" }, receiptNo: { type: ["string", "null"] } } },
          },
        },
      },
    },
  },
} as const;

export function GET() {
  return NextResponse.json(spec, { headers: { "cache-control": "public, max-age=300" } });
}
