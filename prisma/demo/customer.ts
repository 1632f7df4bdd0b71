// One customer's static plan: who (holder, contacts, flags), what (category, tariff, meter),
// how they behave (behaviour.ts) and the parameters of their consumption (history.ts).
import { companyName, creditCode, idNumber, landline, mobile, personName, relativeName, shopName, siteName } from "./names";
import type { Rng } from "./rng";
import type { Behaviour, ContactPlan, CustomerPlan, Ctx, StationLayout } from "./model";

// Article 004 §3.2's district (docs/sources.md §1): 60% good; of the other 40%: 70% bank debit from an account that
// runs short, 20% often short of balance, 9% elderly/children households paid by family
// members working away, 1% refusers.
export const BEHAVIOUR_MIX: [Behaviour, number][] = [
  ["GOOD", 0.6],
  ["DEBIT_SHORT", 0.4 * 0.7],
  ["OFTEN_SHORT", 0.4 * 0.2],
  ["MIGRANT_FAMILY", 0.4 * 0.09],
  ["REFUSER", 0.4 * 0.01],
];
const MIX_NAMES = BEHAVIOUR_MIX.map((b) => b[0]);
const MIX_WEIGHTS = BEHAVIOUR_MIX.map((b) => b[1]);

export const GROUP_SIZE = 48;
export const GROUP_PAYMENT_NO = "02A13464";
export const GROUP_NAME = "中国铁塔股份有限公司杭州市分公司";

export type Special = "GROUP" | "BANKRUPT" | null;

const HH_SIZES = [1, 2, 3, 4, 5, 6, 7];
const HH_WEIGHTS = [10, 24, 30, 20, 10, 4, 2];

function pickRouteDistrict(st: StationLayout, i: number, hint: { r: number; d: number }) {
  while (st.routes[hint.r].to <= i) hint.r++;
  while (st.districts[hint.d].to <= i) hint.d++;
  return { route: st.routes[hint.r], district: st.districts[hint.d] };
}

export function planCustomer(
  ctx: Ctx, st: StationLayout, i: number, r: Rng, special: Special, hint: { r: number; d: number },
  groupAccountId: number | null,
): CustomerPlan & { holders: { name: string; kind: string; idNo: string; from: number; to: number | null }[]; address: string; bankMasked: string | null } {
  const M = ctx.months;
  const { route, district } = pickRouteDistrict(st, i, hint);
  const histStart = ctx.asOf - 31 * (M + 1);

  let behaviour: Behaviour;
  let category: CustomerPlan["category"];
  if (special === "GROUP") { behaviour = "GROUP"; category = "NON_RESIDENTIAL"; }
  else if (special === "BANKRUPT") { behaviour = "BANKRUPT"; category = "LARGE"; }
  else {
    const x = r.next();
    category = x < 0.86 ? "RESIDENTIAL" : x < 0.98 ? "NON_RESIDENTIAL" : x < 0.986 ? "LARGE" : "TEMPORARY";
    behaviour = category === "NON_RESIDENTIAL" && r.chance(0.25) ? "PREPAID" : r.weighted(MIX_NAMES, MIX_WEIGHTS);
    if (behaviour === "MIGRANT_FAMILY") category = "RESIDENTIAL"; // households whose working members are away
  }

  const flags: string[] = [];
  let usage: CustomerPlan["usage"] = "RESIDENTIAL";
  let tariffCode: string;
  let tou = false;
  let householdSize = 3;
  let multiplier = 1;
  let capacityKva: number | null = null;
  let baseKwh: number;
  let digits = 6;
  let tanPhi = 0;
  const organisation = category === "LARGE" || category === "TEMPORARY" || special === "GROUP" || (category === "NON_RESIDENTIAL" && r.chance(0.35));
  const holderName = special === "GROUP" ? GROUP_NAME : category === "LARGE" ? companyName(r) : category === "TEMPORARY" ? siteName(r) : personName(r);
  let name = holderName;

  if (category === "RESIDENTIAL") {
    householdSize = r.weighted(HH_SIZES, HH_WEIGHTS);
    const t = r.next();
    tariffCode = t < 0.7 ? "ZJ-RES" : t < 0.88 ? "ZJ-RES-TOU" : "SD-RES";
    tou = tariffCode === "ZJ-RES-TOU";
    baseKwh = Math.min(900, Math.max(40, r.lognormal(130 + 25 * householdSize, 0.3))) * (tou ? 1.15 : 1);
  } else if (category === "NON_RESIDENTIAL") {
    usage = special === "GROUP" ? "PUBLIC" : r.weighted(["COMMERCIAL", "PUBLIC", "AGRICULTURAL"] as const, [80, 10, 10]);
    tariffCode = special === "GROUP" || r.chance(0.7) ? "NONRES-FLAT" : "NONRES-TOU";
    tou = tariffCode === "NONRES-TOU";
    baseKwh = special === "GROUP" ? r.int(1200, 1700) : Math.min(8000, Math.max(80, r.lognormal(700, 0.45)));
    if (usage === "PUBLIC" && special !== "GROUP" && r.chance(0.2)) flags.push("PROTECTED");
    if (special !== "GROUP") name = organisation ? companyName(r).replace("有限公司", "门市部") : shopName(r, holderName);
  } else if (category === "LARGE") {
    usage = "INDUSTRIAL";
    tariffCode = r.chance(0.6) ? "LARGE-2P-CAP" : "LARGE-2P-DEM";
    tou = tariffCode === "LARGE-2P-CAP";
    multiplier = r.pick([20, 30, 40, 60, 80, 100, 150, 200]);
    capacityKva = r.pick([315, 400, 500, 630, 800, 1000, 1250]);
    baseKwh = Math.min(capacityKva * 300, r.lognormal(capacityKva * 110, 0.35));
    tanPhi = 0.3 + r.next() * 0.35; // power factor ≈ 0.85–0.96
    digits = 8;
  } else {
    usage = "COMMERCIAL";
    tariffCode = "TEMP-FLAT";
    multiplier = r.chance(0.3) ? 20 : 1;
    baseKwh = r.lognormal(2500, 0.35);
  }
  if (behaviour === "BANKRUPT") flags.push("BANKRUPT");
  if (behaviour === "MIGRANT_FAMILY") flags.push("MIGRANT");
  if (behaviour === "REFUSER") flags.push("REFUSER");
  if (behaviour === "OFTEN_SHORT") flags.push("LOW_BALANCE");

  const paymentMethod: CustomerPlan["paymentMethod"] =
    behaviour === "PREPAID" ? "PREPAID"
    : behaviour === "GOOD" ? r.weighted(["BANK_DEBIT", "ONLINE", "COUNTER"] as const, [35, 45, 20])
    : behaviour === "MIGRANT_FAMILY" ? "ONLINE"
    : behaviour === "REFUSER" ? "COUNTER"
    : "BANK_DEBIT";

  // opening: most customers long before the history; some new connections and temporary sites inside it
  let openedDay = histStart - r.int(120, 8000);
  let closedDay: number | null = null;
  if (category === "TEMPORARY") {
    openedDay = histStart + r.int(0, Math.max(1, 31 * M - 90));
    if (r.chance(0.4)) closedDay = openedDay + r.int(120, 300);
    if (closedDay !== null && closedDay >= ctx.asOf - 5) closedDay = null;
  } else if (special === null && r.chance(0.02)) {
    openedDay = histStart + r.int(40, Math.max(41, 31 * M - 60));
  }
  const newInHistory = openedDay > histStart;

  const vacant = category === "RESIDENTIAL" && !newInHistory && (behaviour === "GOOD" || behaviour === "DEBIT_SHORT") && r.chance(0.015);
  if (vacant) flags.push("VACANT");
  const elderly = category === "RESIDENTIAL" && (behaviour === "MIGRANT_FAMILY" ? r.chance(0.6) : r.chance(0.06));
  if (elderly) flags.push("ELDERLY_NO_SMS");
  const rented = category === "RESIDENTIAL" && !elderly && behaviour !== "MIGRANT_FAMILY" && r.chance(0.08);
  if (rented) flags.push("RENTED");

  // contacts
  const contacts: ContactPlan[] = [];
  const add = (nm: string, role: string, channel: string, value: string, note: string | null = null, consent = true) => {
    const c = { id: ctx.ids.next("contact"), name: nm, role, channel, value, consent, note };
    contacts.push(c);
    return c;
  };
  let remindTo: ContactPlan;
  if (organisation || category === "LARGE") {
    add(holderName, "SELF", "LANDLINE", landline(r), "单位总机");
    remindTo = add(personName(r), "FINANCE", "SMS", mobile(r), "财务");
  } else if (elderly || behaviour === "MIGRANT_FAMILY") {
    add(holderName, "SELF", "LANDLINE", landline(r), elderly ? "老人在家，不用短信" : null, true);
    const child = relativeName(r, holderName);
    remindTo = add(child, "PROXY", behaviour === "MIGRANT_FAMILY" ? "PHONE" : "SMS", mobile(r),
      behaviour === "MIGRANT_FAMILY" ? r.pick(["在外务工的儿子，微信代缴", "在外打工的女儿，支付宝代缴", "外出务工家属，电话联系后网上缴费"]) : "子女代为接收通知");
  } else if (rented) {
    add(holderName, "LANDLORD", "SMS", mobile(r), "房东");
    remindTo = add(personName(r), "TENANT", "SMS", mobile(r), "租户");
  } else {
    remindTo = add(holderName, "SELF", "SMS", mobile(r), null, r.chance(0.97));
    if (r.chance(0.3)) add(holderName, "SELF", "WECHAT", `wxid_${r.digits(10)}`);
  }
  if (!remindTo.consent) remindTo = { ...remindTo, channel: "PHONE" };

  // holders (过户: a past holder for some accounts)
  const holders: { name: string; kind: string; idNo: string; from: number; to: number | null }[] = [];
  const kind = organisation ? "ORGANISATION" : "PERSON";
  const idNo = () => (kind === "PERSON" ? idNumber(r, r.int(1940, 1998)) : creditCode(r));
  if (special === null && category !== "TEMPORARY" && r.chance(0.05)) {
    const transfer = Math.max(openedDay + 200, histStart + r.int(-400, 31 * M - 20));
    holders.push({ name: kind === "PERSON" ? personName(r) : companyName(r), kind, idNo: idNo(), from: openedDay, to: transfer - 1 });
    holders.push({ name: holderName, kind, idNo: idNo(), from: transfer, to: null });
  } else {
    holders.push({ name: holderName, kind, idNo: idNo(), from: openedDay, to: null });
  }

  // address
  const n = r.int(1, 399);
  let address: string;
  if (district.village) address = `${district.streetName}${r.int(1, 12)}组${n}号`;
  else if (category === "RESIDENTIAL") address = `${district.streetName}${n}号${r.pick(["幸福小区", "阳光花园", "翠苑", "和睦新村", "朝晖新村", "东方名苑", "嘉绿苑", "采荷新村"])}${r.int(1, 30)}幢${r.int(1, 4)}单元${r.int(1, 18)}0${r.int(1, 4)}室`;
  else if (special === "GROUP") address = `${district.streetName}${n}号 通信基站`;
  else if (category === "LARGE") address = `${district.streetName}${n}号 工业园区`;
  else if (category === "TEMPORARY") address = `${district.streetName}${n}号 施工工地`;
  else address = `${district.streetName}${n}号 一层店面`;

  const M1 = M + 1;
  return {
    id: ctx.ids.next("customer"), index: i, stationId: st.stationId, station: st,
    no: `33${st.index + 1}${String(i - st.from + 1).padStart(7, "0")}`,
    name, category, usage, tariff: ctx.tariffs.get(tariffCode)!, tou, householdSize, behaviour, flags, paymentMethod,
    route, district, routeSeq: i - route.from + 1, openedDay, closedDay, capacityKva, contacts, remindTo,
    staffId: behaviour === "REFUSER" || behaviour === "BANKRUPT" || category === "LARGE" ? district.staffId : null,
    paymentAccountId: special === "GROUP" ? groupAccountId : null,
    baseKwh, multiplier, digits, peakShare: tou ? 0.5 + r.next() * 0.2 : 0, tanPhi,
    vacantFrom: vacant ? M - 5 : M1,
    usageChanged: category === "RESIDENTIAL" && behaviour === "GOOD" && !vacant && r.chance(0.003),
    // up to the latest period: its first bill after the change is one the audit holds
    meterChangeAt: M >= 4 && r.chance(0.004) ? r.int(2, M) : 0,
    multiplierChangeAt: category === "LARGE" && M >= 4 && r.chance(0.1) ? r.int(2, M) : 0,
    rolloverStart: category === "RESIDENTIAL" && !tou && !newInHistory && r.chance(0.002),
    holders, address,
    bankMasked: paymentMethod === "BANK_DEBIT" ? `6228 **** **** ${r.digits(4)}` : null,
  };
}
