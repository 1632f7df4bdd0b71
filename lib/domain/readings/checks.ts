// Reading-day checks (docs/domain/readings.md §4) as a pure function over rows: for one
// period, every meter that was due, what happened to it, and the rates per route and reader.
// The page over a whole station runs the same rules as SQL aggregates (lib/data/reading-checks.ts);
// an integration test holds the two to the same answers.
import type { IsoDate } from "../calendar";
import type { Settings } from "../settings";
import { consecutiveEstimates, isEstimateException, type SourceKind } from "./estimates";
import { collectionWindow, deviationDays, isOnTime, type CollectionWindow } from "./schedule";

export type CheckRow = {
  customerId: number;
  routeId: number;
  scheduledOn: IsoDate;
  reading: null | {
    readOn: IsoDate | null; // local date of read_at; null for a missed record
    source: SourceKind;
    hasValue: boolean; // false: the reader recorded why it could not be read
    reasonCode: string | null;
  };
  previousSources: readonly (SourceKind | null)[]; // earlier periods, oldest first
};

export type CheckRoute = {
  routeId: number;
  readerId: number | null; // the reader responsible for the route
  scheduledOn: IsoDate;
  pendingChange: boolean; // a change-of-day request waits for approval
  unconfirmed: number; // customers not yet confirmed for an approved change in force
};

export type RowStatus = "ON_TIME" | "OFF_DAY" | "ESTIMATED" | "NOT_TAKEN";

export type RowResult = {
  customerId: number;
  routeId: number;
  scheduledOn: IsoDate;
  readOn: IsoDate | null;
  deviation: number | null;
  status: RowStatus;
  estimateRun: number; // consecutive estimates ending with this period
  estimateException: boolean;
};

export type Rates = {
  due: number; // 应抄
  taken: number; // 实抄: read at the meter or remotely (incl. catch-up), not estimated
  onTime: number;
  estimated: number;
  notTaken: number;
  estimateExceptions: number;
  completionRate: number | null; // 实抄率 = taken / due
  onTimeRate: number | null; // taken on time / due
};

export type RouteResult = Rates & {
  routeId: number;
  readerId: number | null;
  scheduledOn: IsoDate;
  actualDay: IsoDate | null; // the date most of the route was read on
  offDayWithoutApproval: boolean; // read on another day with no approved change (changed in practice, not on paper)
  pendingChange: boolean;
  unconfirmed: number;
  window: CollectionWindow; // from the day the route was actually read (else the planned day)
};

export type ReaderResult = Rates & { readerId: number | null; routes: number };

export type CheckReport = { rows: RowResult[]; routes: RouteResult[]; readers: ReaderResult[]; total: Rates };

const TAKEN: readonly SourceKind[] = ["MANUAL", "REMOTE", "CATCH_UP", "REREAD"];

export function classifyRow(row: CheckRow, s: Settings["readings"]): RowResult {
  const r = row.reading;
  const sources = [...row.previousSources, r && r.hasValue ? r.source : null];
  const estimateRun = consecutiveEstimates(sources);
  const base = { customerId: row.customerId, routeId: row.routeId, scheduledOn: row.scheduledOn, estimateRun };
  const estimateException = isEstimateException(estimateRun, s);
  if (!r || !r.hasValue) {
    return { ...base, readOn: r?.readOn ?? null, deviation: null, status: "NOT_TAKEN", estimateException };
  }
  if (r.source === "ESTIMATED") {
    return { ...base, readOn: r.readOn, deviation: null, status: "ESTIMATED", estimateException };
  }
  const deviation = r.readOn ? deviationDays(row.scheduledOn, r.readOn) : null;
  const onTime = deviation !== null && isOnTime(deviation, s);
  return { ...base, readOn: r.readOn, deviation, status: onTime ? "ON_TIME" : "OFF_DAY", estimateException };
}

export function emptyRates(): Rates {
  return { due: 0, taken: 0, onTime: 0, estimated: 0, notTaken: 0, estimateExceptions: 0, completionRate: null, onTimeRate: null };
}

function add(r: Rates, row: RowResult) {
  r.due++;
  if (row.status === "ON_TIME") r.onTime++;
  if (row.status === "ON_TIME" || row.status === "OFF_DAY") r.taken++;
  if (row.status === "ESTIMATED") r.estimated++;
  if (row.status === "NOT_TAKEN") r.notTaken++;
  if (row.estimateException) r.estimateExceptions++;
}

/** Rates as fractions 0..1 (null when nothing was due), kept unrounded; the screen formats them. */
export function finishRates<T extends Rates>(r: T): T {
  r.completionRate = r.due ? r.taken / r.due : null;
  r.onTimeRate = r.due ? r.onTime / r.due : null;
  return r;
}

/** The most frequent read date over readings actually taken; a tie goes to the date nearest the
 *  scheduled one (a route read half on the day is not "read on another day"), then the earliest. */
export function modalDay(days: readonly IsoDate[], scheduled?: IsoDate): IsoDate | null {
  const counts = new Map<IsoDate, number>();
  for (const d of days) counts.set(d, (counts.get(d) ?? 0) + 1);
  const dist = (d: IsoDate) => (scheduled ? Math.abs(deviationDays(scheduled, d)) : 0);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || dist(a[0]) - dist(b[0]) || a[0].localeCompare(b[0]));
  return ranked[0]?.[0] ?? null;
}

export function checkReadingDays(input: {
  rows: readonly CheckRow[];
  routes: readonly CheckRoute[];
  readings: Settings["readings"];
  billing: Settings["billing"];
}): CheckReport {
  const rows = input.rows.map((r) => classifyRow(r, input.readings));
  const byRoute = new Map<number, RowResult[]>();
  for (const r of rows) (byRoute.get(r.routeId) ?? byRoute.set(r.routeId, []).get(r.routeId)!).push(r);

  const routes: RouteResult[] = input.routes.map((rt) => {
    const rates = emptyRates();
    const mine = byRoute.get(rt.routeId) ?? [];
    for (const r of mine) add(rates, r);
    const days = mine.filter((r) => r.status === "ON_TIME" || r.status === "OFF_DAY").map((r) => r.readOn!).filter(Boolean);
    const actualDay = modalDay(days, rt.scheduledOn);
    const offDay = actualDay !== null && !isOnTime(deviationDays(rt.scheduledOn, actualDay), input.readings);
    return finishRates({
      ...rates,
      routeId: rt.routeId,
      readerId: rt.readerId,
      scheduledOn: rt.scheduledOn,
      actualDay,
      offDayWithoutApproval: offDay,
      pendingChange: rt.pendingChange,
      unconfirmed: rt.unconfirmed,
      window: collectionWindow(actualDay ?? rt.scheduledOn, input.billing),
    });
  });

  const readers = new Map<number | null, ReaderResult>();
  for (const rt of routes) {
    const rr = readers.get(rt.readerId) ?? { ...emptyRates(), readerId: rt.readerId, routes: 0 };
    rr.routes++;
    for (const k of ["due", "taken", "onTime", "estimated", "notTaken", "estimateExceptions"] as const) rr[k] += rt[k];
    readers.set(rt.readerId, rr);
  }
  const total = emptyRates();
  for (const r of rows) add(total, r);
  return { rows, routes, readers: [...readers.values()].map(finishRates), total: finishRates(total) };
}
