// The partner API through its route handlers: key checks, amount due, exactly-once payments,
// reconciliation, and that a wrong key or another station's customer changes nothing.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { pool } from "@/lib/db";
import { createPartner } from "@/lib/data/partners";
import { checkLedger } from "@/lib/data/ledger";
import { GET as amountDue } from "@/app/api/partner/v1/amount-due/route";
import { POST as pay } from "@/app/api/partner/v1/payments/route";
import { POST as reconcile } from "@/app/api/partner/v1/reconciliations/route";
import { GET as openapi } from "@/app/api/partner/v1/openapi.json/route";
import { balanceOf, counts, makeCustomer, makePaymentAccount, makeStation, releaseBill } from "./payments-fixtures";

const url = (p: string) => `http://localhost/api/partner/v1${p}`;
const get = (p: string, key?: string) => new NextRequest(url(p), { headers: key ? { "x-api-key": key } : {} });
const post = (p: string, body: unknown, key?: string) =>
  new NextRequest(url(p), { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) } });

async function setup() {
  const s = await makeStation();
  const c = await makeCustomer(s, { no: `${s.code}P1`, name: "张三丰" });
  await releaseBill(s, c, { period: "2026-10", amount: "80.00", dueDate: "2099-11-25" });
  const pa = await makePaymentAccount(s, `${s.code}PAY`);
  const c2 = await makeCustomer(s, { no: `${s.code}P2`, paymentAccountId: pa });
  const c3 = await makeCustomer(s, { no: `${s.code}P3`, paymentAccountId: pa });
  await releaseBill(s, c2, { period: "2026-10", amount: "10.00", dueDate: "2099-11-25" });
  await releaseBill(s, c3, { period: "2026-10", amount: "20.00", dueDate: "2099-11-25" });
  const { key } = await createPartner(s.stationId, { code: `WX${s.code}`.slice(0, 20), name: "微信服务商", channel: "WECHAT" }, null);
  return { s, c, c2, c3, key };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("partner API", () => {
  it("stores only a hash of the key, shown once", async () => {
    const { s, key } = await setup();
    const row = (await pool.query(`select key_hash, key_prefix from partner where station_id = $1`, [s.stationId])).rows[0];
    expect(key).toMatch(/^[A-Z0-9_]+\.[A-Za-z0-9_-]{43}$/);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key_hash).not.toContain(key.split(".")[1]);
    expect(key.startsWith(row.key_prefix)).toBe(true);
  });

  it("a missing or wrong key: 401 with a JSON error, and nothing changes", async () => {
    const { s, key } = await setup();
    const before = await counts(s.stationId);
    for (const k of [undefined, "nonsense", `${key}x`, `${key.split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`]) {
      const r = await pay(post("/payments", { transactionId: "t1", customerNo: `${s.code}P1`, amount: "80.00" }, k));
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: "UNAUTHORIZED", message: expect.stringMatching(/密钥/) });
      expect((await amountDue(get(`/amount-due?customerNo=${s.code}P1`, k))).status).toBe(401);
      expect((await reconcile(post("/reconciliations", { date: "2026-11-22", transactions: [] }, k))).status).toBe(401);
    }
    expect(await counts(s.stationId)).toEqual(before);
  });

  it("answers the amount due by customer number and by payment number", async () => {
    const { s, key } = await setup();
    const r = await amountDue(get(`/amount-due?customerNo=${s.code}P1`, key));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ total: "80.00", payable: "80.00", customers: [{ customerNo: `${s.code}P1`, name: "张*丰" }], bills: [{ period: "2026-10", unpaid: "80.00", lateFee: "0.00" }] });
    const a = await (await amountDue(get(`/amount-due?paymentNo=${s.code}PAY`, key))).json();
    expect(a).toMatchObject({ total: "30.00", customers: [{}, {}] });
    expect((await amountDue(get(`/amount-due?customerNo=NOPE`, key))).status).toBe(404);
    expect((await amountDue(get(`/amount-due?customerNo=${s.code}P1&paymentNo=x`, key))).status).toBe(400);
    expect((await amountDue(get(`/amount-due?customer=${s.code}P1`, key))).status).toBe(400);
  });

  it("posts a payment once per transaction id; a retry returns the first; a reused id is refused", async () => {
    const { s, c, key } = await setup();
    const body = { transactionId: "wx-20261122-0001", customerNo: `${s.code}P1`, amount: "80.00" };
    const r1 = await pay(post("/payments", body, key));
    expect(r1.status).toBe(201);
    const j1 = await r1.json();
    const r2 = await pay(post("/payments", body, key));
    expect(r2.status).toBe(200);
    expect(await r2.json()).toMatchObject({ paymentId: j1.paymentId, receiptNo: j1.receiptNo, duplicate: true });
    expect((await pay(post("/payments", { ...body, amount: "81.00" }, key))).status).toBe(409);
    const p = (await pool.query(`select channel::text, partner_id is not null partner, idempotency_key, reference from payment where station_id = $1`, [s.stationId])).rows;
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ channel: "WECHAT", partner: true, reference: "wx-20261122-0001" });
    expect(await balanceOf(c)).toBe("0.00");
    // by payment number: all its customers
    const r3 = await pay(post("/payments", { transactionId: "wx-2", paymentNo: `${s.code}PAY`, amount: "30.00" }, key));
    expect(r3.status).toBe(201);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
  });

  it("refuses bad input with the fields named, and another station's customer as unknown", async () => {
    const { s, key } = await setup();
    const other = await makeStation();
    await makeCustomer(other, { no: `${other.code}X1` });
    const before = await counts(s.stationId);
    const bad = await pay(post("/payments", { transactionId: "", customerNo: `${s.code}P1`, amount: "-1", extra: true }, key));
    expect(bad.status).toBe(400);
    const j = await bad.json();
    expect(j.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["transactionId", "amount", "(body)"]));
    expect((await pay(post("/payments", "not json", key))).status).toBe(400);
    expect((await pay(post("/payments", { transactionId: "z", customerNo: `${s.code}P1`, amount: "0.00" }, key))).status).toBe(422);
    expect((await pay(post("/payments", { transactionId: "y", customerNo: `${other.code}X1`, amount: "1.00" }, key))).status).toBe(404);
    expect(await counts(s.stationId)).toEqual(before);
    expect((await pool.query(`select count(*)::int n from payment where station_id = $1`, [other.stationId])).rows[0].n).toBe(0);
  });

  it("reconciles a day and reports the mismatches", async () => {
    // paidOn must lie in the partner's window (today and 3 days back): the day is "today"
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T04:00:00Z"));
    const { s, key } = await setup();
    const day = "2026-11-22";
    await pay(post("/payments", { transactionId: "a", customerNo: `${s.code}P1`, amount: "50.00", paidOn: day }, key));
    await pay(post("/payments", { transactionId: "b", customerNo: `${s.code}P1`, amount: "30.00", paidOn: day }, key));
    const r = await reconcile(post("/reconciliations", { date: day, transactions: [{ transactionId: "a", amount: "50.00" }, { transactionId: "b", amount: "31.00" }, { transactionId: "c", amount: "9.00" }] }, key));
    expect(r.status).toBe(200);
    const j = await r.json();
    expect(j).toMatchObject({ matched: 1, fileTotal: "90.00", postedTotal: "80.00" });
    expect(j.mismatches).toEqual(expect.arrayContaining([
      { transactionId: "b", kind: "AMOUNT_DIFFERS", fileAmount: "31.00", postedAmount: "30.00" },
      { transactionId: "c", kind: "MISSING_IN_STATION", fileAmount: "9.00", postedAmount: null },
    ]));
    const batch = (await pool.query(`select kind, rejected from import_batch where station_id = $1`, [s.stationId])).rows;
    expect(batch).toEqual([{ kind: "PARTNER_RECON", rejected: 2 }]);
    // the same as a CSV file
    const csv = new NextRequest(url(`/reconciliations?date=${day}`), {
      method: "POST", body: "transaction_id,amount\na,50.00\nb,30.00\n", headers: { "content-type": "text/csv", "x-api-key": key },
    });
    const rc = await (await reconcile(csv)).json();
    expect(rc).toMatchObject({ matched: 2, mismatches: [] });
  });

  it("publishes an OpenAPI document of the three operations", async () => {
    const doc = await (await openapi()).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(["/amount-due", "/payments", "/reconciliations"]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "apiKey", in: "header", name: "X-Api-Key" });
  });
});
