// Shared shapes of the demo generator: the run context, the id counters and a customer's plan.
import type { Settings } from "../../lib/domain/settings";
import type { SeededTariff } from "../seed/base";
import type { Sink } from "./copy-sink";
import type { BinSink } from "./copy-binary";

export type Behaviour = "GOOD" | "DEBIT_SHORT" | "OFTEN_SHORT" | "MIGRANT_FAMILY" | "REFUSER" | "PREPAID" | "GROUP" | "BANKRUPT";

export type RouteInfo = { id: number; from: number; to: number; readingDay: number; remote: boolean; readerId: number };
export type DistrictInfo = {
  id: number; from: number; to: number; lineId: number; streetId: number; streetName: string; village: boolean; staffId: number;
};

export type StationLayout = {
  stationId: number;
  index: number; // 0-based
  from: number; // global customer index range [from, to)
  to: number;
  routes: RouteInfo[];
  districts: DistrictInfo[];
};

/** Counters for ids the generator assigns itself (sequences are set afterwards). */
export class Ids {
  private n: Record<string, number> = {};
  next(table: string): number {
    const v = (this.n[table] ?? 0) + 1;
    this.n[table] = v;
    return v;
  }
  peek(table: string): number {
    return this.n[table] ?? 0;
  }
  set(table: string, v: number) {
    this.n[table] = v;
  }
}

export type Ctx = {
  seed: number;
  asOf: number; // day number
  months: number;
  periods: string[]; // [0] = the opening period (a reading, no bill); 1..months are billed
  settings: Settings;
  tz: string; // "+08:00"
  tariffs: Map<string, SeededTariff>;
  readers: number[];
  clerks: number[];
  managerId: number;
  auditorId: number;
  ids: Ids;
  sinks: Record<string, Sink>; // text-format tables
  bin: Record<string, BinSink>; // binary-format tables (the big ones)
  billingRunId: (stationIndex: number, k: number) => number;
  latestK: number[]; // per station: the latest billed period index (its run holds what the audit finds)
  auditedPeriods: number; // periods audited, the latest included (earlier ones: cleared history)
  stats: Record<string, number>;
};

export type ContactPlan = { id: number; name: string; role: string; channel: string; value: string; consent: boolean; note: string | null };

export type Installation = {
  id: number;
  meterId: number;
  multiplier: number;
  installedDay: number;
  startReg: number; // register value at installation
  tStart: number; // true cumulative kWh at installation
  removedDay: number | null;
  finalReg: number | null;
  reason: string | null;
};

export type CustomerPlan = {
  id: number;
  index: number;
  stationId: number;
  station: StationLayout;
  no: string;
  name: string;
  category: "RESIDENTIAL" | "NON_RESIDENTIAL" | "LARGE" | "TEMPORARY";
  usage: "RESIDENTIAL" | "COMMERCIAL" | "INDUSTRIAL" | "AGRICULTURAL" | "PUBLIC";
  tariff: SeededTariff;
  tou: boolean;
  householdSize: number;
  behaviour: Behaviour;
  flags: string[];
  paymentMethod: "COUNTER" | "BANK_DEBIT" | "ONLINE" | "PREPAID";
  route: RouteInfo;
  district: DistrictInfo;
  routeSeq: number;
  openedDay: number;
  closedDay: number | null;
  capacityKva: number | null;
  contacts: ContactPlan[];
  remindTo: ContactPlan; // whom reminders go to
  staffId: number | null; // assigned staff (D customers, large customers)
  paymentAccountId: number | null;
  // consumption model
  baseKwh: number; // median monthly kWh
  multiplier: number;
  digits: number;
  peakShare: number; // TOU: share of the total register on peak
  tanPhi: number; // large: reactive / active
  vacantFrom: number; // period index from which consumption is zero (months+1: never)
  usageChanged: boolean; // residential home turned into a shop (business-level kWh)
  meterChangeAt: number; // period index with a meter replacement inside (0: none)
  multiplierChangeAt: number;
  rolloverStart: boolean;
  feeControl?: string; // prepaid 费控 state at the end of the history
};

export type BillPlan = {
  id: number;
  customerId: number;
  k: number; // period index
  period: string;
  issue: number;
  due: number;
  amount: number; // fen
  paid: number; // fen, principal
  settled: number | null;
  lateFeeThrough: number | null;
  residential: boolean;
};
