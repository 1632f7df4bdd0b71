// The station's organisation: zones (片区, one per reader), transformer districts (台区),
// 10 kV lines, streets and villages, and routes (抄表段, ~200–400 customers, reading days
// 17–20, mostly remote-read). Customers are laid out in index order: a customer's district
// and route follow from its index, so every later step can find them without lookups.
import type pg from "pg";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import { Rng } from "./rng";
import { STREETS, VILLAGES } from "./names";
import type { DistrictInfo, RouteInfo, StationLayout } from "./model";
import { N } from "./copy-sink";

/** COPY a small set of rows on an existing connection (inside its transaction). */
export async function copyInto(c: pg.ClientBase, table: string, cols: readonly string[], lines: readonly string[]) {
  if (lines.length === 0) return;
  const stream = c.query(copyFrom(`copy ${table} (${cols.join(", ")}) from stdin`));
  await pipeline(Readable.from([lines.join("")]), stream);
}

const ZONE_NAMES = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];
const SUFFIX = ["", "东段", "西段", "南段", "北段", "一弄", "二弄", "三弄", "新村", "工业区"];

function streetNames(count: number): { name: string; village: boolean }[] {
  const base = [...STREETS.map((s) => ({ name: s, village: false })), ...VILLAGES.map((v) => ({ name: v, village: true }))];
  const out: { name: string; village: boolean }[] = [];
  for (let i = 0; out.length < count; i++) {
    const b = base[i % base.length];
    const round = Math.floor(i / base.length);
    const suffix = round < SUFFIX.length ? SUFFIX[round] : `${round}区`;
    out.push({ name: b.village ? `${b.name}${round ? `${round + 1}组片` : ""}` : `${b.name}${suffix}`, village: b.village });
  }
  return out;
}

export type LayoutInput = {
  stationIds: number[];
  stationCodes: string[];
  customers: number;
  readers: number[];
  seed: number;
  groupAt: number; // first index of the 48-customer payment-number group
};

export async function buildLayout(c: pg.ClientBase, input: LayoutInput, ids: { next(t: string): number }): Promise<StationLayout[]> {
  const r = new Rng(input.seed, 0x51a7);
  const out: StationLayout[] = [];
  const per = Math.ceil(input.customers / input.stationIds.length);
  const zoneLines: string[] = [];
  const districtLines: string[] = [];
  const lineLines: string[] = [];
  const streetLines: string[] = [];
  const routeLines: string[] = [];
  input.stationIds.forEach((stationId, s) => {
    const from = s * per;
    const to = Math.min(input.customers, from + per);
    const n = to - from;
    const zoneIds = input.readers.map((reader, z) => {
      const id = ids.next("zone");
      zoneLines.push(`${id}\t${stationId}\t第${ZONE_NAMES[z] ?? z + 1}片区\t${reader}\n`);
      return id;
    });
    // districts of 150–260 customers; a street per ~4 districts; a 10 kV line per ~10
    const districtsRaw: { from: number; to: number }[] = [];
    for (let i = from; i < to;) {
      const size = r.int(150, 260);
      districtsRaw.push({ from: i, to: Math.min(to, i + size) });
      i += size;
    }
    const streets = streetNames(Math.max(1, Math.ceil(districtsRaw.length / 4)));
    const streetIds = streets.map((st) => {
      const id = ids.next("street");
      streetLines.push(`${id}\t${stationId}\t${st.name}\n`);
      return id;
    });
    const lineIds: number[] = [];
    const lineCount = Math.max(1, Math.ceil(districtsRaw.length / 10));
    for (let l = 0; l < lineCount; l++) {
      const id = ids.next("line");
      lineIds.push(id);
      const st = streets[Math.min(streets.length - 1, l * 2) % streets.length].name.replace(/(东段|西段|南段|北段|一弄|二弄|三弄|新村|工业区|\d+组片|\d+区)$/, "");
      lineLines.push(`${id}\t${stationId}\tL${String(l + 1).padStart(4, "0")}\t10kV ${st}${l + 1}号线\n`);
    }
    const districts: DistrictInfo[] = districtsRaw.map((d, k) => {
      const id = ids.next("district");
      const si = Math.min(streets.length - 1, Math.floor(k / 4));
      const zone = Math.min(input.readers.length - 1, Math.floor((k * input.readers.length) / districtsRaw.length));
      const cap = r.pick([200, 315, 400, 500, 630]);
      districtLines.push(
        `${id}\t${stationId}\tTQ${s + 1}${String(k + 1).padStart(5, "0")}\t${streets[si].name}${(k % 4) + 1}号台区\t${zoneIds[zone]}\t${cap}\n`,
      );
      return {
        id, from: d.from, to: d.to, lineId: lineIds[Math.floor(k / 10)], streetId: streetIds[si],
        streetName: streets[si].name, village: streets[si].village, staffId: input.readers[zone],
      };
    });
    const routes: RouteInfo[] = [];
    for (let i = from, k = 0; i < to; k++) {
      let size = r.int(200, 400);
      // the 48 customers of the payment-number group share one route
      if (i <= input.groupAt && input.groupAt < i + size && input.groupAt + 48 > i + size) size = input.groupAt + 48 - i;
      const end = Math.min(to, i + size);
      const id = ids.next("route");
      const day = 17 + (k % 4);
      const remote = k % 5 !== 1; // four routes in five are read by the collection system
      const d = districts.find((x) => x.from <= i && i < x.to)!;
      routes.push({ id, from: i, to: end, readingDay: day, remote, readerId: d.staffId });
      routeLines.push(
        `${id}\t${stationId}\t${input.stationCodes[s]}-${String(k + 1).padStart(4, "0")}\t${d.streetName}${remote ? "集抄" : "人工"}段${k + 1}\t${day}\t${d.staffId}\t${remote ? "t" : "f"}\n`,
      );
      i = end;
    }
    out.push({ stationId, index: s, from, to, routes, districts });
    void n;
  });
  await copyInto(c, "zone", ["id", "station_id", "name", "staff_id"], zoneLines);
  await copyInto(c, "street", ["id", "station_id", "name"], streetLines);
  await copyInto(c, "line", ["id", "station_id", "code", "name"], lineLines);
  await copyInto(c, "district", ["id", "station_id", "code", "name", "zone_id", "capacity_kva"], districtLines);
  await copyInto(c, "route", ["id", "station_id", "code", "name", "reading_day", "reader_id", "remote"], routeLines);
  void N;
  return out;
}
