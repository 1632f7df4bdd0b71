// Day numbers for the generator's hot loop: days since 1970-01-01 as plain integers, with a
// lookup table back to 'YYYY-MM-DD' (lib/domain/calendar goes through Date for every call,
// which is too slow for tens of millions of rows; the results are the same).
const DAY = 86_400_000;
const FIRST = Date.UTC(1990, 0, 1) / DAY;
const LAST = Date.UTC(2040, 0, 1) / DAY;

const ISO: string[] = [];
for (let d = FIRST; d < LAST; d++) ISO.push(new Date(d * DAY).toISOString().slice(0, 10));

export function dayNum(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
}

export function iso(d: number): string {
  const s = ISO[d - FIRST];
  if (s === undefined) throw new RangeError(`day out of range: ${d}`);
  return s;
}

/** 'YYYY-MM' of a day number */
export function periodOfDay(d: number): string {
  return iso(d).slice(0, 7);
}

export function yearOfDay(d: number): number {
  return Number(iso(d).slice(0, 4));
}

/** A local timestamp literal PostgreSQL parses, e.g. "2026-11-22 09:05:00+08:00". */
export function ts(d: number, minuteOfDay: number, offset: string): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${iso(d)} ${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}:00${offset}`;
}
