// Bank debit: the month's export, the result file posted exactly once, refused whole when malformed.
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { exportDebitFile, importBankResult } from "@/lib/data/bank";
import { checkLedger } from "@/lib/data/ledger";
import { cashupDay, closeCashup } from "@/lib/data/cashup";
import { AppError } from "@/lib/errors";
import { balanceOf, counts, makeCustomer, makeStation, releaseBill } from "./payments-fixtures";

async function bankStation() {
  const s = await makeStation();
  const a = await makeCustomer(s, { no: `${s.code}A1`, paymentMethod: "BANK_DEBIT", phone: "13900000001" });
  const b = await makeCustomer(s, { no: `${s.code}B2`, paymentMethod: "BANK_DEBIT", phone: "13900000002" });
  const c = await makeCustomer(s, { no: `${s.code}C3`, paymentMethod: "COUNTER" });
  await releaseBill(s, a, { period: "2026-10", amount: "120.50", dueDate: "2026-11-30" });
  await releaseBill(s, b, { period: "2026-10", amount: "88.00", dueDate: "2026-11-30" });
  await releaseBill(s, c, { period: "2026-10", amount: "50.00", dueDate: "2026-11-30" });
  return { s, a, b, c };
}

describe("bank debit", () => {
  it("exports the month's debit file for bank-debit customers only", async () => {
    const { s } = await bankStation();
    const f = await exportDebitFile(s.stationId, "2026-10");
    const lines = f.csv.trim().split("\n");
    expect(lines[0]).toBe("line_ref,customer_no,name,bank_account,amount,period");
    expect(lines.slice(1)).toEqual([`2026-10-${s.code}A1,${s.code}A1,张三,,120.50,2026-10`, `2026-10-${s.code}B2,${s.code}B2,张三,,88.00,2026-10`]);
    expect(f.total).toBe(20850);
  });

  it("posts the successes once, however often the file is imported; insufficient funds → a top-up reminder", async () => {
    const { s, a, b } = await bankStation();
    const file = `line_ref,customer_no,amount,status,reason\n2026-10-${s.code}A1,${s.code}A1,120.50,SUCCESS,\n2026-10-${s.code}B2,${s.code}B2,88.00,FAILED,INSUFFICIENT_FUNDS\n`;
    const r1 = await importBankResult(s.clerk, { bank: "ICBC", fileName: "result.csv", content: file, debitDate: "2026-11-25" });
    expect(r1.ok).toBe(true);
    expect(r1.report).toMatchObject({ rows: 2, posted: 1, skipped: 0, failed: 1, insufficient: 1, fileTotal: "120.50", newTotal: "120.50", errors: [] });
    expect(await balanceOf(a)).toBe("0.00");
    expect(await balanceOf(b)).toBe("88.00");
    const outbox = (await pool.query(`select customer_id, template, recipient from outbox_message where station_id = $1`, [s.stationId])).rows;
    expect(outbox).toEqual([{ customer_id: b, template: "bank-topup", recipient: "13900000002" }]);
    const before = await counts(s.stationId);
    const r2 = await importBankResult(s.clerk, { bank: "ICBC", fileName: "result-again.csv", content: file, debitDate: "2026-11-25" });
    expect(r2.report).toMatchObject({ posted: 0, skipped: 1, newTotal: "0.00", postedTotal: "120.50" });
    const after = await counts(s.stationId);
    expect({ ...after }).toEqual({ ...before }); // nothing new: no payment, no entry, no second SMS
    const pays = (await pool.query(`select idempotency_key, channel::text, reference from payment where station_id = $1`, [s.stationId])).rows;
    expect(pays).toEqual([{ idempotency_key: `bank:ICBC:2026-10-${s.code}A1`, channel: "BANK_DEBIT", reference: `2026-10-${s.code}A1` }]);
    expect((await checkLedger(s.stationId)).ok).toBe(true);
    // the station's cash-up of the import day sets the file against what was posted
    const today = (await pool.query(`select (now() at time zone 'Asia/Shanghai')::date::text d`)).rows[0].d;
    const cu = await cashupDay(s.stationId, today, { clerkId: null });
    expect(cu.files.map((f) => [f.fileTotal, f.postedTotal, f.difference])).toEqual([[12050, 12050, 0], [12050, 12050, 0]]);
    expect(cu.byChannel).toEqual([{ channel: "BANK_DEBIT", count: 1, amount: 12050 }]);
    const closed = await closeCashup(s.manager, today, { clerkId: null });
    expect(closed.figures.total).toBe("120.50");
    await expect(closeCashup(s.manager, today, { clerkId: null })).rejects.toThrow(expect.objectContaining({ code: "CASHUP_ALREADY_CLOSED" }));
  });

  it("refuses a malformed file with row numbers and reasons, and posts nothing", async () => {
    const { s } = await bankStation();
    const before = await counts(s.stationId);
    const file = [
      "line_ref,customer_no,amount,status,reason",
      `L1,${s.code}A1,120.50,SUCCESS,`, // fine on its own
      `L2,${s.code}B2,88.0.0,SUCCESS,`, // bad amount
      "L3,NOSUCH,10.00,SUCCESS,", // unknown customer
      `L1,${s.code}C3,50.00,SUCCESS,`, // line_ref repeated
      `L5,${s.code}B2,88.00,FAILED,`, // failure without a reason
      `L6,${s.code}B2,88.00,MAYBE,`, // unknown status
    ].join("\n");
    const r = await importBankResult(s.clerk, { bank: "ICBC", fileName: "bad.csv", content: file });
    expect(r.ok).toBe(false);
    expect(r.report.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(r.report.errors[0].reason).toMatch(/amount/);
    expect(r.report.errors[1].reason).toMatch(/NOSUCH/);
    expect(r.report.errors[2].reason).toMatch(/重复/);
    expect(await counts(s.stationId)).toEqual(before);
    const batch = (await pool.query(`select accepted, rejected from import_batch where station_id = $1`, [s.stationId])).rows;
    expect(batch).toEqual([{ accepted: 0, rejected: 5 }]);
  });

  it("refuses a broken CSV, a wrong header and an empty file", async () => {
    const { s } = await bankStation();
    const before = await counts(s.stationId);
    const broken = await importBankResult(s.clerk, { bank: "ICBC", fileName: "x.csv", content: `line_ref,customer_no,amount,status,reason\n"L1,${s.code}A1,1.00,SUCCESS,\n` });
    expect(broken.ok).toBe(false);
    expect(broken.report.errors[0].reason).toMatch(/CSV/);
    const header = await importBankResult(s.clerk, { bank: "ICBC", fileName: "x.csv", content: `ref,no,amt\nL1,${s.code}A1,1.00\n` });
    expect(header.report.errors[0]).toMatchObject({ line: 1 });
    const empty = await importBankResult(s.clerk, { bank: "ICBC", fileName: "x.csv", content: "line_ref,customer_no,amount,status,reason\n" }).catch((e) => e);
    expect(empty).toBeInstanceOf(AppError);
    expect(await counts(s.stationId)).toEqual(before);
  });
});
