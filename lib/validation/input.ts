// Text as people, tablets and partners send it, before any field's own rule sees it.
//
// Numbers: a Chinese IME types full-width digits and punctuation (１２０．５０, １，２３４, ：),
// and its period key gives 。. Every numeric field (money, registers, kWh, counts, days, ids,
// dates, times, rates) goes through normalizeNumeric first, by building its schema with
// numericText() (string fields) or numeric() (coerced numbers), so the ASCII and the full-width
// spelling of a value parse to the same thing. tests/unit/input-normalise.test.ts runs that
// property over every schema in lib/validation.
//
// Commas (and the full-width ， after NFKC) are read as thousands separators only where they
// group digits correctly ("1,234,567.89", "１，２３４"): then they are dropped. Anywhere else
// ("1,5", "12,34", "1,2345") they stay, and the field refuses the value: 1,5 is 1.5 in Europe and
// a typo for 15 or 1.5 here, and a money amount is never guessed.
//
// Control characters: PostgreSQL refuses NUL (\u0000) in text, so a NUL typed or pasted into any
// field (a search, a contact's name, a note, a partner's customer number) ended as an HTTP 500.
// controlCharPaths() is the one guard: runAction (lib/actions.ts) applies it to every server
// action's input before its schema, the route handlers to their JSON bodies and query strings,
// and the pages that search with a query string to theirs; the answer is a 400 / a field error
// with CONTROL_CHARS_MESSAGE, and nothing is read or written.
import { z } from "zod";

/** NFKC, 。 as a decimal point, trimmed, valid thousands separators removed. */
export function normalizeNumeric(raw: string): string {
  let s = raw;
  if (/[^\x20-\x7e]/.test(s)) s = s.normalize("NFKC").replace(/\u3002/g, ".");
  s = s.trim();
  if (s.includes(",") && /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, "");
  return s;
}

const normalizeIfString = (v: unknown) => (typeof v === "string" ? normalizeNumeric(v) : v);

/** A numeric field kept as a string (money, a register, a date): `rule` sees the normalised text.
 *  `error`: the message when the value is not a string at all (missing). */
export function numericText<O>(rule: z.ZodType<O, string>, error?: string) {
  return z.string(error === undefined ? undefined : { error }).transform(normalizeNumeric).pipe(rule);
}

/** A numeric field read as a number (z.coerce.number …, an id, a count): normalised, then `rule`. */
export function numeric<T extends z.ZodType>(rule: T) {
  return z.preprocess(normalizeIfString, rule);
}

// ───────────── control characters ─────────────

/** C0 controls except tab, line feed and carriage return (a textarea's own), and DEL. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const CONTROL_CHARS_MESSAGE = "common.input.controlChars";

export function hasControlChars(s: string): boolean {
  return CONTROL_CHARS.test(s);
}

/** The paths of every string (or object key) holding a control character in a parsed JSON body,
 *  a form's fields or a query: [] when clean. */
export function controlCharPaths(v: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (x: unknown, path: (string | number)[], depth: number) => {
    if (out.length >= 20) return;
    if (typeof x === "string") {
      if (CONTROL_CHARS.test(x)) out.push(path);
    } else if (Array.isArray(x)) {
      if (depth < 32) x.forEach((y, i) => walk(y, [...path, i], depth + 1));
    } else if (x !== null && typeof x === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(x))) {
      if (depth < 32) {
        for (const [k, y] of Object.entries(x)) {
          if (CONTROL_CHARS.test(k)) out.push([...path, k]);
          else walk(y, [...path, k], depth + 1);
        }
      }
    }
  };
  walk(v, [], 0);
  return out;
}
