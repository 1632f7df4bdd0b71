// Quiet hours (免打扰时段): nothing electronic goes out between quietFrom and quietTo, station
// local time (settings.reminders). A message due inside them waits until quietTo.
import { addDays, localDate, localTime, zonedInstant } from "@/lib/domain/calendar";

export type QuietHours = { quietFrom: string; quietTo: string }; // "HH:MM"

/** Is the wall-clock time `hhmm` inside [from, to)? from > to crosses midnight (20:00–08:00);
 *  from = to means no quiet hours. quietTo itself is already allowed. */
export function inQuietHours(hhmm: string, q: QuietHours): boolean {
  const { quietFrom: from, quietTo: to } = q;
  if (from === to) return false;
  return from < to ? hhmm >= from && hhmm < to : hhmm >= from || hhmm < to;
}

/** The earliest instant at or after `now` when a message may go out: `now` itself, or the end of
 *  the quiet hours `now` falls in (the same local day, or the next one after midnight). */
export function sendableAt(now: Date, q: QuietHours, timeZone: string): Date {
  const t = localTime(now, timeZone);
  if (!inQuietHours(t, q)) return now;
  const today = localDate(now, timeZone);
  // crossing midnight and still before it: the quiet hours end tomorrow
  const endDay = q.quietFrom > q.quietTo && t >= q.quietFrom ? addDays(today, 1) : today;
  return zonedInstant(endDay, q.quietTo, timeZone);
}
