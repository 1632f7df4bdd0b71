// Input as people and partners really send it, through the real route handlers and server actions:
// a NUL byte in a search, a contact's name or a partner's field is a 400 / a field error with a
// Chinese message and changes nothing (it was an HTTP 500: PostgreSQL refuses NUL in text);
// full-width numbers are read as numbers; a huge amount is said to be above the limit.
import { describe, expect, it, vi } from "vitest";

const session = vi.hoisted(() => ({ user: null as null | { id: number; sv: number } }));
vi.mock("next-auth", async () => {
  const { stubSession } = await import("../support/session-stub");
  return { getServerSession: () => stubSession(session.user) };
});
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

import { NextRequest } from "next/server";
import { pool } from "@/lib/db";
import type { Actor } from "@/lib/auth/guard";
import { runAction } from "@/lib/actions";
import { createPartner } from "@/lib/data/partners";
import { GET as search } from "@/app/api/counter/search/route";
import { POST as pay } from "@/app/api/partner/v1/payments/route";
import { GET as amountDue } from "@/app/api/partner/v1/amount-due/route";
import { saveContactAction } from "@/app/counter/actions";
import { paymentFormSchema } from "@/lib/validation/payment";
import { counts, makeCustomer, makeStation, releaseBill } from "./payments-fixtures";

const signIn = (a: Actor | null) => { session.user = a ? { id: a.id, sv: 0 } : null; };
const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
};
const partnerPost = (body: unknown, key: string) =>
  new NextRequest("http://localhost/api/partner/v1/payments", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", "x-api-key": key } });
const contacts = async (customerId: number) =>
  (await pool.query(`select name, value, note from contact where customer_id = $1 order by id`, [customerId])).rows;

describe("control characters are refused, not a 500", () => {
  it("the counter search answers 400 with a Chinese message for a NUL, and still finds by full-width numbers", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { no: `${s.code}5501`, name: "赵六" });
    signIn(s.clerk);
    const bad = await search(new NextRequest(`http://localhost/api/counter/search?q=${encodeURIComponent("赵\u0000六")}`));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "INVALID_INPUT", message: expect.stringMatching(/控制字符/) });
    const wide = `${s.code}5501`.replace(/[!-~]/g, (x) => String.fromCharCode(x.charCodeAt(0) + 0xfee0));
    const ok = await search(new NextRequest(`http://localhost/api/counter/search?q=${encodeURIComponent(wide)}`));
    expect(ok.status).toBe(200);
    expect((await ok.json()).hits.map((h: { id: number }) => h.id)).toEqual([c]);
    signIn(null);
  });

  it("a contact's name or note with a NUL is a field error and saves nothing; a full-width phone number is saved as digits", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    signIn(s.clerk);
    const base = { customerId: String(c), name: "李四", role: "SELF", channel: "SMS", value: "13812345678", consent: "on", active: "on", note: "" };
    const r1 = await saveContactAction(null, form({ ...base, name: "李\u0000四" }));
    expect(r1).toMatchObject({ status: "invalid", fieldErrors: { name: [expect.stringMatching(/控制字符/)] } });
    const r2 = await saveContactAction(null, form({ ...base, note: "备注\u0000" }));
    expect(r2).toMatchObject({ status: "invalid", fieldErrors: { note: [expect.stringMatching(/控制字符/)] } });
    expect(await contacts(c)).toEqual([]);
    const ok = await saveContactAction(null, form({ ...base, value: "　１３８１２３４５６７８" }));
    expect(ok).toMatchObject({ status: "ok" });
    expect(await contacts(c)).toEqual([{ name: "李四", value: "13812345678", note: "" }]);
    signIn(null);
  });

  it("a partner's field with a NUL is a 400 naming the field (CONTROL_CHARACTERS), and nothing is posted", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { no: `${s.code}N1` });
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2099-11-25" });
    const { key } = await createPartner(s.stationId, { code: `WX${s.code}`.slice(0, 20), name: "微信服务商", channel: "WECHAT" }, null);
    const before = await counts(s.stationId);
    const r = await pay(partnerPost({ transactionId: "n1", customerNo: `${s.code}N1\u0000`, amount: "80.00" }, key));
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: "INVALID_INPUT", fields: [{ field: "customerNo", code: "CONTROL_CHARACTERS", message: expect.stringMatching(/控制字符/) }] });
    const q = await amountDue(new NextRequest(`http://localhost/api/partner/v1/amount-due?customerNo=${encodeURIComponent(`${s.code}N1\u0000`)}`, { headers: { "x-api-key": key } }));
    expect(q.status).toBe(400);
    expect(await counts(s.stationId)).toEqual(before);
  });
});

describe("amounts", () => {
  it("a partner's huge amount is AMOUNT_TOO_LARGE; full-width digits are an amount", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s, { no: `${s.code}A1` });
    await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2099-11-25" });
    const { key } = await createPartner(s.stationId, { code: `WX${s.code}`.slice(0, 20), name: "微信服务商", channel: "WECHAT" }, null);
    const huge = await pay(partnerPost({ transactionId: "h1", customerNo: `${s.code}A1`, amount: "79107000000.00" }, key));
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ fields: [{ field: "amount", code: "AMOUNT_TOO_LARGE", message: expect.stringMatching(/超过单笔上限/) }] });
    const wide = await pay(partnerPost({ transactionId: "w1", customerNo: `${s.code}A1`, amount: "８０．００" }, key));
    expect(wide.status).toBe(201);
    expect(await wide.json()).toMatchObject({ amount: "80.00", toPrepaid: "0.00" });
  });

  it("at the counter a huge amount is told it is above the limit, not that it is malformed, and nothing runs", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    signIn(s.clerk);
    const body = vi.fn();
    const input = { target: `customer:${c}`, amount: "79107000000", channel: "COUNTER_CASH", idempotencyKey: "k".repeat(20) };
    const r = await runAction("payments.record", paymentFormSchema, input, body);
    expect(r.status).toBe("invalid");
    const amount = (r as { fieldErrors: Record<string, string[]> }).fieldErrors.amount;
    expect(amount).toEqual(["金额超过单笔上限 1,000,000,000.00 元，请核对（是否多输了位数？）"]);
    expect(amount[0]).not.toMatch(/最多两位小数/);
    expect(body).not.toHaveBeenCalled();
    signIn(null);
  });
});
