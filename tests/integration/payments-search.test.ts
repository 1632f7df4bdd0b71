// The counter's search box against PostgreSQL (trigram, bigram and btree paths), the account
// screen's data, contacts (edit, masked, reveal logged), and cash-up per clerk.
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { getAccount, revealPersonal, saveContact, searchCustomers } from "@/lib/data/customers";
import { recordPayment } from "@/lib/data/payments";
import { cashupDay, closeCashup } from "@/lib/data/cashup";
import { makeCustomer, makePaymentAccount, makeStation, releaseBill } from "./payments-fixtures";

async function town() {
  const s = await makeStation();
  const pa = await makePaymentAccount(s, `P${s.code}77`);
  const ids = {
    wang: await makeCustomer(s, { no: `${s.code}0001`, name: "王伟强", phone: "13805710001", address: "幸福路12号3幢2单元301室" }),
    wang2: await makeCustomer(s, { no: `${s.code}0002`, name: "王伟", phone: "13905710002", address: "光明路8号" }),
    li: await makeCustomer(s, { no: `${s.code}0003`, name: "李秀英", phone: "13705719999", address: "幸福路14号", paymentAccountId: pa }),
    zhang: await makeCustomer(s, { no: `${s.code}0004`, name: "张建国", phone: null, address: "丁桥村3组15号", paymentAccountId: pa }),
  };
  const meter = (await pool.query(`insert into meter (station_id, meter_no) values ($1, $2) returning id`, [s.stationId, `M${s.code}556677`])).rows[0].id;
  await pool.query(`insert into meter_installation (customer_id, meter_id, installed_on, start_reading) values ($1, $2, '2020-01-01', 0)`, [ids.zhang, meter]);
  return { s, ids, pa };
}

const hitIds = async (stationId: number, q: string) => (await searchCustomers(stationId, q)).hits.map((h) => h.id).sort();

describe("counter search", () => {
  it("finds by every kind of fragment, partial and mixed, within the station only", async () => {
    const { s, ids } = await town();
    const cases: [string, number[]][] = [
      [`${s.code}0003`, [ids.li]], // customer no., exact
      [`${s.code}000`, [ids.wang, ids.wang2, ids.li, ids.zhang].sort()], // customer no. prefix
      [`P${s.code}77`, [ids.li, ids.zhang].sort()], // payment no.: all its customers
      [`M${s.code}5566`, [ids.zhang]], // meter no. prefix
      ["13805710001", [ids.wang]], // phone, full
      ["9999", [ids.li]], // phone, last digits
      ["王伟强", [ids.wang]], // name, 3 characters (trigram)
      ["伟强", [ids.wang]], // 2-character fragment (bigram index)
      ["王伟", [ids.wang, ids.wang2].sort()],
      ["幸福", [ids.wang, ids.li].sort()], // address, 2 characters
      ["幸福路12号", [ids.wang]], // address fragment
      ["3幢2单元", [ids.wang]],
      ["丁桥 张", [ids.zhang]], // mixed: village + surname (1 character as a filter)
      ["王 幸福", [ids.wang]], // mixed
      ["幸福路 13705", [ids.li]], // address + phone prefix
      ["不存在的路", []],
    ];
    for (const [q, want] of cases) expect(await hitIds(s.stationId, q), q).toEqual(want);
    const other = await makeStation();
    expect(await hitIds(other.stationId, "王伟强")).toEqual([]);
  });

  it("ranks exact number matches first, masks phones, and treats LIKE wildcards literally", async () => {
    const { s, ids } = await town();
    const r = await searchCustomers(s.stationId, `${s.code}0001`);
    expect(r.hits[0]).toMatchObject({ id: ids.wang, exact: true, phoneMasked: "138****0001" });
    expect(await hitIds(s.stationId, "%%%")).toEqual([]);
    expect(await hitIds(s.stationId, "幸福_")).toEqual([]);
    expect((await searchCustomers(s.stationId, "   ")).hits).toEqual([]);
  });
});

describe("account screen data and contacts", () => {
  it("shows balance, payment number siblings, timeline; contacts are masked and revealing is logged", async () => {
    const { s, ids } = await town();
    await releaseBill(s, ids.li, { period: "2026-10", amount: "66.00", dueDate: "2099-11-25" });
    await recordPayment({ stationId: s.stationId, target: { customerId: ids.li }, amount: 10000, channel: "COUNTER_CASH", idempotencyKey: `acc-${s.code}`, clerkId: s.clerk.id });
    const contactId = await saveContact(s.clerk, ids.li, { name: "李明", role: "PROXY", channel: "SMS", value: "13611112222", consent: true, active: true });
    const a = (await getAccount(s.stationId, ids.li))!;
    expect(a.balance).toEqual({ balance: -3400, owed: 0, prepaidFunds: 3400 });
    expect(a.paymentAccount!.customers.map((c) => c.id).sort()).toEqual([ids.li, ids.zhang].sort());
    expect(a.contacts).toEqual([expect.objectContaining({ id: contactId, valueMasked: "136****2222", role: "PROXY" })]);
    expect(a.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(["bill", "payment"]));
    expect(a.recentPayments).toHaveLength(1);
    expect(await getAccount(s.stationId + 100000, ids.li)).toBeNull();

    // editing with an empty value keeps the stored number; the audit row carries masked values only
    await saveContact(s.clerk, ids.li, { id: contactId, name: "李明", role: "PROXY", channel: "SMS", value: "", consent: false, active: true });
    expect((await pool.query(`select value, consent from contact where id = $1`, [contactId])).rows[0]).toEqual({ value: "13611112222", consent: false });
    const audits = (await pool.query(`select action, after::text a from audit_log where target_type = 'contact' and target_id = $1 order by id`, [String(contactId)])).rows;
    expect(audits.map((x) => x.action)).toEqual(["contact.create", "contact.update"]);
    expect(audits.every((x) => !x.a.includes("13611112222"))).toBe(true);

    expect(await revealPersonal(s.clerk, ids.li, contactId)).toBe("13611112222");
    const reveal = (await pool.query(`select actor_id from audit_log where action = 'personal.reveal' and target_id = $1`, [String(contactId)])).rows;
    expect(reveal).toEqual([{ actor_id: s.clerk.id }]);
    const other = await makeStation();
    await expect(revealPersonal(other.clerk, ids.li, contactId)).rejects.toThrow(expect.objectContaining({ code: "CONTACT_NOT_FOUND" }));
  });
});

describe("cash-up", () => {
  it("per clerk and for the station: totals by channel; reversed payments listed but not counted; closing freezes", async () => {
    const s = await makeStation();
    const c = await makeCustomer(s);
    const pay = (clerkId: number, amount: number, channel: "COUNTER_CASH" | "WECHAT", k: string) =>
      recordPayment({ stationId: s.stationId, target: { customerId: c }, amount, channel, idempotencyKey: `cu-${s.code}-${k}`, clerkId });
    await pay(s.clerk.id, 1000, "COUNTER_CASH", "1");
    await pay(s.clerk.id, 2500, "WECHAT", "2");
    await pay(s.clerk2.id, 700, "COUNTER_CASH", "3");
    const today = (await pool.query(`select (now() at time zone 'Asia/Shanghai')::date::text d`)).rows[0].d;
    const mine = await cashupDay(s.stationId, today, { clerkId: s.clerk.id });
    expect(mine.byChannel).toEqual([{ channel: "COUNTER_CASH", count: 1, amount: 1000 }, { channel: "WECHAT", count: 1, amount: 2500 }]);
    expect(mine.total).toBe(3500);
    const station = await cashupDay(s.stationId, today, { clerkId: null });
    expect(station.total).toBe(4200);
    expect(station.payments).toHaveLength(3);
    const closed = await closeCashup(s.clerk, today, { clerkId: s.clerk.id });
    expect(closed.figures).toMatchObject({ total: "35.00", count: 2 });
    expect((await cashupDay(s.stationId, today, { clerkId: s.clerk.id })).closed).not.toBeNull();
    await expect(closeCashup(s.clerk, "2999-01-01", { clerkId: s.clerk.id })).rejects.toThrow(expect.objectContaining({ code: "CASHUP_DAY_IN_FUTURE" }));
  });
});
